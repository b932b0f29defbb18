"""Deliver the outbox: signed POSTs, at least once, in order per submission, with backoff.

A delivery is claimed with a lease (``claimed_until``), so a worker killed mid-POST
leaves it to be sent again: at least once, never lost. For one endpoint and one
subject (a submission, an authorizer), an event is sent only after the earlier ones
were delivered or given up, so a receiver sees them in the order they happened.
Failures retry after ``PORTAL_WEBHOOK_RETRY_DELAY`` seconds, doubling up to four hours,
until ``PORTAL_WEBHOOK_RETRY_HOURS`` after the event; then the delivery is failed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration import webhooks
from portal.wechat.authorizers import Vault

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Portal-Signature"
MAX_DELAY = 4 * 3600
LEASE = 60.0
BATCH = 50
KEPT_RESPONSE = 1000


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Connect to the checked address (no second DNS answer), keeping Host and TLS name."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), headers, extensions


def next_delay(attempts: int, base: float) -> float:
    return min(base * 2 ** max(attempts - 1, 0), MAX_DELAY)


def _due(db: sqlite_utils.Database, now: float) -> list[dict]:
    return list(
        db.query(
            "SELECT d.* FROM webhook_deliveries d WHERE d.state = 'pending' "
            "AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?) "
            "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id "
            "AND e.subject = d.subject AND e.state = 'pending' AND e.id < d.id) "
            "ORDER BY d.id LIMIT ?",
            [now, now, BATCH],
        )
    )


def _claim(db: sqlite_utils.Database, delivery_id: int, now: float) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ? AND state = 'pending' "
            "AND (claimed_until IS NULL OR claimed_until <= ?)",
            [now + LEASE, delivery_id, now],
        )
    return cursor.rowcount == 1


class Deliverer:
    """Sends due deliveries; one per worker process, in its own thread."""

    def __init__(self, db: sqlite_utils.Database, config: Mapping[str, Any], http: httpx.Client):
        self.db, self.http = db, http
        self.vault = Vault(str(config.get("TOKEN_KEY") or ""))
        self.base_url = str(config.get("PUBLIC_URL") or "").rstrip("/")
        self.delay = float(config.get("WEBHOOK_RETRY_DELAY", 30))
        self.window = float(config.get("WEBHOOK_RETRY_HOURS", 24)) * 3600
        self.allow_private = config.get("ENV") != "production" or bool(
            config.get("WEBHOOK_ALLOW_PRIVATE")
        )

    def run_once(self, now: float | None = None) -> int:
        """Try every due delivery once; return how many were delivered."""
        now = time.time() if now is None else now
        failing: set[int] = set()  # endpoints that failed this round wait for the next
        delivered = 0
        for row in _due(self.db, now):
            if row["endpoint_id"] in failing or not _claim(self.db, row["id"], now):
                continue
            if self.send(row, now):
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
        """POST one delivery and record the attempt; True when the endpoint answered 2xx."""
        endpoint = webhooks.endpoint(self.db, row["endpoint_id"])
        event = first(self.db, "SELECT * FROM webhook_events WHERE id = ?", [row["event_id"]])
        body = self.body(event, endpoint)
        status, response, error = None, "", ""
        started = time.monotonic()
        problem, address = webhooks.target_problem(endpoint["url"], self.allow_private)
        if problem:
            error = problem
        else:
            url, headers, extensions = _pinned(endpoint["url"], address)
            timestamp = int(time.time())
            headers.update(
                {
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": "fast-register-portal-webhooks/1",
                    SIGNATURE_HEADER: signature(
                        self.vault.open(endpoint["secret"]), timestamp, body
                    ),
                    "Portal-Event-Id": f"evt_{row['event_id']}",
                    "Portal-Event-Type": event["type"],
                    "Portal-Delivery-Id": str(row["id"]),
                }
            )
            try:
                answer = self.http.post(url, content=body, headers=headers, extensions=extensions)
                status, response = answer.status_code, answer.text[:KEPT_RESPONSE]
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
        ms = int((time.monotonic() - started) * 1000)
        ok = status is not None and 200 <= status < 300
        self._record(row, now, ok, status, response, error, ms)
        return ok

    def _record(
        self, row, now: float, ok: bool, status, response: str, error: str, ms: int
    ) -> None:
        attempts = row["attempts"] + 1
        created = row["created_at"]
        if ok:
            state, next_at = "delivered", None
        else:
            next_at = now + next_delay(attempts, self.delay)
            state = "pending" if next_at <= created + self.window else "failed"
        with transaction(self.db):
            insert(
                self.db,
                "webhook_attempts",
                {
                    "delivery_id": row["id"],
                    "at": now,
                    "status": status,
                    "response": response,
                    "error": error,
                    "ms": ms,
                },
            )
            self.db.execute(
                "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, "
                "claimed_until = NULL, last_status = ?, last_error = ?, delivered_at = ? "
                "WHERE id = ?",
                [
                    state,
                    attempts,
                    next_at if state == "pending" else None,
                    status,
                    error,
                    now if ok else None,
                    row["id"],
                ],
            )
        if not ok:
            log.info("webhook delivery %s failed (%s %s); %s", row["id"], status, error, state)
