"""Go-live steps held for staff, by the reason they were held (their errcode): what the
staff dashboard lists and groups and what 恢复处理 in bulk releases
(portal/staff/bulk_golive.py). The go-live twin of ``portal.registration.held``."""

from __future__ import annotations

import sqlite_utils

from portal.golive import steps as st
from portal.registration.held import NO_CODE
from portal.wechat import codes

__all__ = ["NO_CODE", "groups", "held_for", "listing", "listing_for"]

_LISTED = (
    "SELECT sub.id AS submission_id, sub.name AS name, s.setup_id AS setup_id, s.step AS step, "
    "s.errcode AS errcode, s.reason AS reason, s.updated_at AS since "
    "FROM setup_steps s JOIN setups ON setups.id = s.setup_id "
    "JOIN submissions sub ON sub.id = setups.submission_id "
)


def _match(errcode: int | None) -> tuple[str, list]:
    """The WHERE clause (on ``setup_steps`` as ``s``) of the steps held for ``errcode``."""
    if errcode is None:
        return "s.state = ? AND s.errcode IS NULL", [st.HELD]
    return "s.state = ? AND s.errcode = ?", [st.HELD, errcode]


def _listed(db: sqlite_utils.Database, where: str, params: list, limit: int) -> list[dict]:
    rows = db.query(
        f"{_LISTED} WHERE {where} ORDER BY s.updated_at, s.id LIMIT ?", [*params, limit]
    )
    return [
        {**row, "entry": codes.golive_entry(row["errcode"], row["reason"] or "")} for row in rows
    ]


def groups(db: sqlite_utils.Database) -> list[dict]:
    """Held steps by reason: errcode, its key for a URL, how many, what the code means."""
    rows = db.execute(
        "SELECT errcode, count(*), max(reason) FROM setup_steps WHERE state = ? "
        "GROUP BY errcode ORDER BY 2 DESC, 1",
        [st.HELD],
    ).fetchall()
    return [
        {
            "errcode": code,
            "key": NO_CODE if code is None else str(code),
            "count": count,
            "entry": codes.golive_entry(code, reason or ""),
        }
        for code, count, reason in rows
    ]


def listing(db: sqlite_utils.Database, limit: int = 100) -> list[dict]:
    """Up to ``limit`` held steps, oldest first: submission id, company name, step,
    errcode, entry, the stored reason and since when (the step's last change)."""
    return _listed(db, "s.state = ?", [st.HELD], limit)


def listing_for(db: sqlite_utils.Database, errcode: int | None, limit: int) -> list[dict]:
    """Like ``listing``, only the steps held for ``errcode``, in ``held_for``'s order."""
    where, params = _match(errcode)
    return _listed(db, where, params, limit)


def held_for(
    db: sqlite_utils.Database, errcode: int | None, limit: int
) -> tuple[list[tuple[int, str]], int]:
    """Up to ``limit`` (setup id, step) held for ``errcode``, oldest first, and how many."""
    where, params = _match(errcode)
    (total,) = db.execute(f"SELECT count(*) FROM setup_steps s WHERE {where}", params).fetchone()
    pairs = [
        (setup_id, step)
        for setup_id, step in db.execute(
            f"SELECT s.setup_id, s.step FROM setup_steps s WHERE {where} "
            "ORDER BY s.updated_at, s.id LIMIT ?",
            [*params, limit],
        )
    ]
    return pairs, total
