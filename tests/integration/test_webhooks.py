"""Webhooks with real processes: every state change reaches a loopback receiver that
fails at first, in order per submission, signed, through a SIGKILLed worker."""

import json
from collections import defaultdict

import httpx
import pytest

from portal import apikeys as keys
from portal.db import connect
from portal.registration import delivery, outbox, webhooks
from portal.wechat.authorizers import Vault
from tests.conftest import wait_until
from tests.integration.test_lifecycle import sandbox_task
from tests.registration.facts import facts
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_webhooks import documented_verify

pytestmark = pytest.mark.integration

#: A delivery the killed worker held is sent again once its lease expires.
PATIENCE = delivery.LEASE + 15

EXPECTED = {
    "广州市钩子成功科技有限公司": [
        # classic: the legal person's step has no push of its own (v2 adds awaiting_legal_person)
        "submission.created", "submission.sent", "submission.succeeded", "submission.authorized",
    ],
    "沙箱S103钩子科技有限公司": ["submission.created", "submission.sent", "submission.failed"],
    "沙箱E86004钩子科技有限公司": ["submission.created", "submission.rejected"],
    "沙箱S100003钩子科技有限公司": ["submission.created", "submission.sent", "submission.expired"],
}  # fmt: skip


def received_by_submission(receiver):
    """Each submission's event types in the order first received (retries folded)."""
    seen, order = set(), defaultdict(list)
    for _, body in receiver.received:
        event = json.loads(body)
        if event["id"] in seen:
            continue
        seen.add(event["id"])
        sub = event["data"]["submission"]
        order[sub["company_name"]].append(event["type"])
    return order


def undelivered(db) -> list[tuple]:
    return db.execute(
        "SELECT d.id, d.state, d.attempts, d.last_status, d.last_error, e.type "
        "FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
        "WHERE d.state != 'delivered' ORDER BY d.id"
    ).fetchall()


def test_every_state_change_reaches_the_receiver_in_order(stack):
    receiver = Receiver([500, 500, 502])
    db = connect(stack.env["PORTAL_DATABASE"])
    try:
        _, secret = webhooks.create_endpoint(db, Vault(), receiver.url, outbox.EVENT_TYPES)
        _, key = keys.create(db, "integration", ["submissions:write"], None)
        for name in EXPECTED:
            answer = httpx.post(
                f"{stack.portal_url}/api/v1/submissions",
                json=facts(name),
                headers={
                    "Authorization": f"Bearer {key}",
                    "Idempotency-Key": f"crm-{len(name)}-{hash(name)}",
                },
            )
            assert answer.status_code == 201, answer.text
        name = "广州市钩子成功科技有限公司"
        task = wait_until(
            lambda: (t := sandbox_task(stack, name)) and t["state"] == "legal_person" and t,
            what="the template message",
        )
        stack.kill("worker")  # mid-flight: deliveries it held are sent again
        stack.start_worker()
        httpx.post(f"{stack.sandbox_url}/sandbox/legal-person/{task['id']}", data={"choice": "approve"})  # fmt: skip
        try:
            wait_until(
                lambda: received_by_submission(receiver) == EXPECTED, PATIENCE, "every event"
            )
        except AssertionError:
            assert dict(received_by_submission(receiver)) == EXPECTED  # fmt: skip
        verify = documented_verify()
        assert all(verify(secret, h["Portal-Signature"], b) for h, b in receiver.received)
        # The receiver holds a request before the worker reads its answer and records it:
        # wait for the record (a delivery the killed worker held waits for its lease).
        try:
            wait_until(lambda: not undelivered(db), PATIENCE, "every delivery recorded")
        except AssertionError:
            assert undelivered(db) == []
    finally:
        receiver.close()
        db.conn.close()
