"""Submissions and their state machine (DESIGN § The submission lifecycle).

queued → sending → checking → awaiting_legal_person → succeeded → authorized, or
rejected (create refused), failed (push status ≠ 0) or expired (100001-100003); held
when the worker stopped trying (an operator problem, an unknown errcode, retries used
up) until staff release it. ``sending`` means a create call was started and its
outcome is not yet known; the worker resolves it (``portal.tasks.resolve``) before it ever
calls create again, so a crash between the two neither loses nor duplicates a task.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration import outbox

if TYPE_CHECKING:  # flavors import this module; the caller hands submit its flavor
    from portal.registration.flavors.base import Flavor

QUEUED = "queued"
SENDING = "sending"
CHECKING = "checking"
AWAITING = "awaiting_legal_person"
SUCCEEDED = "succeeded"
AUTHORIZED = "authorized"
REJECTED = "rejected"
FAILED = "failed"
EXPIRED = "expired"
HELD = "held"  # the worker stopped trying; staff release it once the cause is fixed

IN_FLIGHT = (QUEUED, SENDING, CHECKING, AWAITING, HELD)
WITH_WECHAT = (SENDING, CHECKING, AWAITING)
ENDED = (REJECTED, FAILED, EXPIRED)
#: The one rule for which submissions a result push may apply to (docs/worker.md): a
#: create for it was started, and WeChat did not refuse its only create. Whatever the
#: state: a held or requeued submission may have a task at WeChat, and a success
#: overrides an end the portal inferred.
MAY_HAVE_BEEN_SENT_SQL = (
    f"(first_sent_at IS NOT NULL AND NOT (state = '{REJECTED}' AND coalesce(maybe_sent, 0) = 0))"
)
#: WeChat stamps a push in whole seconds; a create sent after the push was made
#: (beyond this much clock difference) cannot be what the push is about.
PUSH_CLOCK_SKEW = 5
LEGAL_PERSON_WINDOW = 24 * 3600


def _placeholders(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def get(db: sqlite_utils.Database, submission_id: int) -> dict | None:
    return first(db, "SELECT * FROM submissions WHERE id = ?", [submission_id])


def find_sent(
    db: sqlite_utils.Database, where: str, params: list[Any], made_at: float | None
) -> dict | None:
    """The newest submission matching ``where`` that a push made at ``made_at`` may be about."""
    made = float("inf") if made_at is None else made_at + PUSH_CLOCK_SKEW
    return first(
        db,
        f"SELECT * FROM submissions WHERE {where} AND {MAY_HAVE_BEEN_SENT_SQL} "
        "AND first_sent_at <= ? ORDER BY id DESC LIMIT 1",
        [*params, made],
    )


def poll_row(db: sqlite_utils.Database, public_id: str, columns: Iterable[str]) -> dict | None:
    """Only ``columns`` of one submission, by its public id (the status poll's query)."""
    columns = tuple(columns)
    names = ", ".join(columns)
    row = db.execute(f"SELECT {names} FROM submissions WHERE public_id = ?", [public_id]).fetchone()
    return dict(zip(columns, row, strict=True)) if row else None


def get_by_public_id(db: sqlite_utils.Database, public_id: str) -> dict | None:
    return first(db, "SELECT * FROM submissions WHERE public_id = ?", [public_id])


def in_flight_for(db: sqlite_utils.Database, match_key: str, states=IN_FLIGHT) -> dict | None:
    """The latest submission with these facts that WeChat may still be working on."""
    return first(
        db,
        f"SELECT * FROM submissions WHERE match_key = ? AND state IN ({_placeholders(states)}) "
        "ORDER BY id DESC LIMIT 1",
        [match_key, *states],
    )


def submit(
    db: sqlite_utils.Database,
    flavor: Flavor,
    facts: Mapping[str, Any],
    *,
    component_phone: str = "",
    contact_phone: str = "",
    partner_id: int | None = None,
    link_id: int | None = None,
    previous_id: int | None = None,
    now: float | None = None,
) -> tuple[dict, bool]:
    """Persist a new submission as queued, unless the same facts are already in flight.

    Returns (submission, created). Nothing is sent here: the worker sends.
    """
    now = time.time() if now is None else now
    values = flavor.normalized(facts)
    key = flavor.match_key(values)
    with transaction(db):
        existing = in_flight_for(db, key)
        if existing is not None:
            return existing, False
        if previous_id is not None and partner_id is None:
            # A resubmission stays attributed to the partner who brought the merchant.
            previous = get(db, previous_id)
            if previous:
                partner_id, link_id = previous["partner_id"], previous["link_id"]
        row = {
            **values,
            "public_id": secrets.token_urlsafe(18),
            "flavor": flavor.name,
            "component_phone": component_phone,
            "contact_phone": contact_phone,
            "match_key": key,
            "state": QUEUED,
            "previous_id": previous_id,
            "partner_id": partner_id,
            "link_id": link_id,
            "next_attempt_at": now,
            "last_activity_at": now,
            "created_at": now,
            "updated_at": now,
        }
        submission_id = insert(db, "submissions", row)
        _event(db, submission_id, None, QUEUED, "资料已保存，等待提交给微信", now)
        outbox.submission_changed(db, {**row, "id": submission_id}, None, now)
    return get(db, submission_id), True


def add_event(db: sqlite_utils.Database, submission_id: int, state: str, detail: str) -> None:
    """Note something on the timeline without a state change."""
    with transaction(db):
        _event(db, submission_id, state, state, detail, time.time())


def _event(db, submission_id, from_state, to_state, detail, now) -> None:
    insert(
        db,
        "submission_events",
        {
            "submission_id": submission_id,
            "at": now,
            "from_state": from_state,
            "to_state": to_state,
            "detail": detail,
        },
    )


def write(
    db: sqlite_utils.Database,
    current: Mapping[str, Any],
    to_state: str,
    detail: str,
    now: float,
    **updates: Any,
) -> dict:
    """Write a decision made on ``current``, read in the caller's open transaction.

    The timeline gets an event when the state changes or ``detail`` says something,
    and the outbox the events of the change. Returns the row as written.
    """
    changes = {**updates, "state": to_state, "updated_at": now}
    if current["state"] != to_state or detail:
        changes["last_activity_at"] = now
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute(
        f"UPDATE submissions SET {assignments} WHERE id = ?", [*changes.values(), current["id"]]
    )
    if current["state"] != to_state or detail:
        _event(db, current["id"], current["state"], to_state, detail, now)
    outbox.submission_changed(db, {**current, **changes}, current["state"], now)
    return {**current, **changes}


def transition(
    db: sqlite_utils.Database,
    submission_id: int,
    to_state: str,
    detail: str,
    *,
    expect: Iterable[str],
    now: float | None = None,
    **updates: Any,
) -> bool:
    """Move a submission from one of ``expect`` to ``to_state``; False if it was not there.

    The check and the update are one transaction, so two processes never both win.
    """
    now = time.time() if now is None else now
    with transaction(db):
        current = get(db, submission_id)
        if current is None or current["state"] not in tuple(expect):
            return False
        write(db, current, to_state, detail, now, **updates)
    return True


def update(db: sqlite_utils.Database, submission_id: int, **changes: Any) -> None:
    """Change bookkeeping columns without a state change."""
    changes["updated_at"] = time.time()
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with transaction(db):
        db.execute(
            f"UPDATE submissions SET {assignments} WHERE id = ?", [*changes.values(), submission_id]
        )


def timeline(db: sqlite_utils.Database, submission_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM submission_events WHERE submission_id = ? ORDER BY at, id",
            [submission_id],
        )
    )


def add_note(
    db: sqlite_utils.Database, submission_id: int, user_id: int, username: str, body: str
) -> None:
    """Attach a staff note to a submission's history."""
    row = {
        "submission_id": submission_id,
        "user_id": user_id,
        "username": username,
        "body": body,
        "at": time.time(),
    }
    with transaction(db):
        insert(db, "notes", row)


def release(db: sqlite_utils.Database, submission_id: int) -> bool:
    """Staff fixed the cause: put a held submission back where the worker left it."""
    sub = get(db, submission_id)
    if sub is None or sub["state"] != HELD:
        return False
    now = time.time()
    back_to = sub["held_from"] or QUEUED
    searching = {"next_search_at": now} if back_to in (CHECKING, AWAITING) else {}
    return transition(
        db,
        submission_id,
        back_to,
        "客服已处理，平台重新尝试",
        expect=[HELD],
        held_from=None,
        retries=0,
        retry_counts="{}",
        recover_tries=0,
        next_attempt_at=now,
        claimed_until=now if back_to == SENDING else None,
        **searching,
    )
