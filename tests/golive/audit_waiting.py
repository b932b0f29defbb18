"""A submission taken to a code audit that stays with WeChat (for staff's actions), by
the pipeline's own fixtures: only the sandbox's audit delay differs."""

import pytest

from portal.golive import steps as st
from tests.golive import test_pipeline as pipeline
from tests.golive.test_pipeline import give_all, run_until

setup = pipeline.setup  # the pipeline's fixture, with this module's fast_sandbox below


@pytest.fixture
def fast_sandbox(sandbox_app):
    """The pipeline's fast sandbox, but audits (and sped-up audits) take an hour."""
    sandbox_app.config.update(
        SANDBOX_PRIVACY_SCAN=0, SANDBOX_AUDIT_DELAY=3600, SANDBOX_NAME_AUDIT_DELAY=0,
        SANDBOX_CATEGORY_AUDIT_DELAY=0, SANDBOX_SPEEDUP_DELAY=3600, SANDBOX_ICP_FILED_AFTER=0,
    )  # fmt: skip
    return sandbox_app


def to_audit(db, jobs, wechat_side, setup_id) -> None:
    audit = lambda: st.step(db, setup_id, st.AUDIT)  # noqa: E731
    run_until(jobs, wechat_side, db, setup_id, lambda: audit()["state"] == st.WAITING)


@pytest.fixture
def audit_waiting(db, jobs, wechat_side, setup):
    """The setup, its audit submitted and waiting at WeChat."""
    give_all(db, setup["id"])
    to_audit(db, jobs, wechat_side, setup["id"])
    return st.get(db, setup["id"])


def calls(db, endpoint: str) -> int:
    return db.execute("SELECT count(*) FROM api_calls WHERE endpoint = ?", [endpoint]).fetchone()[0]
