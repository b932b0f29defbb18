"""A sliding-window rate limit kept in the database (shared by processes, survives restarts).

Used on the public form: every submission spends WeChat quota, so one address may
only submit so many in an hour.
"""

from __future__ import annotations

import math
import time

import sqlite_utils

from portal.db import insert, transaction


def minutes_until_allowed(
    db: sqlite_utils.Database, kind: str, key: str, limit: int, window: float
) -> int:
    """0 if another event is allowed now; otherwise the minutes to wait."""
    now = time.time()
    rows = db.execute(
        "SELECT at FROM rate_events WHERE kind = ? AND key = ? AND at >= ? ORDER BY at",
        [kind, key, now - window],
    ).fetchall()
    if len(rows) < limit:
        return 0
    return max(1, math.ceil((rows[-limit][0] + window - now) / 60))


def record(db: sqlite_utils.Database, kind: str, key: str) -> None:
    now = time.time()
    with transaction(db):
        insert(db, "rate_events", {"kind": kind, "key": key, "at": now})
        # Keep the table small: nothing older than a day is ever asked about.
        db.execute("DELETE FROM rate_events WHERE at < ?", [now - 86400])
