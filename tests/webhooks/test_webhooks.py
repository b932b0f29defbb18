"""Webhooks: outbox in the change's transaction, signed at-least-once delivery in order,
backoff and giving up, personal data only when allowed, private addresses refused."""

import json
import re
import time
from pathlib import Path

import httpx
import pytest

from portal.db import transaction
from portal.registration import delivery, outbox, webhooks
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.authorizers import Vault
from tests.registration.facts import facts

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verify():
    """The verification snippet exactly as docs/api.md prints it."""
    text = API_DOCS.read_text()
    code = re.search(r"<!-- webhook-verify -->\n```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 (the documentation's own code)
    return namespace["verify"]


def walk(db, sub_id):
    """queued → sending → checking → awaiting → succeeded → authorized."""
    for to_state, expect in (("sending", "queued"), ("checking", "sending"),
                             ("awaiting_legal_person", "checking"),
                             ("succeeded", "awaiting_legal_person"), ("authorized", "succeeded")):  # fmt: skip
        assert subs.transition(
            db, sub_id, to_state, "", expect=[expect], appid="wx1234567890abcdef"
        )


def test_every_state_change_makes_its_event(db, hook):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市事件科技有限公司"))
    walk(db, sub["id"])
    types = [r["type"] for r in db.query("SELECT type FROM webhook_events ORDER BY id")]
    assert types == [
        "submission.created", "submission.sent", "submission.awaiting_legal_person",
        "submission.succeeded", "submission.authorized",
    ]  # fmt: skip
    for to_state in ("failed", "rejected", "expired", "held"):
        other, _ = subs.submit(db, FLAVORS["classic"], facts(f"广州市{to_state}科技有限公司"))
        subs.transition(db, other["id"], to_state, "", expect=["queued"], errcode=86004)
        last = db.execute("SELECT type FROM webhook_events ORDER BY id DESC LIMIT 1").fetchone()
        assert last[0] == f"submission.{to_state}"


def test_v2_accepted_straight_to_the_legal_person_is_sent_then_awaiting():
    assert outbox.state_events("sending", "awaiting_legal_person") == [
        "submission.sent",
        "submission.awaiting_legal_person",
    ]
    assert outbox.state_events("sending", "queued") == []  # requeued to resend: no event
    assert outbox.state_events("checking", "checking") == []


def test_the_event_is_in_the_same_transaction_as_the_change(db, hook):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市回滚科技有限公司"))
    with pytest.raises(RuntimeError), transaction(db):
        subs.transition(db, sub["id"], "rejected", "", expect=["queued"])
        raise RuntimeError("crash before commit")
    assert subs.get(db, sub["id"])["state"] == "queued"
    assert [r["type"] for r in db.query("SELECT type FROM webhook_events")] == [
        "submission.created"
    ]


def test_no_endpoint_no_events(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市无人订阅科技有限公司"))
    subs.transition(db, sub["id"], "rejected", "", expect=["queued"])
    assert db.execute("SELECT count(*) FROM webhook_events").fetchone()[0] == 0


def test_failing_receiver_gets_it_again_then_in_order_signed(db, hook, receiver, deliverer):
    receiver.answers = [500, 503]
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市重试科技有限公司"))
    subs.transition(db, sub["id"], "sending", "", expect=["queued"])
    subs.transition(db, sub["id"], "checking", "", expect=["sending"])
    assert deliverer.run_once() == 0  # created: 500; the others wait behind it
    assert receiver.types() == ["submission.created"]
    pending = list(db.query("SELECT * FROM webhook_deliveries ORDER BY id"))
    assert pending[0]["attempts"] == 1 and pending[0]["last_status"] == 500
    assert pending[0]["next_attempt_at"] >= time.time() + 9  # PORTAL_WEBHOOK_RETRY_DELAY
    assert deliverer.run_once() == 0  # not due yet: nothing sent
    assert len(receiver.received) == 1
    later = time.time() + 11
    assert deliverer.run_once(now=later) == 0  # 503
    assert deliverer.run_once(now=later + 21) == 1  # created at last; the next wait their turn
    assert deliverer.run_once(now=later + 21) == 1
    assert receiver.types() == ["submission.created"] * 3 + ["submission.sent"]
    delivered = [json.loads(body)["type"] for _, body in receiver.received[2:]]
    assert delivered == ["submission.created", "submission.sent"]
    verify = documented_verify()
    for headers, body in receiver.received:
        assert verify(hook["secret"], headers["Portal-Signature"], body)
        assert not verify("whsec_wrong", headers["Portal-Signature"], body)
        assert headers["Portal-Event-Id"] == json.loads(body)["id"]
    ids = [h["Portal-Event-Id"] for h, _ in receiver.received[:3]]
    assert len(set(ids)) == 1  # one event, three tries: receivers deduplicate on it
    states = [r["state"] for r in db.query("SELECT state FROM webhook_deliveries")]
    assert states == ["delivered", "delivered"]


def test_replayed_or_tampered_deliveries_do_not_verify(db, hook, receiver, deliverer):
    subs.submit(db, FLAVORS["classic"], facts("广州市重放科技有限公司"))
    deliverer.run_once()
    headers, body = receiver.received[0]
    verify = documented_verify()
    assert verify(hook["secret"], headers["Portal-Signature"], body)
    assert not verify(
        hook["secret"], headers["Portal-Signature"], body.replace(b"queued", b"authd")
    )
    old = delivery.signature(hook["secret"], int(time.time()) - 301, body)
    assert not verify(hook["secret"], old, body)
    assert not verify(hook["secret"], "v1=abc", body)


def test_payload_is_stable_and_personal_data_only_when_allowed(db, receiver, deliverer):
    plain, _ = webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
    personal, _ = webhooks.create_endpoint(db, Vault(), receiver.url + "?p=1",
                                           ["submission.created"], personal_data=True)  # fmt: skip
    sub, _ = subs.submit(
        db, FLAVORS["classic"], facts("广州市载荷科技有限公司"), contact_phone="13800138000"
    )
    assert deliverer.run_once() == 2
    bodies = {h["Portal-Delivery-Id"]: json.loads(b) for h, b in receiver.received}
    by_endpoint = {
        row["endpoint_id"]: bodies[str(row["id"])]
        for row in db.query("SELECT id, endpoint_id FROM webhook_deliveries")
    }
    shown = by_endpoint[plain]
    assert shown["version"] == 1 and shown["type"] == "submission.created"
    data = shown["data"]["submission"]
    assert data["id"] == sub["id"] and data["flavor"] == "classic"
    assert data["company_name"] == "广州市载荷科技有限公司"
    assert "legal_person" not in data and "status_url" not in data  # it reveals personal data
    text = json.dumps(shown, ensure_ascii=False)
    for secret in ("张三", "zhangsan_88", "13800138000", "auth_code", "access_token"):
        assert secret not in text
    assert by_endpoint[personal]["data"]["submission"]["status_url"].endswith(sub["public_id"])
    person = by_endpoint[personal]["data"]["submission"]["legal_person"]
    assert person == {"name": "张三", "wechat": "zhangsan_88", "contact_phone": "13800138000",
                      "verification_url": None, "purged": False}  # fmt: skip


def test_codes_carry_their_catalogue_text(db, hook, receiver, deliverer):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市被拒科技有限公司"))
    subs.transition(db, sub["id"], "rejected", "", expect=["queued"], errcode=86004, errmsg="x")
    deliverer.run_once()
    deliverer.run_once()
    rejected = json.loads(receiver.received[-1][1])["data"]["submission"]
    assert rejected["errcode"]["code"] == 86004 and "微信号" in rejected["errcode"]["title"]


def test_gives_up_after_the_window(db, hook, receiver, app):
    receiver.answers = [500] * 100
    http = httpx.Client(timeout=5)
    short = delivery.Deliverer(db, {**app.config, "WEBHOOK_RETRY_DELAY": 1,
                                    "WEBHOOK_RETRY_HOURS": 3 / 3600}, http)  # fmt: skip
    subs.submit(db, FLAVORS["classic"], facts("广州市放弃科技有限公司"))
    short.run_once()
    short.run_once(now=time.time() + 1.5)
    row = db.execute("SELECT state, attempts FROM webhook_deliveries").fetchone()
    assert row == ("failed", 2)
    assert short.run_once(now=time.time() + 100) == 0 and len(receiver.received) == 2
    http.close()


def test_a_delivery_left_by_a_killed_worker_is_sent_again(db, hook, receiver, deliverer):
    subs.submit(db, FLAVORS["classic"], facts("广州市租约科技有限公司"))
    row = db.execute("SELECT id FROM webhook_deliveries").fetchone()
    assert delivery._claim(db, row[0], time.time())  # a worker claimed it, then died
    assert deliverer.run_once() == 0
    assert deliverer.run_once(now=time.time() + delivery.LEASE + 1) == 1


def test_resend_delivers_again(db, hook, receiver, deliverer):
    subs.submit(db, FLAVORS["classic"], facts("广州市重发科技有限公司"))
    deliverer.run_once()
    row_id = db.execute("SELECT id FROM webhook_deliveries").fetchone()[0]
    assert webhooks.resend(db, row_id)
    assert deliverer.run_once() == 1 and len(receiver.received) == 2
    attempts = db.execute("SELECT count(*) FROM webhook_attempts").fetchone()[0]
    assert attempts == 2


def test_a_dead_endpoint_does_not_hold_up_another(db, receiver, deliverer):
    webhooks.create_endpoint(db, Vault(), "http://127.0.0.1:9/nothing", ["submission.created"])
    webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
    for n in range(3):
        subs.submit(db, FLAVORS["classic"], facts(f"广州市第{n}家端点科技有限公司"))
    assert deliverer.run_once() == 3
    failed = list(db.query("SELECT * FROM webhook_attempts WHERE status IS NULL"))
    assert len(failed) == 1 and "Connect" in failed[0]["error"]  # tried once this round


@pytest.mark.parametrize(
    ("url", "allowed"),
    [("http://127.0.0.1:8000/x", False), ("http://10.1.2.3/x", False),
     ("http://192.168.1.1/x", False), ("http://169.254.169.254/latest", False),
     ("http://[::1]/x", False), ("http://localhost/x", False), ("ftp://example.com/x", False),
     ("http://8.8.8.8/x", True)],
)  # fmt: skip
def test_private_addresses_are_refused_in_production(url, allowed):
    problem, _ = webhooks.target_problem(url, allow_private=False)
    assert (problem is None) == allowed, problem


def test_production_refuses_loopback_deliveries_unless_allowed(db, hook, receiver, app):
    http = httpx.Client(timeout=5)
    production = delivery.Deliverer(db, {**app.config, "ENV": "production"}, http)
    subs.submit(db, FLAVORS["classic"], facts("广州市内网科技有限公司"))
    assert production.run_once() == 0 and receiver.received == []
    error = db.execute("SELECT error FROM webhook_attempts").fetchone()[0]
    assert "内网或本机" in error
    allowed = delivery.Deliverer(db, {**app.config, "ENV": "production",
                                      "WEBHOOK_ALLOW_PRIVATE": True}, http)  # fmt: skip
    assert allowed.run_once(now=time.time() + 60) == 1
    http.close()


def test_pinned_connection_keeps_host_and_tls_name():
    url, headers, extensions = delivery._pinned(
        "https://hooks.example.com:8443/a?b=1", "93.184.216.34"
    )
    assert url == "https://93.184.216.34:8443/a?b=1"
    assert headers == {"Host": "hooks.example.com:8443"}
    assert extensions == {"sni_hostname": "hooks.example.com"}


def test_authorization_pushes_make_authorizer_events(db, hook):
    from portal.registration import pushes
    from portal.wechat.events import parse_event as parse

    xml = ("<xml><AppId>wx0123456789abcdef</AppId><CreateTime>1</CreateTime>"
           "<InfoType>unauthorized</InfoType><AuthorizerAppid>wxaaaabbbbccccdddd</AuthorizerAppid></xml>")  # fmt: skip
    pushes.record(db, parse(xml), xml)
    event = db.execute("SELECT type, subject FROM webhook_events").fetchone()
    assert event == ("authorizer.unauthorized", "authorizer:wxaaaabbbbccccdddd")
