"""What the sandbox's tests share: a live component token."""

import pytest

from portal.sandbox import pusher
from tests.conftest import CREDENTIALS


@pytest.fixture
def token(sandbox_http, sandbox_db, sandbox_app):
    """A component_access_token the sandbox issued for the latest ticket."""
    ticket = pusher.push_ticket(sandbox_db, sandbox_app.config)
    answer = sandbox_http.post(
        "/cgi-bin/component/api_component_token",
        json={
            "component_appid": CREDENTIALS["WECHAT_COMPONENT_APPID"],
            "component_appsecret": CREDENTIALS["WECHAT_COMPONENT_APPSECRET"],
            "component_verify_ticket": ticket,
        },
    ).json()
    assert answer["expires_in"] == 7200
    return answer["component_access_token"]
