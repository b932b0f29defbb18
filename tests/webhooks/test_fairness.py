"""A dead endpoint's backlog never starves a healthy one: rows are picked per endpoint,
an endpoint backing off is skipped, and a disabled endpoint's rows are parked."""

import time

import httpx
import pytest

from portal.db import transaction
from portal.registration import delivery, outbox, webhooks
from portal.wechat.authorizers import Vault
from tests.webhooks.receiver import Receiver

EVENTS = 120
TYPE = "authorizer.unauthorized"


def enqueue(db, count: int, tag: str) -> None:
    with transaction(db):
        for n in range(count):
            appid = f"wx{tag}{n:014d}"[:18]
            outbox.enqueue(db, TYPE, f"authorizer:{appid}", {"appid": appid})


def delivered_to(db, endpoint_id) -> int:
    return db.execute(
        "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND state = 'delivered'",
        [endpoint_id],
    ).fetchone()[0]


def rounds_until_all(db, deliverer, endpoint_id, start: float, limit: int = 20) -> int:
    """Rounds an hour apart (so every failed row is due again) until it has all EVENTS."""
    for n in range(1, limit + 1):
        deliverer.run_once(now=start + n * 3600)
        if delivered_to(db, endpoint_id) == EVENTS:
            return n
    return limit + 1


def test_a_dead_endpoint_does_not_slow_a_healthy_one(db, app):
    config = {**app.config, "WEBHOOK_RETRY_DELAY": 1, "WEBHOOK_RETRY_HOURS": 1000}
    alone, dead, healthy = Receiver(), Receiver([500] * 1000), Receiver()
    http = httpx.Client(timeout=5)
    try:
        deliverer = delivery.Deliverer(db, config, http)
        first, _ = webhooks.create_endpoint(db, Vault(), alone.url, [TYPE])
        enqueue(db, EVENTS, "a")
        without = rounds_until_all(db, deliverer, first, time.time())
        webhooks.set_disabled(db, first, True)
        broken, _ = webhooks.create_endpoint(db, Vault(), dead.url, [TYPE])  # lower id
        other, _ = webhooks.create_endpoint(db, Vault(), healthy.url, [TYPE])
        enqueue(db, EVENTS, "b")
        with_dead = rounds_until_all(db, deliverer, other, time.time())
        assert without <= 3
        assert with_dead == without
        assert len({h["Portal-Event-Id"] for h, _ in healthy.received}) == EVENTS
        assert len(dead.received) <= with_dead  # failed once: skipped for the round
        assert delivered_to(db, broken) == 0
    finally:
        for r in (alone, dead, healthy):
            r.close()
        http.close()


def test_an_endpoint_backing_off_is_skipped_entirely(db, deliverer):
    dead = Receiver([500] * 100)
    try:
        endpoint_id, _ = webhooks.create_endpoint(db, Vault(), dead.url, [TYPE])
        enqueue(db, 5, "c")
        now = time.time()
        for n in range(4):  # the retry delay is 10 s: every round falls inside it
            assert deliverer.run_once(now=now + n) == 0
        assert len(dead.received) == 1
        tried = db.execute(
            "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND attempts > 0",
            [endpoint_id],
        ).fetchone()[0]
        assert tried == 1
        assert deliverer.run_once(now=now + 11) == 0 and len(dead.received) == 2
    finally:
        dead.close()


def states(db, endpoint_id) -> list[str]:
    return [
        r["state"]
        for r in db.query(
            "SELECT state FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id",
            [endpoint_id],
        )
    ]


def test_disabling_parks_pending_rows_and_enabling_resumes_them(db, receiver, deliverer):
    receiver.answers = [500]
    endpoint_id, _ = webhooks.create_endpoint(db, Vault(), receiver.url, [TYPE])
    enqueue(db, 3, "d")
    assert deliverer.run_once() == 0  # the first failed; the endpoint backs off
    webhooks.set_disabled(db, endpoint_id, True)
    assert states(db, endpoint_id) == ["parked"] * 3
    assert webhooks.DELIVERY_STATES["parked"]
    assert deliverer.run_once(now=time.time() + 3600) == 0 and len(receiver.received) == 1
    row_id = db.execute("SELECT min(id) FROM webhook_deliveries").fetchone()[0]
    webhooks.resend(db, row_id)  # resending for a disabled endpoint stays parked
    assert states(db, endpoint_id) == ["parked"] * 3
    webhooks.set_disabled(db, endpoint_id, False)
    assert states(db, endpoint_id) == ["pending"] * 3
    assert deliverer.run_once() == 3
    assert states(db, endpoint_id) == ["delivered"] * 3


def test_a_disabled_endpoints_pending_rows_are_not_picked(db, receiver, deliverer):
    endpoint_id, _ = webhooks.create_endpoint(db, Vault(), receiver.url, [TYPE])
    enqueue(db, 2, "e")
    db.execute("UPDATE webhook_endpoints SET disabled = 1 WHERE id = ?", [endpoint_id])
    db.conn.commit()  # disabled behind the module's back: its rows are still not sent
    assert deliverer.run_once() == 0 and receiver.received == []


@pytest.mark.parametrize(("status", "after"), [(500, "parked"), (200, "delivered")])
def test_a_row_parked_while_in_flight_is_delivered_or_stays_parked(
    db, receiver, deliverer, status, after
):
    receiver.answers = [status]
    endpoint_id, _ = webhooks.create_endpoint(db, Vault(), receiver.url, [TYPE])
    enqueue(db, 1, "f")
    row = next(iter(db.query("SELECT * FROM webhook_deliveries")))
    assert delivery._claim(db, row["id"], time.time())
    webhooks.set_disabled(db, endpoint_id, True)  # while the POST is under way
    assert deliverer.send(row, time.time()) is (status == 200)
    assert states(db, endpoint_id) == [after]
