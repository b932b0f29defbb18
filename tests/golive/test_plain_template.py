"""A template whose code uses no privacy key (the sandbox's draft 1: two plain pages),
in-process against the sandbox: WeChat lists no key to cover, so no guideline is set
(setprivacysetting would refuse an empty setting_list, 40097) and the code goes to audit."""

import pytest

from portal.golive import platform
from portal.golive import steps as st
from portal.tasks import golive_deploy
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import give_all, run_until

setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox
PLAIN_DRAFT = 1
SET_PRIVACY = "cgi-bin.component.setprivacysetting"


@pytest.fixture
def plain(db, jobs, setup):
    """The pipeline's setup, deploying draft 1 instead of the demo template."""
    ctx = jobs.ctx
    ctx.call(None, lambda token: ctx.mp.templates.add_to_template(token, PLAIN_DRAFT))
    listed = ctx.call(None, ctx.mp.templates.get_template_list)
    chosen = max((t for t in listed if t.draft_id == PLAIN_DRAFT), key=lambda t: t.template_id)
    platform.save(
        db,
        template_id=chosen.template_id,
        template_version=chosen.user_version,
        ext_json_template='{"extAppid": "{appid}", "ext": {"company": "{company}"}}',
        audit_items=({"address": "pages/about/about", "tag": "关于", "title": "关于我们"},),
    )
    return setup


def test_code_without_privacy_keys_goes_to_audit_without_a_guideline(
    db, jobs, wechat_side, plain, sandbox_db
):
    give_all(db, plain["id"])
    deploy = lambda: st.step(db, plain["id"], st.DEPLOY)  # noqa: E731
    run_until(jobs, wechat_side, db, plain["id"], lambda: deploy()["state"] == st.DONE)
    assert calls(db, SET_PRIVACY) == 0  # nothing to cover: no empty setting_list sent
    assert deploy()["result"]["privacy_keys"] == []
    assert golive_deploy.NO_PRIVACY in [e["detail"] for e in st.timeline(db, plain["id"])]
    sandbox_db.conn.commit()
    (audits,) = sandbox_db.execute(
        "SELECT count(*) FROM audits WHERE appid = ?", [plain["appid"]]
    ).fetchone()
    assert audits == 1
    assert st.step(db, plain["id"], st.AUDIT)["state"] != st.TODO
