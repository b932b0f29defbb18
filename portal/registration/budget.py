"""The search budget, and searches staff ask for.

``search`` (classic) and ``query`` (v2) cost quota, so the worker searches under a daily
budget. Staff never call WeChat from a page: *ask WeChat now* records a request, and
the worker makes the search within the same budget (``portal.tasks.search``).
"""

from __future__ import annotations

import time

import sqlite_utils

from portal.timefmt import day_start
from portal.wechat.calllog import SEARCH_ENDPOINTS, calls_since


def left_today(db: sqlite_utils.Database, budget: int) -> int:
    """Searches still allowed today (the Beijing day) under ``budget``."""
    return max(0, budget - calls_since(db, SEARCH_ENDPOINTS, day_start(time.time())))


def request(db: sqlite_utils.Database, submission_id: int) -> bool:
    """Staff ask for a search; False if one is already waiting for the worker."""
    cursor = db.execute(
        "UPDATE submissions SET search_requested_at = ? "
        "WHERE id = ? AND search_requested_at IS NULL",
        [time.time(), submission_id],
    )
    db.conn.commit()
    return cursor.rowcount == 1
