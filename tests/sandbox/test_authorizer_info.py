"""The sandbox's api_get_authorizer_info: WeChat's path, token rules, shapes and faults."""

import pytest

from portal.sandbox import pusher
from tests.conftest import CREDENTIALS
from tests.registration.facts import facts
from tests.sandbox.test_sandbox_api import create

INFO = "/cgi-bin/component/api_get_authorizer_info"
LIST = "/cgi-bin/component/api_get_authorizer_list"
APPID = CREDENTIALS["WECHAT_COMPONENT_APPID"]


def info(http, token, appid, param="component_access_token", component_appid=APPID):
    body = {"component_appid": component_appid, "authorizer_appid": appid}
    return http.post(INFO, params={param: token}, json=body).json()


def listed(http, token):
    body = {"component_appid": APPID, "offset": 0, "count": 500}
    return http.post(LIST, params={"component_access_token": token}, json=body).json()["list"]


def created_appid(http, sandbox_db, sandbox_app, token, name="沙箱S0信息科技有限公司"):
    """A classic task that ends in success at once (magic S0); its new mini program's appid."""
    assert create(http, token, facts(name))["errcode"] == 0
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    row = sandbox_db.execute("SELECT appid FROM tasks WHERE name = ?", [name]).fetchone()
    assert row[0]
    return row[0]


def test_an_appid_that_never_authorized_gets_61003(sandbox_http, token):
    answer = info(sandbox_http, token, "wx00000000000000aa")
    assert answer["errcode"] == 61003
    assert answer["errmsg"] == "component is not authorized by this account"
    assert "authorizer_info" not in answer


@pytest.mark.parametrize("param", ["component_access_token", "access_token"])
def test_a_created_mini_program_is_described_as_wechat_does(
    sandbox_http, sandbox_db, sandbox_app, token, param
):
    name = "沙箱S0（广州）信息科技有限公司"
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token, name)
    answer = info(sandbox_http, token, appid, param=param)
    assert answer.get("errcode", 0) == 0
    account = answer["authorizer_info"]
    assert account["principal_name"] == name  # exactly as registered, brackets and all
    assert account["nick_name"] == ""  # no name set yet on a fresh mini program
    assert account["user_name"].startswith("gh_") and len(account["user_name"]) == 15
    assert account["account_status"] == 1
    assert isinstance(account["MiniProgramInfo"], dict)
    assert {"service_type_info", "verify_type_info", "basic_config", "register_type"} <= set(
        account
    )
    auth = answer["authorization_info"]
    assert auth["authorizer_appid"] == appid
    ids = [row["funcscope_category"]["id"] for row in auth["func_info"]]
    assert ids and all(isinstance(i, int) for i in ids)
    assert auth["authorizer_refresh_token"] == listed(sandbox_http, token)[0]["refresh_token"]
    # The same account answers the same way each time.
    again = info(sandbox_http, token, appid)
    assert again["authorizer_info"]["user_name"] == account["user_name"]
    assert (
        again["authorization_info"]["authorizer_refresh_token"] == auth["authorizer_refresh_token"]
    )


def test_the_refresh_token_stays_the_one_the_list_shows_after_a_refresh(
    sandbox_http, sandbox_db, sandbox_app, token
):
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token)
    refresh = listed(sandbox_http, token)[0]["refresh_token"]
    renewed = sandbox_http.post(
        "/cgi-bin/component/api_authorizer_token",
        params={"component_access_token": token},
        json={
            "component_appid": APPID,
            "authorizer_appid": appid,
            "authorizer_refresh_token": refresh,
        },
    ).json()
    assert renewed["authorizer_refresh_token"] == refresh
    auth = info(sandbox_http, token, appid)["authorization_info"]
    assert (
        auth["authorizer_refresh_token"]
        == refresh
        == listed(sandbox_http, token)[0]["refresh_token"]
    )


def test_a_v2_task_describes_its_company_too(sandbox_http, sandbox_db, sandbox_app, token):
    name = "沙箱S0新版信息有限公司"
    created = sandbox_http.post(
        "/wxa/component/fastregisterenterpriseweapp",
        params={"action": "create", "component_access_token": token},
        json={"name": name, "code": facts(name)["code"], "component_phone": "020-1",
              "new_version": True},
    ).json()  # fmt: skip
    assert created["errcode"] == 0
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    appid = sandbox_db.execute("SELECT appid FROM tasks").fetchone()[0]
    assert info(sandbox_http, token, appid)["authorizer_info"]["principal_name"] == name


@pytest.mark.parametrize("value, errcode", [("", 40001), ("made-up", 40001)])
def test_it_needs_a_live_component_token(sandbox_http, value, errcode):
    assert info(sandbox_http, value, "wx00000000000000aa")["errcode"] == errcode


def test_an_expired_component_token_gets_42001(sandbox_http, sandbox_db, sandbox_app, token):
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token)
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    assert info(sandbox_http, token, appid)["errcode"] == 42001
    assert info(sandbox_http, token, appid, param="access_token")["errcode"] == 42001


def test_an_authorizer_token_is_not_a_component_token(sandbox_http, sandbox_db, sandbox_app, token):
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token)
    listed(sandbox_http, token)  # issues the authorizer's first token
    authorizer = sandbox_db.execute(
        "SELECT token FROM tokens WHERE kind = 'authorizer' AND appid = ?", [appid]
    ).fetchone()[0]
    assert info(sandbox_http, authorizer, appid)["errcode"] == 40001


def test_another_platforms_appid_or_a_missing_authorizer_is_refused(sandbox_http, token):
    assert info(sandbox_http, token, "wx1", component_appid="wxother")["errcode"] == 40013
    assert info(sandbox_http, token, "")["errcode"] == 40097


@pytest.mark.parametrize(
    "fault, check",
    [
        ({"http_500": {"count": 1, "match": "api_get_authorizer_info"}}, 503),
        ({"errcode": {"count": 1, "errcode": -1, "match": "api_get_authorizer_info"}}, -1),
    ],
)
def test_faults_apply_to_it(sandbox_http, sandbox_db, sandbox_app, token, fault, check):
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token)
    assert sandbox_http.post("/sandbox/faults", json=fault).status_code == 200
    body = {"component_appid": APPID, "authorizer_appid": appid}
    response = sandbox_http.post(INFO, params={"component_access_token": token}, json=body)
    if check == 503:
        assert response.status_code == 503
    else:
        assert response.json()["errcode"] == check
    assert info(sandbox_http, token, appid)["authorizer_info"]  # consumed: answers again


def test_latency_applies_to_it(sandbox_http, token, monkeypatch):
    slept = []
    monkeypatch.setattr("portal.sandbox.api.time.sleep", slept.append)
    sandbox_http.post("/sandbox/faults", json={"latency": {"count": 1, "ms": 800}})
    assert info(sandbox_http, token, "wx00000000000000aa")["errcode"] == 61003
    assert slept == [0.8]


def test_it_is_recorded_but_spends_no_fast_register_quota(
    sandbox_http, sandbox_db, sandbox_app, token
):
    appid = created_appid(sandbox_http, sandbox_db, sandbox_app, token)
    sandbox_app.config["SANDBOX_DAILY_QUOTA"] = 2  # the create above spent one
    for _ in range(3):
        assert info(sandbox_http, token, appid)["authorizer_info"]
    calls = sandbox_db.execute(
        "SELECT count(*) FROM calls WHERE endpoint = 'api_get_authorizer_info'"
    ).fetchone()[0]
    assert calls == 3
    assert create(sandbox_http, token, facts("另一家信息公司"))["errcode"] == 0
