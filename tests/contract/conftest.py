"""Fixtures of the contract tests: mini programs the sandbox created and the portal
authorized through its own flow (``live``, ``other``), and the sandbox's faults.

The worker here does the registration's work only: the go-live steps of the domain are
not what is under test, and must not call WeChat for these mini programs on their own.

WeChat's clock is slow here (audits take an hour) except the privacy scan; a test that
wants WeChat to have answered says so through the sandbox's config or magic values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from portal.tasks import exchange, purge, recover, resolve, search, send, upkeep
from portal.tasks.context import Context
from portal.wechat.wiring import connect as connect_wechat
from portal.worker import Scheduler
from tests.contract.live import Live, authorize

MESSAGE_URL = "http://portal/wechat/messages/$APPID$"
COMPANY = "沙箱S0合约科技有限公司"
OTHER_COMPANY = "沙箱S0合约另一家科技有限公司"
#: The worker's kinds of work that take a company to an authorized mini program.
REGISTRATION_KINDS = (upkeep, send, resolve, search, recover, exchange, purge)


@pytest.fixture
def sandbox_app(sandbox_app):
    sandbox_app.config.update(
        SANDBOX_MESSAGE_URL=MESSAGE_URL,
        SANDBOX_PRIVACY_SCAN=0,
        SANDBOX_AUDIT_DELAY=3600,
        SANDBOX_NAME_AUDIT_DELAY=3600,
        SANDBOX_CATEGORY_AUDIT_DELAY=3600,
        SANDBOX_SPEEDUP_DELAY=0,
    )
    return sandbox_app


@pytest.fixture
def jobs(app, db, sandbox_http, wechat_side) -> Scheduler:
    """The worker's registration work, talking to the in-process sandbox; a ticket has
    arrived (as the suite's ``jobs``, without the go-live kinds)."""
    wechat_side()
    wechat_client, tokens = connect_wechat(app.config, db, http=sandbox_http)
    return Scheduler(Context(db, wechat_client, tokens, app.config), REGISTRATION_KINDS)


@pytest.fixture
def live(db, jobs, wechat_side, sandbox_app) -> Live:
    return authorize(db, jobs, wechat_side, sandbox_app, COMPANY)


@pytest.fixture
def other(db, jobs, wechat_side, sandbox_app, live) -> Live:
    """A second mini program, of another company."""
    return authorize(db, jobs, wechat_side, sandbox_app, OTHER_COMPANY)


@pytest.fixture
def fault(sandbox_http) -> Callable[..., None]:
    """Set a sandbox fault (POST /sandbox/faults)."""

    def set_fault(**faults: Any) -> None:
        assert sandbox_http.post("/sandbox/faults", json=faults).status_code == 200

    return set_fault
