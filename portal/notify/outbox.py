"""The SMS outbox: a message per moment, written in the transaction of the change.

The domain calls the two hooks beside its webhook events (``registration.outbox`` for a
submission's state, ``golive.outcomes`` for a go-live step), so a message exists exactly
when its change was committed. Each row has a unique key (submission + moment, and for
go-live the step and how often it reached that state), so replaying a decision, a
duplicate push or a second call of a hook never sends twice. Only the moment and its
values are stored; the text is rendered by the worker (``delivery``) from the settings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import sqlite_utils

from portal.notify import consent, moments
from portal.notify.phones import e164

WITHDRAWN = 3  # get_auditstatus: withdrawn (golive.outcomes.WITHDRAWN)


def enqueue(
    db: sqlite_utils.Database,
    moment: str,
    phone: str,
    params: Sequence[str],
    key: str,
    *,
    submission_id: int | None = None,
    now: float | None = None,
) -> bool:
    """Queue one message (in the caller's transaction); False when its key was used."""
    now = time.time() if now is None else now
    number = e164(phone)
    if number is None or moment not in moments.MOMENTS:
        return False
    cursor = db.execute(
        "INSERT OR IGNORE INTO sms_messages (key, moment, audience, submission_id, phone, "
        "params, state, next_try_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
        [key, moment, moments.MOMENTS[moment].audience, submission_id, number,
         json.dumps(list(params), ensure_ascii=False), now, now, now],
    )  # fmt: skip
    return cursor.rowcount == 1


def _hours_left(row: Mapping[str, Any], now: float) -> str:
    deadline = row.get("deadline_at")
    if not deadline:
        return "24"
    return str(max(1, min(99, round((deadline - now) / 3600))))


def submission_changed(
    db: sqlite_utils.Database, row: Mapping[str, Any], from_state: str | None, now: float
) -> bool:
    """A submission reached ``row['state']``: queue its moment for a consenting merchant."""
    if from_state == row["state"] or row["state"] not in moments.STATE_MOMENTS:
        return False
    moment, value = moments.STATE_MOMENTS[row["state"]]
    if row.get("refused") and row["state"] == "expired":
        value = moments.REFUSED_VALUE
    if not row.get("contact_phone") or not consent.active(db, row["id"]):
        return False
    params = [_hours_left(row, now)] if moment == moments.LEGAL_PERSON else [value] if value else []
    key = f"submission:{row['id']}:{moment}"
    return enqueue(db, moment, row["contact_phone"], params, key, submission_id=row["id"], now=now)


def _withdrawn(db: sqlite_utils.Database, setup_id: int) -> bool:
    """An audit back with the merchant because it was withdrawn (staff's undo, WeChat's
    status 3; golive.outcomes.WITHDRAWN), not rejected: nothing to tell the merchant."""
    found = db.execute(
        "SELECT result FROM setup_steps WHERE setup_id = ? AND step = 'audit'", [setup_id]
    ).fetchone()
    try:
        return json.loads(found[0] or "{}").get("status") == WITHDRAWN
    except (TypeError, ValueError, AttributeError):
        return False


def step_changed(
    db: sqlite_utils.Database, setup: Mapping[str, Any], step: str, to_state: str, now: float
) -> bool:
    """A go-live step reached ``to_state``: queue the merchant's moment, if it is one."""
    if to_state == "needs_merchant" and step in moments.STEP_WORDS:
        moment, params = moments.GOLIVE_FIX, [moments.STEP_WORDS[step]]
    elif (step, to_state) == ("audit", "needs_merchant") and not _withdrawn(db, setup["id"]):
        moment, params = moments.AUDIT_FAILED, []
    elif (step, to_state) == ("release", "done"):
        moment, params = moments.RELEASED, []
    else:
        return False
    submission_id = setup["submission_id"]
    found = db.execute(
        "SELECT contact_phone FROM submissions WHERE id = ?", [submission_id]
    ).fetchone()
    if not found or not found[0] or not consent.active(db, submission_id):
        return False
    times = db.execute(
        "SELECT count(*) FROM setup_events WHERE setup_id = ? AND step = ? AND to_state = ?",
        [setup["id"], step, to_state],
    ).fetchone()[0]
    key = f"submission:{submission_id}:{moment}:{step}:{times}"
    return enqueue(db, moment, found[0], params, key, submission_id=submission_id, now=now)


def operator_alert(
    db: sqlite_utils.Database, phones: Sequence[str], word: str, episode: str, now: float
) -> int:
    """Queue an alert to each operator phone, once per episode; return how many."""
    return sum(
        enqueue(db, moments.ALERT, phone, [word], f"alert:{episode}:{e164(phone)}", now=now)
        for phone in phones
    )
