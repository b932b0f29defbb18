"""The sandbox checks what WeChat checks, at WeChat's paths and in WeChat's shapes."""

import json

import httpx
import pytest

from portal.sandbox import pusher
from portal.sandbox.state import latest_ticket
from tests.conftest import CREDENTIALS
from tests.registration.facts import facts

CREATE = "/cgi-bin/component/fastregisterweapp"


def create(http, token, body, action="create"):
    return http.post(
        CREATE, params={"action": action, "component_access_token": token}, json=body
    ).json()


def test_component_token_needs_the_latest_ticket(sandbox_http, sandbox_db, sandbox_app):
    pusher.push_ticket(sandbox_db, sandbox_app.config)
    answer = sandbox_http.post(
        "/cgi-bin/component/api_component_token",
        json={
            "component_appid": CREDENTIALS["WECHAT_COMPONENT_APPID"],
            "component_appsecret": CREDENTIALS["WECHAT_COMPONENT_APPSECRET"],
            "component_verify_ticket": "old-ticket",
        },
    ).json()
    assert answer["errcode"] == 61006


@pytest.mark.parametrize("token_value, errcode", [("", 40001), ("made-up", 40001)])
def test_calls_without_a_valid_token_get_40001(sandbox_http, token_value, errcode):
    assert create(sandbox_http, token_value, facts())["errcode"] == errcode


def test_an_expired_token_gets_42001(sandbox_http, token):
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    assert create(sandbox_http, token, facts())["errcode"] == 42001


@pytest.mark.parametrize(
    "body, errcode",
    [
        (facts(), 0),
        (facts(legal_persona_name=""), 89253),
        ({k: v for k, v in facts().items() if k != "code"}, 89253),
        (facts(code_type=4), 89248),
        (facts(code_type="x"), 89248),
        (facts(code="12345"), 89255),
        (facts(code_type=2, code="MA59VWXY-1"), 0),
        (facts(code_type=3, code="440101000123456"), 0),
        (facts(legal_persona_wechat="13800138000"), 86004),
        (facts("沙箱E61070科技有限公司"), 61070),
        (facts("沙箱E89254科技有限公司"), 89254),
    ],
)
def test_create_rule_checks(sandbox_http, token, body, errcode):
    assert create(sandbox_http, token, body)["errcode"] == errcode


def test_an_unknown_action_is_refused(sandbox_http, token):
    assert create(sandbox_http, token, facts(), action="delete")["errcode"] == -1


def test_a_second_task_for_a_running_company_gets_89249(sandbox_http, token):
    assert create(sandbox_http, token, facts())["errcode"] == 0
    other_person = facts(legal_persona_wechat="lisi_2024", legal_persona_name="李四")
    assert create(sandbox_http, token, other_person)["errcode"] == 89249


def test_search_follows_the_task(sandbox_http, sandbox_db, sandbox_app, token):
    body = facts()
    query = {k: body[k] for k in ("name", "legal_persona_wechat", "legal_persona_name")}
    assert create(sandbox_http, token, query, action="search")["errcode"] == 89250
    create(sandbox_http, token, body)
    assert create(sandbox_http, token, query, action="search")["errcode"] == 89252
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    assert create(sandbox_http, token, query, action="search")["errcode"] == 89251
    assert create(sandbox_http, token, {"name": "x"}, action="search")["errcode"] == 89253


def test_the_daily_quota_gives_45009(sandbox_app, sandbox_http, token):
    sandbox_app.config["SANDBOX_DAILY_QUOTA"] = 2
    assert create(sandbox_http, token, facts())["errcode"] == 0
    assert create(sandbox_http, token, facts("别的公司"))["errcode"] == 0
    assert create(sandbox_http, token, facts("第三家公司"))["errcode"] == 45009


def test_injected_faults_are_consumed_once(sandbox_http, token):
    sandbox_http.post("/sandbox/faults", json={"http_500": {"count": 1}})
    response = sandbox_http.post(
        CREATE, params={"action": "create", "component_access_token": token}, json=facts()
    )
    assert response.status_code == 503
    assert create(sandbox_http, token, facts())["errcode"] == 0


def test_unknown_faults_are_refused(sandbox_http):
    assert sandbox_http.post("/sandbox/faults", json={"meteor": 1}).status_code == 400


def test_pushes_are_resent_until_answered_success(sandbox_db, sandbox_app):
    answers = iter(["fail", "HTTP 500", "success"])
    seen = []

    def deliver(url, params, body):
        seen.append(params["msg_signature"])
        return next(answers)

    for _ in range(3):
        pusher.tick(sandbox_db, sandbox_app.config, deliver)
    assert len(seen) == 3 and len(set(seen)) == 3  # freshly encrypted each time
    row = sandbox_db.execute("SELECT attempts, state FROM outbox").fetchone()
    assert tuple(row) == (3, "delivered")


def test_a_push_is_abandoned_after_three_resends(sandbox_db, sandbox_app):
    for _ in range(6):
        pusher.tick(sandbox_db, sandbox_app.config, lambda url, params, body: "nope")
    assert tuple(sandbox_db.execute("SELECT attempts, state FROM outbox").fetchone()) == (
        4,
        "abandoned",
    )


def test_tickets_are_pushed_on_their_interval(sandbox_db, sandbox_app):
    sandbox_app.config["SANDBOX_TICKET_INTERVAL"] = 3600
    pusher.tick(sandbox_db, sandbox_app.config, lambda *a: "success")
    first = latest_ticket(sandbox_db)
    pusher.tick(sandbox_db, sandbox_app.config, lambda *a: "success")
    assert latest_ticket(sandbox_db)["id"] == first["id"]
    sandbox_app.config["SANDBOX_TICKET_INTERVAL"] = 0
    pusher.tick(sandbox_db, sandbox_app.config, lambda *a: "success")
    assert latest_ticket(sandbox_db)["id"] != first["id"]


def test_the_simulator_shows_the_template_message_and_decides(
    sandbox_app, sandbox_http, sandbox_db, token
):
    create(sandbox_http, token, facts())
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    page = sandbox_http.get("/sandbox/legal-person/1").text
    assert "公众平台安全助手" in page and "创建小程序申请" in page and "张三" in page
    sandbox_http.post("/sandbox/legal-person/1", data={"choice": "approve"})
    task = sandbox_http.get("/sandbox/tasks").json()[0]
    assert task["status"] == 0 and task["appid"].startswith("wx")
    assert "已结束" in sandbox_http.get("/sandbox/legal-person/1").text


def test_the_legal_persons_window_expires_with_100003(sandbox_app, sandbox_http, sandbox_db, token):
    sandbox_app.config["SANDBOX_LEGAL_PERSON_WINDOW"] = 0
    create(sandbox_http, token, facts())
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    assert sandbox_http.get("/sandbox/tasks").json()[0]["status"] == 100003


@pytest.mark.parametrize(
    "name, code, person, status",
    [
        ("广州市沙箱餐饮管理有限公司", "91440101MA5CWT8Q1H", "王晓明", 103),
        ("广州沙箱餐饮管理有限公司", "91440101MA5CWT8Q1H", "王小明", 102),
        ("杭州沙箱网络有限公司", "91330106MA27YQ7L53", "赵六", 101),
        ("广州市沙箱餐饮管理有限公司", "91440101MA5CWT8Q1H", "王小明", None),
    ],
)
def test_the_registry_checks_known_companies(
    sandbox_app, sandbox_http, sandbox_db, token, name, code, person, status
):
    create(sandbox_http, token, facts(name, code=code, legal_persona_name=person))
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    task = sandbox_http.get("/sandbox/tasks").json()[0]
    assert task["status"] == status
    assert task["state"] == ("done" if status else "legal_person")


def test_a_body_with_unicode_escapes_gets_40033_like_wechat(sandbox_http, token):
    escaped = json.dumps(facts(), ensure_ascii=True).encode()
    assert b"\\u" in escaped
    answer = sandbox_http.post(
        CREATE,
        params={"action": "create", "component_access_token": token},
        content=escaped,
        headers={"Content-Type": "application/json"},
    ).json()
    assert answer["errcode"] == 40033


def test_racing_creates_for_one_company_start_one_task(sandbox_app, token, sandbox_db):
    """WeChat runs one task per company: two creates at the same moment cannot both win."""
    import threading

    answers = []

    def send(name):
        with httpx.Client(
            transport=httpx.WSGITransport(app=sandbox_app), base_url="http://sandbox"
        ) as http:
            answers.append(create(http, token, facts(name, code="91440101MA59VWXY1B"))["errcode"])

    threads = [threading.Thread(target=send, args=(f"竞速{i}科技有限公司",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [0] + [89249] * 7
    assert sandbox_db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1
