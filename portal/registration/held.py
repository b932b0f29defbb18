"""Submissions held for staff, by the reason they were held (their errcode): what the
staff dashboard groups and what 恢复处理 in bulk releases (portal/staff/bulk.py)."""

from __future__ import annotations

import sqlite_utils

from portal.registration import submissions as subs
from portal.wechat import codes

NO_CODE = "none"  # held without an errcode (WeChat never answered)


def groups(db: sqlite_utils.Database) -> list[dict]:
    """Held submissions by reason: errcode, how many, and what the code means."""
    rows = db.execute(
        "SELECT errcode, count(*), max(errmsg) FROM submissions WHERE state = ? "
        "GROUP BY errcode ORDER BY 2 DESC",
        [subs.HELD],
    ).fetchall()
    return [
        {
            "errcode": code,
            "key": NO_CODE if code is None else str(code),
            "count": count,
            "entry": codes.api_entry(code, msg or ""),
        }
        for code, count, msg in rows
    ]


def held_for(db: sqlite_utils.Database, errcode: int | None, limit: int) -> tuple[list[int], int]:
    """Up to ``limit`` ids held for ``errcode``, oldest first, and how many there are."""
    match = "errcode IS NULL" if errcode is None else "errcode = ?"
    params = [subs.HELD] + ([] if errcode is None else [errcode])
    where = f"state = ? AND {match}"
    (total,) = db.execute(f"SELECT count(*) FROM submissions WHERE {where}", params).fetchone()
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT id FROM submissions WHERE {where} ORDER BY updated_at, id LIMIT ?",
            [*params, limit],
        )
    ]
    return ids, total


def named(db: sqlite_utils.Database, ids: list[int]) -> list[dict]:
    """Id, company name and last change of each of ``ids``, oldest first."""
    marks = ", ".join("?" for _ in ids)
    return list(
        db.query(
            f"SELECT id, name, updated_at FROM submissions WHERE id IN ({marks}) "
            "ORDER BY updated_at, id",
            ids,
        )
    )
