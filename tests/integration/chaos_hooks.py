"""The chaos run's webhook and push-delivery checks.

Two endpoints want every event: a healthy receiver (which fails 30% of its first
answers) and a dead one (a port on 127.0.0.1 that is bound but never listens, so every
connection is refused). The healthy one must receive every state change's event, in
order per submission; the dead one's deliveries must end pending or failed, never
delivered, with the refusals recorded as attempts.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time

from portal.registration import outbox
from tests.integration.chaos_checks import Truth, rows
from tests.webhooks.receiver import Receiver


def dead_url() -> tuple[socket.socket, str]:
    """A loopback URL where nothing listens; keep the socket open to hold the port."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    return holder, f"http://127.0.0.1:{holder.getsockname()[1]}/hooks"


def wait_for_deliveries(portal: str, endpoint_id: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        left = rows(
            portal,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? "
            "AND state != 'delivered'",
            [endpoint_id],
        )
        if left[0]["n"] == 0:
            return True
        time.sleep(0.3)
    return False


def check_webhooks(
    truth: Truth, receiver: Receiver, healthy: int, dead: int, deadline: float
) -> list[str]:
    portal, failures = truth.portal, []
    if not wait_for_deliveries(portal, healthy, deadline):
        stuck = rows(
            portal,
            "SELECT id, event_id, state, attempts, last_status, last_error FROM "
            "webhook_deliveries WHERE endpoint_id = ? AND state != 'delivered'",
            [healthy],
        )
        failures.append(f"healthy endpoint: deliveries not delivered in time: {stuck[:10]}")
    received: dict[int, list[str]] = {}
    seen: set[str] = set()
    for _, body in list(receiver.received):
        event = json.loads(body)
        if event["id"] not in seen and "submission" in event["data"]:
            seen.add(event["id"])
            received.setdefault(event["data"]["submission"]["id"], []).append(event["type"])
    truth.load()
    for sub in truth.subs:
        changes = truth.events.get(sub["id"], [])
        expected = [t for c in changes for t in outbox.state_events(c["from_state"], c["to_state"])]
        stored = [
            r["type"]
            for r in rows(
                portal,
                "SELECT type FROM webhook_events WHERE submission_id = ? ORDER BY id",
                [sub["id"]],
            )
        ]
        if stored != expected:
            failures.append(f"submission {sub['id']}: outbox {stored} != changes {expected}")
        if received.get(sub["id"], []) != expected:
            failures.append(
                f"submission {sub['id']}: healthy endpoint received "
                f"{received.get(sub['id'])}, expected {expected}"
            )
    states = rows(
        portal,
        "SELECT state, count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY state",
        [dead],
    )
    refused = rows(
        portal,
        "SELECT count(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d "
        "ON d.id = a.delivery_id WHERE d.endpoint_id = ? AND a.status IS NULL",
        [dead],
    )
    by_state = {r["state"]: r["n"] for r in states}
    if by_state.get("delivered") or set(by_state) - {"pending", "failed"}:
        failures.append(f"dead endpoint: deliveries by state {by_state}")
    if not refused[0]["n"]:
        failures.append(f"dead endpoint: no refused attempt recorded ({by_state})")
    return failures


def lost_pushes(truth: Truth) -> list[dict]:
    """The sandbox's pushes that the portal never recorded (its outbox XML, by SHA-256)."""
    recorded = {r["fingerprint"] for r in rows(truth.portal, "SELECT fingerprint FROM pushes")}
    lost = []
    for push in rows(truth.sandbox, "SELECT * FROM outbox ORDER BY id"):
        if hashlib.sha256(push["xml"].encode()).hexdigest() in recorded:
            continue
        found = {
            tag: (m.group(1) or m.group(2))
            if (m := re.search(_TAG.format(tag), push["xml"]))
            else ""
            for tag in ("InfoType", "status", "appid", "name", "taskid")
        }
        lost.append({"outbox": push["id"], "state": push["state"], **found})
    return lost


_TAG = r"<{0}>(?:<!\[CDATA\[(.*?)\]\]>|(-?\d+))</{0}>"
