"""A setup's lease: one worker at a time acts on a mini program, so its WeChat calls go
one at a time (9402202: another call on the same mini program is in progress). Each
go-live kind takes it before it reads the setup and gives it back when done; a worker
killed in between leaves it to expire (``claimed_until``).
"""

from __future__ import annotations

import sqlite_utils

from portal.db import transaction


def claim(db: sqlite_utils.Database, setup_id: int, lease: float, now: float) -> bool:
    """Take the setup's lease: one WeChat call at a time per mini program (9402202)."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE setups SET claimed_until = ?, updated_at = ? WHERE id = ? "
            "AND (claimed_until IS NULL OR claimed_until <= ?)",
            [now + lease, now, setup_id, now],
        )
    return cursor.rowcount == 1


def unclaim(db: sqlite_utils.Database, setup_id: int) -> None:
    with transaction(db):
        db.execute("UPDATE setups SET claimed_until = NULL WHERE id = ?", [setup_id])
