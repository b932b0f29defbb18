"""Who works on a submission, and until when: one lease per submission for every kind.

A kind claims a due submission only while no other holds it (``claim``), so two kinds
never work on one submission at once and a killed worker's lease simply passes. A
create's lease is special: while ``sending``, the lease passing is what makes the
resolution of an unanswered create due.
"""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.registration import submissions as subs
from portal.registration.outcomes import Decision, decide
from portal.registration.timing import Timing


def due(
    db: sqlite_utils.Database, where: str, params: list[Any], now: float, limit: int = 100
) -> list[dict]:
    """Ids of submissions where ``where`` holds and no work holds the lease, oldest first."""
    return list(
        db.query(
            f"SELECT id FROM submissions WHERE ({where}) "
            "AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT ?",
            [*params, now, limit],
        )
    )


def claim(
    db: sqlite_utils.Database,
    sub_id: int,
    due: str,
    params: list[Any],
    timing: Timing,
    now: float,
    **also: Any,
) -> dict | None:
    """Take the lease if ``due`` (SQL on the row) holds and it is free; the claimed row."""
    sets = {"claimed_until": now + timing.lease, **also}
    assignments = ", ".join(f"{column} = ?" for column in sets)
    with transaction(db):
        cursor = db.execute(
            f"UPDATE submissions SET {assignments} WHERE id = ? AND ({due}) "
            "AND (claimed_until IS NULL OR claimed_until <= ?)",
            [*sets.values(), sub_id, *params, now],
        )
        return subs.get(db, sub_id) if cursor.rowcount == 1 else None


def wait_until(db: sqlite_utils.Database, sub_id: int, until: float) -> None:
    """An unanswered create stays in sending; its resolution is looked at again at ``until``."""

    def rule(row: dict) -> Decision:
        if row["state"] != subs.SENDING:
            return None
        return subs.SENDING, "", {"claimed_until": until, "maybe_sent": 1}

    decide(db, sub_id, rule)


def platform_waiting(
    db: sqlite_utils.Database, sub_id: int, timing: Timing, *, unsent: bool = False
) -> None:
    """No component token: the work was not done. Spend nothing, hold nothing, try later.

    ``unsent``: the work was a send whose create was surely not made this time.
    """
    now = time.time()
    later = now + max(timing.retry_delay, 1.0)

    def rule(row: dict) -> Decision:
        changes: dict[str, Any] = {"waiting_for": "platform", "claimed_until": None}
        first = row["waiting_for"] != "platform"  # the timeline says it once
        said = "暂未提交：平台正在获取调用凭证，稍后自动提交"
        if row["state"] == subs.QUEUED:
            return subs.QUEUED, said if first else "", {**changes, "next_attempt_at": later}
        if row["state"] == subs.SENDING and (unsent or not row["maybe_sent"]):
            # Claimed for sending, but the create was never made.
            changes.update(attempts=max(row["attempts"] - 1, 0), next_attempt_at=later)
            return subs.QUEUED, said, changes
        if row["state"] == subs.SENDING:
            changes["claimed_until"] = later
        elif row["state"] == subs.SUCCEEDED:
            changes["next_attempt_at"] = later
        if row["recover_at"] is not None:
            changes["recover_at"] = later
        return row["state"], "", changes

    decide(db, sub_id, rule, now)


def release_lease(db: sqlite_utils.Database, sub_id: int) -> None:
    """Work ended without an outcome (a bug was caught): free the submission for later."""

    def rule(row: dict) -> Decision:
        if row["state"] == subs.SENDING or row["claimed_until"] is None:
            return None  # sending keeps its lease: the resolution starts when it passes
        return row["state"], "", {"claimed_until": None}

    decide(db, sub_id, rule)
