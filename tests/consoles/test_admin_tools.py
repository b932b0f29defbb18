"""The admin's audit log filters and links, the API key's copy button, and the webhook
test event delivered by the worker through the outbox."""

import json
import re
import time

import httpx

from portal.api.openapi import spec
from portal.registration import delivery, outbox, webhooks
from portal.wechat.authorizers import Vault
from tests.consoles.conftest import csrf_from
from tests.webhooks.receiver import Receiver


def _audit(db, at, username, action, target, detail=""):
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, action, target, detail, address) "
        "VALUES (?, NULL, ?, ?, ?, ?, '')",
        [at, username, action, target, detail],
    )
    db.conn.commit()


def _rows(client, query=""):
    page = client.get("/admin/audit?" + query).get_data(as_text=True)
    return re.findall(r'data-label="详情">(mark-\d)<', page), page


def test_the_audit_log_filters_by_actor_action_dates_and_submission(client, db, people, as_role):
    as_role("admin")
    day = 86400
    _audit(db, time.time() - 10 * day, "staff", "view submission", "submission 7", "mark-1")
    _audit(db, time.time() - day, "staff", "add note", "submission 8", "mark-2")
    _audit(db, time.time(), "alice", "view push xml", "push 3", "mark-3")
    _audit(db, time.time(), "alice", "view submission", "submission 7", "mark-4")
    assert _rows(client, "actor=alice")[0] == ["mark-4", "mark-3"]
    assert _rows(client, "action=查看申请")[0] == ["mark-4", "mark-1"]
    assert _rows(client, "submission=7")[0] == ["mark-4", "mark-1"]
    since = time.strftime("%Y-%m-%d", time.localtime(time.time() - 2 * day))
    assert "mark-1" not in _rows(client, f"date_from={since}")[0]
    marks, page = _rows(client, "submission=abc")
    assert marks == [] and "请填写申请编号（数字）" in page


def test_audit_rows_link_to_their_subjects(client, db, people, as_role):
    as_role("admin")
    _audit(db, time.time(), "staff", "view submission", "submission 7")
    _audit(db, time.time(), "staff", "view push xml", "push 3", "submission 7")
    _audit(db, time.time(), "admin", "create webhook", "webhook 2")
    _audit(db, time.time(), "admin", "create user", "user 4")
    page = client.get("/admin/audit").get_data(as_text=True)
    for href in ("/staff/submissions/7", "/staff/pushes/3", "/admin/webhooks/2", "/admin/users"):
        assert f'href="{href}"' in page, href
    assert 'href="/admin/audit?actor=staff"' in page


def test_a_new_api_keys_one_time_display_has_a_copy_button(client, db, people, as_role):
    as_role("admin")
    token = csrf_from(client.get("/admin/api-keys").get_data(as_text=True))
    page = client.post(
        "/admin/api-keys", data={"csrf_token": token, "name": "CRM", "scopes": ["submissions:read"]}
    ).get_data(as_text=True)
    assert 'id="new-key"' in page and 'data-copy-from="#new-key" hidden>复制密钥' in page
    assert "/static/js/copy.js" in page


def test_send_test_event_goes_to_that_endpoint_only_through_the_outbox(
    app, client, db, people, as_role
):
    receiver = Receiver()
    try:
        tested, _ = webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
        other, _ = webhooks.create_endpoint(
            db, Vault(), receiver.url + "?o", list(outbox.EVENT_TYPES)
        )
        as_role("admin")
        page_url = f"/admin/webhooks/{tested}"
        page = client.get(page_url).get_data(as_text=True)
        assert client.post(f"{page_url}/test", data={}).status_code == 400
        answer = client.post(f"{page_url}/test", data={"csrf_token": csrf_from(page)})
        assert answer.status_code == 302
        rows = db.execute(
            "SELECT d.endpoint_id, e.type FROM webhook_deliveries d "
            "JOIN webhook_events e ON e.id = d.event_id"
        ).fetchall()
        assert rows == [(tested, "ping")]  # not to the endpoint subscribed to everything
        assert "正在发送" in client.get(page_url).get_data(as_text=True)
        with httpx.Client(timeout=5) as http:
            assert delivery.Deliverer(db, app.config, http).run_once() == 1
        headers, body = receiver.received[-1]
        sent = json.loads(body)
        assert headers["Portal-Event-Type"] == "ping" and sent["type"] == "ping"
        assert sent["data"]["ping"]["endpoint_id"] == tested
        shown = client.get(page_url).get_data(as_text=True)
        assert re.search(r'id="test-result">最近一次.*<strong>已送达</strong>，HTTP 200', shown)
        assert other not in [r[0] for r in db.execute("SELECT endpoint_id FROM webhook_deliveries")]
        actions = [r[0] for r in db.execute("SELECT action FROM audit_log")]
        assert "send webhook test" in actions
    finally:
        receiver.close()


def test_a_disabled_endpoint_sends_no_test_and_ping_is_not_subscribable(
    client, db, people, as_role
):
    endpoint_id, _ = webhooks.create_endpoint(
        db, Vault(), "http://127.0.0.1:9/x", ["ping"] + ["submission.held"]
    )
    assert webhooks.endpoint(db, endpoint_id)["event_types"] == "submission.held"
    webhooks.set_disabled(db, endpoint_id, True)
    as_role("admin")
    page = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    client.post(f"/admin/webhooks/{endpoint_id}/test", data={"csrf_token": csrf_from(page)})
    assert db.execute("SELECT count(*) FROM webhook_deliveries").fetchone()[0] == 0
    assert 'value="ping"' not in client.get("/admin/webhooks").get_data(as_text=True)


def test_openapi_describes_the_ping_event():
    described = spec("http://x")
    schema = described["webhooks"]["ping"]["post"]["requestBody"]["content"]["application/json"]
    assert schema["schema"] == {"$ref": "#/components/schemas/PingEvent"}
    ping = described["components"]["schemas"]["PingEvent"]["properties"]["data"]["properties"]
    assert set(ping["ping"]["properties"]) == {"endpoint_id", "message"}
