"""Login throttling per account and per address, kept in the database so a restart
does not reset it. Brute force gets "try again in N minutes", never a 500."""

from __future__ import annotations

import math
import time

import sqlite_utils

from portal.db import insert, transaction

WINDOW = 15 * 60
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


def _failures(db: sqlite_utils.Database, column: str, value: str, since: float) -> list[float]:
    rows = db.execute(
        f"SELECT at FROM login_attempts WHERE {column} = ? AND at >= ? AND succeeded = 0 "
        "ORDER BY at",
        [value, since],
    ).fetchall()
    return [row[0] for row in rows]


def minutes_locked(db: sqlite_utils.Database, username: str, address: str) -> int:
    """0 when a login may be tried; otherwise the minutes to wait."""
    now = time.time()
    waits = []
    for column, value, limit in (
        ("username", username, ACCOUNT_LIMIT),
        ("address", address, ADDRESS_LIMIT),
    ):
        failures = _failures(db, column, value, now - WINDOW)
        if len(failures) >= limit:
            waits.append(failures[-limit] + WINDOW - now)
    return math.ceil(max(waits) / 60) if waits else 0


def record(db: sqlite_utils.Database, username: str, address: str, succeeded: bool) -> None:
    with transaction(db):
        insert(
            db,
            "login_attempts",
            {
                "at": time.time(),
                "username": username,
                "address": address,
                "succeeded": int(succeeded),
            },
        )
