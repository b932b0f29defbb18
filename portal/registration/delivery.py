"""Deliver the outbox: signed POSTs, at least once, in order per submission, with backoff.

A delivery is claimed with a lease (``claimed_until``), so a worker killed mid-POST
leaves it to be sent again: at least once, never lost. For one endpoint and one
subject (a submission, an authorizer), an event is sent only after the earlier ones
were delivered or given up, so a receiver sees them in the order they happened.
Failures retry after ``PORTAL_WEBHOOK_RETRY_DELAY`` seconds, doubling up to four hours,
until ``PORTAL_WEBHOOK_RETRY_HOURS`` after the event; then the delivery is failed.

Endpoints never hold each other up: each round takes up to ``BATCH`` due deliveries per
endpoint, skips an endpoint that is backing off (its oldest pending delivery is not due
yet) or already failed in the round, and never picks a disabled endpoint's deliveries.
Whatever goes wrong with one delivery (a secret that no longer opens, a bad URL, a
receiver that drips its answer) is that delivery's failed attempt, never the round's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from itertools import chain, zip_longest
from typing import Any

import httpx
import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration import webhooks
from portal.registration.webhook_exchange import KEPT_RESPONSE as KEPT_RESPONSE
from portal.registration.webhook_exchange import MAX_ANSWER as MAX_ANSWER
from portal.registration.webhook_exchange import Answer, post
from portal.registration.webhook_targets import pinned
from portal.wechat.authorizers import Vault, VaultError

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Portal-Signature"
MAX_DELAY = 4 * 3600
LEASE = 60.0
BATCH = 50  # per endpoint and round
#: The cap on one POST from connect to the answer's last byte read (well under LEASE).
POST_DEADLINE = 15.0
_pinned = pinned  # the name the tests know


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def next_delay(attempts: int, base: float) -> float:
    return min(base * 2 ** max(attempts - 1, 0), MAX_DELAY)


def _ready_endpoints(db: sqlite_utils.Database, now: float) -> list[int]:
    """Enabled endpoints whose oldest pending delivery is due (so not backing off)."""
    rows = db.execute(
        "SELECT p.id FROM webhook_endpoints p WHERE p.disabled = 0 AND (SELECT "
        "coalesce(d.next_attempt_at, 0) FROM webhook_deliveries d WHERE d.endpoint_id = p.id "
        "AND d.state = 'pending' ORDER BY d.id LIMIT 1) <= ? ORDER BY p.id",
        [now],
    )
    return [row[0] for row in rows]


def _due(db: sqlite_utils.Database, now: float, per_endpoint: int = BATCH) -> list[dict]:
    """Up to ``per_endpoint`` due deliveries of each ready endpoint, taken in turn."""
    picked = [
        list(
            db.query(
                "SELECT d.* FROM webhook_deliveries d WHERE d.endpoint_id = ? "
                "AND d.state = 'pending' AND d.next_attempt_at <= ? "
                "AND (d.claimed_until IS NULL OR d.claimed_until <= ?) AND NOT EXISTS "
                "(SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id "
                "AND e.subject = d.subject AND e.state = 'pending' AND e.id < d.id) "
                "ORDER BY d.id LIMIT ?",
                [endpoint_id, now, now, per_endpoint],
            )
        )
        for endpoint_id in _ready_endpoints(db, now)
    ]
    return [row for row in chain.from_iterable(zip_longest(*picked)) if row is not None]


def _claim(db: sqlite_utils.Database, delivery_id: int, now: float) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ? AND state = 'pending' "
            "AND (claimed_until IS NULL OR claimed_until <= ?)",
            [now + LEASE, delivery_id, now],
        )
    return cursor.rowcount == 1


def _describe(exc: BaseException) -> str:
    return (f"{type(exc).__name__}: {exc}"[:300]) or type(exc).__name__


class Deliverer:
    """Sends due deliveries; one per worker process, in its own thread."""

    def __init__(self, db: sqlite_utils.Database, config: Mapping[str, Any], http: httpx.Client):
        self.db, self.http = db, http
        self.vault = Vault(str(config.get("TOKEN_KEY") or ""))
        self.base_url = str(config.get("PUBLIC_URL") or "").rstrip("/")
        self.delay = float(config.get("WEBHOOK_RETRY_DELAY", 30))
        self.window = float(config.get("WEBHOOK_RETRY_HOURS", 24)) * 3600
        self.deadline = min(float(config.get("WEBHOOK_TIMEOUT", 10)), POST_DEADLINE)
        self.allow_private = config.get("ENV") != "production" or bool(
            config.get("WEBHOOK_ALLOW_PRIVATE")
        )

    def run_once(self, now: float | None = None) -> int:
        """Try every due delivery once; return how many were delivered."""
        start = time.time() if now is None else now
        began = time.monotonic()
        failing: set[int] = set()  # endpoints that failed this round wait for the next
        delivered = 0
        for row in _due(self.db, start):
            if row["endpoint_id"] in failing:
                continue
            at = start + (time.monotonic() - began)  # leases count from the claim itself
            try:
                if not _claim(self.db, row["id"], at):
                    continue
                ok = self.send(row, at)
            except Exception:  # the database itself failed: the lease sends it again
                log.exception("webhook delivery %s could not be recorded", row["id"])
                ok = False
            if ok:
                delivered += 1
            else:
                failing.add(row["endpoint_id"])
        return delivered

    def body(self, event: Mapping[str, Any], endpoint: Mapping[str, Any]) -> bytes:
        current = None
        if event["submission_id"] and endpoint["personal_data"]:
            current = first(
                self.db, "SELECT * FROM submissions WHERE id = ?", [event["submission_id"]]
            )
        data = webhooks.payload(
            event, current, personal=bool(endpoint["personal_data"]), base_url=self.base_url
        )
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    def send(self, row: Mapping[str, Any], now: float) -> bool:
        """POST one delivery and record the attempt; True when the endpoint answered 2xx.

        Every error is recorded as this delivery's failed attempt, backed off like any.
        """
        started = time.monotonic()
        try:
            answer = self._attempt(row)
        except Exception as exc:  # whatever it is, it is this delivery's, not the round's
            log.warning("webhook delivery %s: %s", row["id"], _describe(exc), exc_info=True)
            answer = Answer(None, "", f"投递出错：{_describe(exc)}")
        ms = int((time.monotonic() - started) * 1000)
        self._record(row, now, answer, ms)
        return answer.ok

    def _attempt(self, row: Mapping[str, Any]) -> Answer:
        endpoint = webhooks.endpoint(self.db, row["endpoint_id"])
        event = first(self.db, "SELECT * FROM webhook_events WHERE id = ?", [row["event_id"]])
        if endpoint is None or event is None:
            return Answer(None, "", "接收地址或事件已不存在")
        problem, address = webhooks.target_problem(endpoint["url"], self.allow_private)
        if problem or address is None:
            return Answer(None, "", problem or "无法解析域名")
        try:
            secret = self.vault.open(endpoint["secret"])
        except VaultError as exc:
            return Answer(
                None,
                "",
                "签名密钥无法解密：PORTAL_TOKEN_KEY 未设置或已更换"
                f"（{exc}）。请在接收地址页面点“更换签名密钥”，并把新密钥配置到接收方。",
            )
        body = self.body(event, endpoint)
        url, headers, extensions = pinned(endpoint["url"], address)
        headers.update(
            {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "fast-register-portal-webhooks/1",
                SIGNATURE_HEADER: signature(secret, int(time.time()), body),
                "Portal-Event-Id": f"evt_{row['event_id']}",
                "Portal-Event-Type": event["type"],
                "Portal-Delivery-Id": str(row["id"]),
            }
        )
        return post(self.http, url, body, headers, extensions, self.deadline)

    def _record(self, row: Mapping[str, Any], now: float, answer: Answer, ms: int) -> None:
        attempts = row["attempts"] + 1
        if answer.ok:
            state, next_at = "delivered", None
        else:
            next_at = now + next_delay(attempts, self.delay)
            state = "pending" if next_at <= row["created_at"] + self.window else "failed"
        with transaction(self.db):
            insert(
                self.db,
                "webhook_attempts",
                {
                    "delivery_id": row["id"],
                    "at": now,
                    "status": answer.status,
                    "response": answer.response,
                    "error": answer.error,
                    "ms": ms,
                },
            )
            # A delivery parked while it was being sent stays parked unless it arrived.
            self.db.execute(
                "UPDATE webhook_deliveries SET "
                "state = CASE WHEN state = 'parked' AND ? != 'delivered' THEN 'parked' ELSE ? END, "
                "attempts = ?, next_attempt_at = ?, claimed_until = NULL, last_status = ?, "
                "last_error = ?, delivered_at = ? WHERE id = ?",
                [
                    state,
                    state,
                    attempts,
                    next_at if state == "pending" else None,
                    answer.status,
                    answer.error,
                    now if answer.ok else None,
                    row["id"],
                ],
            )
        if not answer.ok:
            log.info(
                "webhook delivery %s failed (%s %s); %s",
                row["id"],
                answer.status,
                answer.error,
                state,
            )
