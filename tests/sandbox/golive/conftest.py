"""Fixtures of the go-live tests: a created mini program and WeChat's clock under control.

Audits and scans take an hour here, so a test sees them pending; ``elapse`` (helpers)
ends them when a test wants WeChat to have answered.
"""

import pytest

from portal.sandbox import pusher
from tests.sandbox.golive.helpers import new_miniprogram


@pytest.fixture(autouse=True)
def slow_wechat(sandbox_app):
    sandbox_app.config.update(
        SANDBOX_AUDIT_DELAY=3600,
        SANDBOX_NAME_AUDIT_DELAY=3600,
        SANDBOX_CATEGORY_AUDIT_DELAY=3600,
        SANDBOX_PRIVACY_SCAN=3600,
        SANDBOX_MESSAGE_URL="http://portal/wechat/messages/$APPID$",
    )


@pytest.fixture
def mp(sandbox_http, sandbox_db, sandbox_app, token):
    return new_miniprogram(sandbox_http, sandbox_db, sandbox_app, token)


@pytest.fixture
def other(sandbox_http, sandbox_db, sandbox_app, token):
    """A second mini program of another company."""
    return new_miniprogram(sandbox_http, sandbox_db, sandbox_app, token, "沙箱S0另一家科技有限公司")


@pytest.fixture
def pushes(sandbox_db, sandbox_app):
    """Run WeChat's side and collect what it POSTs: [(url, params, body)]."""
    seen: list[tuple[str, dict, bytes]] = []

    def run(answer: str = "success") -> list[tuple[str, dict, bytes]]:
        def deliver(url, params, body):
            seen.append((url, params, body))
            return answer

        pusher.tick(sandbox_db, sandbox_app.config, deliver)
        return [push for push in seen if push[0] != sandbox_app.config["SANDBOX_EVENT_URL"]]

    return run
