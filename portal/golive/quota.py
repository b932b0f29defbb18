"""What the platform (not a merchant) is waiting for, for the admin's health page: the
monthly submit quota as WeChat last answered it, and the setups held or postponed.

The quota (``queryquota``: submits and speed-ups left this month) is the platform's,
shared by all its mini programs, and read with any of their A-tokens. The worker's
``golive.actions`` kind asks once an hour (``due``, ``claim``, then ``remember`` or
``failed``) with a token that is still valid, and a speed-up asks before it spends one.
Pages read ``last``; they never call WeChat. One row, ``golive_quota`` (migration 14).
"""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import first, transaction
from portal.golive import steps as st
from portal.timefmt import month_start_after

EVERY = 3600.0  # how often the worker asks
RETRY = 300.0  # after a failed ask
STALE = 2 * EVERY  # older than this, the health page says so


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def _upsert(db: sqlite_utils.Database, sets: dict) -> None:
    columns = ", ".join(sets)
    marks = ", ".join("?" for _ in sets)
    updates = ", ".join(f"{column} = excluded.{column}" for column in sets)
    db.execute(
        f"INSERT INTO golive_quota (id, {columns}) VALUES (1, {marks}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        list(sets.values()),
    )


def remember(db: sqlite_utils.Database, quota, appid: str = "", now: float | None = None) -> None:
    """Keep a ``queryquota`` answer (a ``Quota``: rest, limit, speedup_rest, speedup_limit)."""
    now = _now(now)
    with transaction(db):
        _upsert(db, {
            "rest": quota.rest, "monthly_limit": quota.limit, "speedup_rest": quota.speedup_rest,
            "speedup_limit": quota.speedup_limit, "answered_at": now, "appid": appid,
            "asked_at": now, "claimed_until": None, "error": None,
        })  # fmt: skip


def failed(db: sqlite_utils.Database, error: str, now: float | None = None) -> None:
    """The hourly ask got no answer: the last one stays, the error is shown beside it."""
    with transaction(db):
        _upsert(db, {"asked_at": _now(now), "claimed_until": None, "error": error[:300]})


def last(db: sqlite_utils.Database, now: float | None = None) -> dict | None:
    """The last answer, with its age, whether it is stale, and when the month resets."""
    now = _now(now)
    row = first(db, "SELECT * FROM golive_quota WHERE id = 1")
    if row is None or row["answered_at"] is None:
        return None if row is None or not row["error"] else {"never": True, **row}
    return {
        **row,
        "never": False,
        "age": now - row["answered_at"],
        "stale": now - row["answered_at"] > STALE,
        "used_up": (row["rest"] or 0) <= 0,
        "resets_at": month_start_after(now),
    }


def due(db: sqlite_utils.Database, now: float, every: float = EVERY) -> bool:
    row = first(db, "SELECT * FROM golive_quota WHERE id = 1")
    if row is None:
        return True
    if (row["claimed_until"] or 0) > now:
        return False
    return now >= max((row["answered_at"] or 0) + every, (row["asked_at"] or 0) + RETRY)


def claim(db: sqlite_utils.Database, now: float, lease: float, every: float = EVERY) -> bool:
    """Take the hourly ask (one process at a time)."""
    with transaction(db):
        if not due(db, now, every):
            return False
        _upsert(db, {"asked_at": now, "claimed_until": now + lease})
    return True


def holders(db: sqlite_utils.Database, now: float, limit: int = 3) -> list[dict]:
    """Authorized mini programs whose token is still valid (asking refreshes none)."""
    return list(
        db.query(
            "SELECT appid, submission_id FROM authorizers WHERE state = 'authorized' "
            "AND access_token IS NOT NULL AND expires_at > ? ORDER BY expires_at DESC LIMIT ?",
            [now + 60, limit],
        )
    )


def waiting_on_platform(
    db: sqlite_utils.Database, now: float | None = None, limit: int = 100
) -> list[dict]:
    """Steps held for staff, or postponed by the platform with a reason (the month's
    submit quota spent, a retry later): oldest first, with the company and the appid."""
    rows = db.query(
        "SELECT t.setup_id, t.step, t.state, t.reason, t.errcode, t.due_at, t.updated_at, "
        "u.submission_id, u.appid, s.name FROM setup_steps t "
        "JOIN setups u ON u.id = t.setup_id JOIN submissions s ON s.id = u.submission_id "
        "WHERE t.state = ? OR (t.state IN (?, ?) AND t.reason IS NOT NULL AND t.due_at > ?) "
        "ORDER BY t.updated_at LIMIT ?",
        [st.HELD, st.GIVEN, st.WORKING, _now(now), limit],
    )
    return list(rows)
