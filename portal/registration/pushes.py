"""Record a decrypted push and apply it exactly once.

WeChat re-sends a push it did not see answered (REFERENCE §4), with the same XML; the
SHA-256 of that XML is unique in ``pushes``, so a repeat is recorded once and changes
state once. A result push is matched to the latest in-flight submission with the same
normalized facts (REFERENCE §5).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration import outbox
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat import codes
from portal.wechat.credentials import TICKET, set_credential
from portal.wechat.events import (
    AuthorizationEvent,
    Event,
    RegisterResultEvent,
    TicketEvent,
)

log = logging.getLogger(__name__)

TICKET_LIFETIME = 12 * 3600


def record(db: sqlite_utils.Database, event: Event, xml: str, now: float | None = None) -> str:
    """Store the push and apply its effect; return a short outcome for logs."""
    now = time.time() if now is None else now
    fingerprint = hashlib.sha256(xml.encode()).hexdigest()
    with transaction(db):
        seen = db.execute("SELECT id FROM pushes WHERE fingerprint = ?", [fingerprint]).fetchone()
        if seen is not None:
            return "duplicate"
        submission_id, outcome = _apply(db, event, now)
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


def _apply(db, event: Event, now: float) -> tuple[int | None, str]:
    if isinstance(event, TicketEvent):
        if not event.ticket:
            return None, "ticket push without a ticket"
        set_credential(db, TICKET, event.ticket, now + TICKET_LIFETIME)
        return None, "ticket stored"
    if isinstance(event, RegisterResultEvent):
        return _apply_result(db, event, now)
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


def find_submission(db, info: dict[str, str]) -> dict | None:
    """The latest in-flight submission a result push's ``<info>`` belongs to."""
    for flavor in FLAVORS.values():
        found = flavor.find_for_push(db, info)
        if found is not None:
            return found
    return None


def _apply_result(db, event: RegisterResultEvent, now: float) -> tuple[int | None, str]:
    sub = find_submission(db, event.info)
    if sub is None:
        log.warning("result push status=%s matched no in-flight submission", event.status)
        return None, "unmatched"
    flavor = FLAVORS[sub["flavor"]]
    entry = flavor.result(event.status, event.msg)
    code = f"（{event.status}）" if event.status else ""  # a success needs no code
    detail = f"微信推送结果：{entry.title}{code}"
    pushable = (subs.QUEUED, *subs.WITH_WECHAT, subs.HELD)  # narrowed by find_submission
    if entry.outcome == codes.PROGRESS:
        subs.transition(db, sub["id"], subs.AWAITING, detail, expect=pushable, now=now)
        return sub["id"], "progress"
    to_state = {codes.SUCCEEDED: subs.SUCCEEDED, codes.EXPIRED: subs.EXPIRED}.get(
        entry.outcome, subs.FAILED
    )
    if to_state == subs.EXPIRED and flavor.orphaned(sub):
        # The task whose answer we never got has ended; the legal person never saw a link.
        subs.transition(
            db,
            sub["id"],
            subs.QUEUED,
            f"{detail}；该任务的验证链接未能取得，平台自动重新提交",
            expect=pushable,
            now=now,
            next_attempt_at=now,
            claimed_until=None,
            held_from=None,
        )
        return sub["id"], "resend"
    changes = {"push_status": event.status, "push_msg": event.msg, "now": now}
    if to_state == subs.SUCCEEDED:
        changes.update(appid=event.appid, auth_code=event.auth_code, next_attempt_at=now)
    changes.update(claimed_until=None, held_from=None, retries=0)
    subs.transition(db, sub["id"], to_state, detail, expect=pushable, **changes)
    return sub["id"], to_state


def get(db: sqlite_utils.Database, push_id: int) -> dict | None:
    return first(db, "SELECT * FROM pushes WHERE id = ?", [push_id])
