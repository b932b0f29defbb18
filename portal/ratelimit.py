"""A sliding-window rate limit kept in the database (shared by processes, survives restarts).

Used on the public form (every submission spends WeChat quota, so one address may only
submit so many in an hour) and on ``/find`` (guessing a second fact stays hopeless).

The check and the record are one step: ``take`` counts the window and inserts the
event in one ``INSERT … SELECT … WHERE count < limit`` inside ``BEGIN IMMEDIATE``, so a
concurrent burst (threads, page workers, processes) lets exactly ``limit`` through.
Counting first and recording later let every request of a burst count before any had
recorded.

``minutes_until_allowed`` and ``record`` keep the routes' check, act, record pattern
atomic too: within a request, the check takes the place at once; ``record`` for the
same kind and key keeps it, and a place not recorded by the end of the request (the
attempt was refused, or created nothing) is given back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import sqlite_utils
from flask import Response, after_this_request, g, has_request_context

from portal.db import insert, transaction

Limit = tuple[str, str, int, float]  # kind, key, limit, window (seconds)
KEEP_SECONDS = 86400  # nothing older than a day is ever asked about


def _wait(
    db: sqlite_utils.Database, kind: str, key: str, limit: int, window: float, now: float
) -> int:
    """Minutes until one more event fits (at least 1), given the window is full."""
    rows = db.execute(
        "SELECT at FROM rate_events WHERE kind = ? AND key = ? AND at >= ? ORDER BY at DESC "
        "LIMIT ?",
        [kind, key, now - window, max(limit, 1)],
    ).fetchall()
    oldest = rows[-1][0] if len(rows) >= limit and rows else now
    return max(1, math.ceil((oldest + window - now) / 60))


def _take_all(db: sqlite_utils.Database, limits: Iterable[Limit]) -> tuple[int, list[int]]:
    limits = list(limits)
    now = time.time()
    taken: list[int] = []
    with transaction(db):  # BEGIN IMMEDIATE: the count and the insert hold the write lock
        for kind, key, limit, window in limits:
            cursor = db.execute(
                "INSERT INTO rate_events (kind, key, at) SELECT ?, ?, ? WHERE ("
                "SELECT count(*) FROM rate_events WHERE kind = ? AND key = ? AND at >= ?) < ?",
                [kind, key, now, kind, key, now - window, limit],
            )
            if cursor.rowcount != 1:
                # All or nothing: give back the places taken so far (not a rollback,
                # which would also undo a caller's transaction this one joined).
                marks = ", ".join("?" for _ in taken)
                db.execute(f"DELETE FROM rate_events WHERE id IN ({marks})", taken)
                return _wait(db, kind, key, limit, window, now), []
            taken.append(cursor.lastrowid)
        db.execute("DELETE FROM rate_events WHERE at < ?", [now - KEEP_SECONDS])
    return 0, taken


def take_all(db: sqlite_utils.Database, limits: Iterable[Limit]) -> int:
    """Record one event under every limit if each has room, else none: 0 if recorded,
    otherwise the minutes to wait (for the first full one)."""
    return _take_all(db, limits)[0]


def take(db: sqlite_utils.Database, kind: str, key: str, limit: int, window: float) -> int:
    """Record one event if fewer than ``limit`` were recorded in the last ``window``
    seconds: 0 if recorded, otherwise the minutes to wait. One atomic step."""
    return take_all(db, [(kind, key, limit, window)])


def _held() -> list[list]:
    """The places this request took and has not recorded: [kind, key, event id]."""
    if "ratelimit_held" not in g:
        g.ratelimit_held = []
    return g.ratelimit_held


def minutes_until_allowed(
    db: sqlite_utils.Database, kind: str, key: str, limit: int, window: float
) -> int:
    """0 if another event is allowed now; otherwise the minutes to wait.

    In a request, an allowed event's place is taken at once (see the module): call
    ``record`` to keep it. Outside a request this only counts; use ``take`` instead.
    """
    if not has_request_context():
        now = time.time()
        count = db.execute(
            "SELECT count(*) FROM rate_events WHERE kind = ? AND key = ? AND at >= ?",
            [kind, key, now - window],
        ).fetchone()[0]
        return 0 if count < limit else _wait(db, kind, key, limit, window, now)
    wait, taken = _take_all(db, [(kind, key, limit, window)])
    if wait:
        return wait
    place = [kind, key, taken[0]]
    _held().append(place)

    @after_this_request
    def give_back(response: Response) -> Response:
        if place in _held():
            _held().remove(place)
            with transaction(db):
                db.execute("DELETE FROM rate_events WHERE id = ?", [place[2]])
        return response

    return 0


def record(db: sqlite_utils.Database, kind: str, key: str) -> None:
    """Count an event: keep the place this request's check took, or record a new one."""
    if has_request_context():
        held = _held()
        for place in held:
            if place[:2] == [kind, key]:
                held.remove(place)
                return
    now = time.time()
    with transaction(db):
        insert(db, "rate_events", {"kind": kind, "key": key, "at": now})
        db.execute("DELETE FROM rate_events WHERE at < ?", [now - KEEP_SECONDS])
