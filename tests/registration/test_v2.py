"""The newer API's particulars: matching by taskid, tolerant parsing, sandbox rules,
and submissions that keep their flavor when the setting changes."""

import html
import time
from pathlib import Path

import pytest

import portal
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.callbacks.test_events_route import APPID, post
from tests.conftest import CREDENTIALS

CODE = "91330100716105852F"
ROOT = Path(__file__).parent.parent.parent


def v2_push(status, taskid="", name="杭州新版测试有限公司", code=CODE, created=None):
    created = int(time.time()) + 1 if created is None else created
    info = f"<taskid>{taskid}</taskid>" if taskid is not None else ""
    return (
        f"<xml><AppId>{APPID}</AppId><CreateTime>{created}</CreateTime>"
        "<InfoType>notify_third_fasteregister</InfoType><appid>wx1234567890abcdef</appid>"
        f"<status>{status}</status><auth_code>code</auth_code><msg>m</msg>"
        f"<info><name>{name}</name><code>{code}</code><legal_persona_wechat></legal_persona_wechat>"
        f"<legal_persona_name></legal_persona_name>{info}</info></xml>"
    )


def sent_v2(db, name="杭州新版测试有限公司", taskid="task-1"):
    sub, _ = subs.submit(db, FLAVORS["v2"], {"name": name, "code": CODE})
    subs.transition(db, sub["id"], subs.AWAITING, "", expect=[subs.QUEUED], taskid=taskid, first_sent_at=time.time() - 60,
                    authorize_url="https://example.invalid/verify")  # fmt: skip
    return sub


def test_a_push_is_matched_by_taskid_first(client, db):
    sub = sent_v2(db, taskid="abc")
    post(client, v2_push(0, taskid="abc", name="别的名字"))
    assert subs.get(db, sub["id"])["state"] == subs.SUCCEEDED


def test_without_a_taskid_name_and_code_match(client, db):
    sub = sent_v2(db)
    post(client, v2_push(3, taskid=None))
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.FAILED, 3)


def test_a_progress_status_does_not_end_the_task(client, db):
    sub = sent_v2(db, taskid="p")
    post(client, v2_push(5, taskid="p"))
    assert subs.get(db, sub["id"])["state"] == subs.AWAITING


@pytest.mark.parametrize("status", ["4242", "", "abc"])
def test_an_unknown_or_empty_status_renders_and_never_breaks(client, db, status):
    sub = sent_v2(db, taskid="u")
    assert post(client, v2_push(status, taskid="u")).status_code == 200
    row = subs.get(db, sub["id"])
    page = html.unescape(client.get(f"/s/{row['public_id']}").get_data(as_text=True))
    assert row["state"] == subs.FAILED and "未收录的代码" in page


def test_an_empty_info_is_recorded_unmatched(client, db):
    xml = (f"<xml><AppId>{APPID}</AppId><CreateTime>5</CreateTime>"
           "<InfoType>notify_third_fasteregister</InfoType><status>0</status><info></info></xml>")  # fmt: skip
    assert post(client, xml).status_code == 200
    assert db.execute("SELECT outcome FROM pushes").fetchone()[0] == "unmatched"


def test_a_classic_submission_still_displays_after_switching_to_v2(app, db, tmp_path):
    classic, _ = subs.submit(db, FLAVORS["classic"], {"name": "经典接口测试有限公司", "code": "9144030071526726XG",
                                             "code_type": 1, "legal_persona_wechat": "zhangsan_88",
                                             "legal_persona_name": "张三"})  # fmt: skip
    subs.transition(db, classic["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=103)
    switched = portal.create_app({**dict(app.config), "WECHAT_REGISTER_API": "v2"})
    page = switched.test_client().get(f"/s/{classic['public_id']}").get_data(as_text=True)
    assert "法人姓名与工商登记不一致" in page and "需要核对法人姓名" in html.unescape(page).replace(
        "</dt><dd>", ""
    )
    form = switched.test_client().get("/apply").get_data(as_text=True)
    assert "法人微信号" not in form and "18 位统一社会信用代码" in form


def test_v2_form_checks_only_its_fields(app, db):
    switched = portal.create_app({**dict(app.config), "WECHAT_REGISTER_API": "v2"})
    client = switched.test_client()
    import re

    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get("/apply").get_data(as_text=True),
    ).group(1)
    bad = client.post(
        "/apply", data={"name": "杭州新版测试有限公司", "code": "71526726-X", "csrf_token": token}
    )
    assert bad.status_code == 422 and "此方式不支持旧版注册号或组织机构代码" in bad.get_data(
        as_text=True
    )
    good = client.post(
        "/apply",
        data={"name": "杭州新版测试有限公司", "code": CODE, "csrf_token": token},
        follow_redirects=True,
    )
    assert good.status_code == 200 and "生成一个专属验证链接" in good.get_data(as_text=True)


FLAVOR_ONLY_FIELDS = ("legal_persona_wechat", "legal_persona_name", "legal_persona_openid",
                      "code_type", "authorize_url", "taskid", "new_version")  # fmt: skip


def test_no_template_route_or_console_module_names_a_flavor_only_field():
    places = [p for p in (ROOT / "templates").rglob("*.html") if "sandbox" not in p.parts]
    for package in ("merchant", "staff", "partner", "admin", "auth"):
        places += list((ROOT / "portal" / package).glob("*.py"))
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in places
        for name in FLAVOR_ONLY_FIELDS
        if name in path.read_text()
    ]
    assert offenders == []


def v2_create(sandbox_http, token, body):
    return sandbox_http.post(
        "/wxa/component/fastregisterenterpriseweapp",
        params={"action": "create", "access_token": token},
        json=body,
    ).json()


@pytest.fixture
def token(sandbox_http, sandbox_db, sandbox_app):
    from portal.sandbox import pusher

    ticket = pusher.push_ticket(sandbox_db, sandbox_app.config)
    return sandbox_http.post("/cgi-bin/component/api_component_token", json={
        "component_appid": CREDENTIALS["WECHAT_COMPONENT_APPID"],
        "component_appsecret": CREDENTIALS["WECHAT_COMPONENT_APPSECRET"],
        "component_verify_ticket": ticket,
    }).json()["component_access_token"]  # fmt: skip


V2_BODY = {
    "name": "杭州新版测试有限公司",
    "code": CODE,
    "component_phone": "020-1",
    "new_version": True,
}


@pytest.mark.parametrize(
    "change, errcode",
    [
        ({}, 0),
        ({"new_version": False}, 86030),
        ({"component_phone": ""}, 86030),
        ({"code": "71526726X"}, 89255),
        ({"name": "广州沙箱餐饮管理有限公司", "code": "91440101MA5CWT8Q1H"}, 86022),
        ({"name": "杭州沙箱网络有限公司", "code": "91330106MA27YQ7L53"}, 86021),
        ({"name": "沙箱E89254有限公司"}, 89254),
    ],
)
def test_the_sandbox_checks_v2_creates(sandbox_http, token, change, errcode):
    assert v2_create(sandbox_http, token, {**V2_BODY, **change})["errcode"] == errcode


def test_v2_create_gives_a_task_and_a_link_that_opens_the_simulator(sandbox_http, token):
    created = v2_create(sandbox_http, token, V2_BODY)
    assert created["taskid"] and created["authorize_url"].endswith(
        f"/sandbox/verify/{created['taskid']}"
    )
    assert v2_create(sandbox_http, token, V2_BODY)["errcode"] == 89249
    page = sandbox_http.get(created["authorize_url"]).text
    assert "杭州新版测试有限公司" in page
    query = sandbox_http.post("/wxa/component/fastregisterenterpriseweapp",
                              params={"action": "query", "component_access_token": token},
                              json={"taskid": created["taskid"], "new_version": True}).json()  # fmt: skip
    assert (query["errcode"], query["status"]) == (0, 1)


@pytest.mark.parametrize("link, shown", [("https://wx.example/verify?a=1", True),
                                         ("javascript:alert(1)", False), ("", False)])  # fmt: skip
def test_only_a_web_link_is_offered_to_the_legal_person(db, client, link, shown):
    sub = sent_v2(db, taskid="l")
    db.execute("UPDATE submissions SET authorize_url = ? WHERE id = ?", [link, sub["id"]])
    db.conn.commit()
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert ("打开验证链接" in page) is shown and "javascript:" not in page
