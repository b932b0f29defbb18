"""Record a decrypted push and apply it exactly once.

WeChat re-sends a push it did not see answered (REFERENCE §4), with the same XML; the
SHA-256 of that XML is unique in ``pushes``, so a repeat is recorded once and changes
state once. Which submission a result push applies to, and how, is ``results``'s.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration import outbox, results
from portal.registration.timing import Timing
from portal.wechat.credentials import TICKET, set_credential
from portal.wechat.events import (
    AuthorizationEvent,
    Event,
    RegisterResultEvent,
    TicketEvent,
)

log = logging.getLogger(__name__)

TICKET_LIFETIME = 12 * 3600


def record(
    db: sqlite_utils.Database,
    event: Event,
    xml: str,
    now: float | None = None,
    timing: Timing | None = None,
) -> str:
    """Store the push and apply its effect; return a short outcome for logs."""
    now = time.time() if now is None else now
    timing = timing or Timing()
    fingerprint = hashlib.sha256(xml.encode()).hexdigest()
    with transaction(db):
        seen = db.execute("SELECT id FROM pushes WHERE fingerprint = ?", [fingerprint]).fetchone()
        if seen is not None:
            return "duplicate"
        submission_id, outcome = _apply(db, event, now, timing)
        insert(
            db,
            "pushes",
            {
                "received_at": now,
                "fingerprint": fingerprint,
                "info_type": event.info_type or "(none)",
                "create_time": event.create_time,
                "xml": xml,
                "fields": json.dumps(
                    {**event.fields, **getattr(event, "info", {})}, ensure_ascii=False
                ),
                "submission_id": submission_id,
                "outcome": outcome,
            },
        )
    return outcome


def _apply(db, event: Event, now: float, timing: Timing) -> tuple[int | None, str]:
    if isinstance(event, TicketEvent):
        if not event.ticket:
            return None, "ticket push without a ticket"
        set_credential(db, TICKET, event.ticket, now + TICKET_LIFETIME)
        return None, "ticket stored"
    if isinstance(event, RegisterResultEvent):
        return results.apply_push(db, event, timing, now)
    if isinstance(event, AuthorizationEvent):
        # updateauthorized changes permissions, not whether the platform is authorized.
        state = "unauthorized" if event.info_type == "unauthorized" else "authorized"
        cursor = db.execute(
            "UPDATE authorizers SET state = ?, updated_at = ? WHERE appid = ?",
            [state, now, event.authorizer_appid],
        )
        if event.info_type in ("unauthorized", "updateauthorized"):
            _authorization_event(db, event, now)
        return None, f"{event.info_type}: {'known' if cursor.rowcount else 'unknown'} authorizer"
    return None, f"recorded unknown InfoType {event.info_type!r}"


def _authorization_event(db, event: AuthorizationEvent, now: float) -> None:
    row = db.execute(
        "SELECT submission_id FROM authorizers WHERE appid = ?", [event.authorizer_appid]
    ).fetchone()
    snapshot = {
        "appid": event.authorizer_appid,
        "submission_id": row[0] if row else None,
        "info_type": event.info_type,
        "create_time": event.create_time,
    }
    outbox.enqueue(
        db,
        f"authorizer.{event.info_type}",
        f"authorizer:{event.authorizer_appid}",
        snapshot,
        submission_id=snapshot["submission_id"],
        now=now,
    )


def get(db: sqlite_utils.Database, push_id: int) -> dict | None:
    return first(db, "SELECT * FROM pushes WHERE id = ?", [push_id])
