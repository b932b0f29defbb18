"""ICP filing (备案): where WeChat says the mini program's filing stands (in the
merchant's words: ``icp_words``), and when the worker reads it again.

Since 2023-09-01 a mini program that is not live yet must be filed before it can be
listed (SETUP §11). Filing needs the person in charge's identity documents and a face
check, so the portal does not file: the merchant files in the mini program's console
(mp.weixin.qq.com → 备案), which takes 1-20 working days, so the earlier the merchant
sees step 8 the better (SETUP §12.14). The worker's ``golive.icp`` kind reads the state
with ``get_icp_entrance_info`` (permission set 18 or 156) as soon as the name, avatar,
introduction and category are done, then every ``INTERVAL`` until 6 (filed), and at once
when the release waits for the filing or has just gone through (``read_soon``), then
sooner while the release waits (``WAITING_FIRST``, growing with the wait); an
unanswered or refused read is tried again after ``RETRY`` (doubling, at most
``INTERVAL``). Pages only read the ``setup_icp`` row; the timeline gets a line only when
the status changes.

WeChat may refuse a release while an unlisted mini program is not filed (SETUP §11, §9:
85020; unconfirmed). A release answered 85020 while the filing is not 6 waits for it
(``RELEASE_WAITS``, the merchant's words); reading 6 makes it due in the same
transaction (``outcomes.filed``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import sqlite_utils

from portal.db import first, transaction
from portal.golive import outcomes
from portal.golive import steps as st
from portal.golive.icp_words import (  # noqa: F401 (the words, also as icp.*)
    AUTHORITY_REJECTED,
    AUTHORITY_REVIEW,
    CONSOLE,
    FILED,
    MERCHANT,
    NOBODY,
    NOT_FILED,
    PLATFORM_REJECTED,
    PLATFORM_REVIEW,
    RELEASE_WAITS,
    SMS_TIMED_OUT,
    WECHAT,
    describe,
    label,
)

STEP = "icp"  # the timeline's step name (not a setup_steps row: nothing here is given)
INTERVAL = 4 * 3600.0  # seconds between reads until filed
#: While a release waits for the filing the merchant may file any minute: read again
#: after as long as it has waited so far (at least this, at most ``INTERVAL``), so a
#: filing done soon is seen soon and a long wait costs few reads.
WAITING_FIRST = 60.0
RETRY = 600.0  # the first retry after a failed read


@dataclass(frozen=True)
class Filing:
    """The filing as a page shows it."""

    status: int | None  # None: not read yet
    label: str  # plain Chinese
    actor: str  # MERCHANT, WECHAT or NOBODY
    todo: str  # what to do (or what happens next)
    tone: str  # the badge: ok, progress, error, todo
    rejections: tuple[dict, ...] = ()
    checked_at: float | None = None
    problem: str = ""  # the last read failed: why (the state shown is the last known)
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filed(self) -> bool:
        return self.status == FILED


def row(db: sqlite_utils.Database, setup_id: int) -> dict | None:
    return first(db, "SELECT * FROM setup_icp WHERE setup_id = ?", [setup_id])


def filing(db: sqlite_utils.Database, setup_id: int) -> Filing:
    """What the page and the API show (from the stored row only)."""
    found = row(db, setup_id) or {}
    status = found.get("status")
    name, actor, todo, tone, missing = describe(status)
    if status == AUTHORITY_REVIEW and found.get("sms_verify_status") == SMS_TIMED_OUT:
        actor, tone = MERCHANT, "error"
        todo = (
            "负责人没有在 24 小时内完成工信部的短信核验，备案可能会被退回。"
            f"请登录 {CONSOLE} 查看“备案”，按提示重新核验或重新提交。"
        )
    problem = ""
    if found.get("error"):
        problem = f"最近一次查询备案状态没有成功（{found['error']}），平台会自动再试。"
    return Filing(
        status=status,
        label=name,
        actor=actor,
        todo=todo,
        tone=tone,
        rejections=tuple(json.loads(found.get("rejections") or "[]")),
        checked_at=found.get("checked_at"),
        problem=problem,
        missing=missing,
    )


def filing_unknown() -> Filing:
    """Not read yet."""
    name, actor, todo, tone, missing = describe(None)
    return Filing(None, name, actor, todo, tone, missing=missing)


def due(db: sqlite_utils.Database, now: float, limit: int = 20) -> list[int]:
    """Setups whose filing should be read now: not filed, and the read is due. A setup
    gets its row when the name, avatar, introduction and category are first all done
    (``outcomes._unlock``; migration 21 for older setups), so this reads the partial
    index ``setup_icp_due``, never every setup (``status IS NOT 6`` as the index says)."""
    rows = db.execute(
        "SELECT i.setup_id FROM setup_icp i JOIN setups u ON u.id = i.setup_id "
        "WHERE i.status IS NOT 6 AND i.next_at <= ? "
        "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) "
        "ORDER BY i.next_at LIMIT ?",
        [now, now, limit],
    ).fetchall()
    return [r[0] for r in rows]


def is_due(db: sqlite_utils.Database, setup_id: int, now: float) -> bool:
    found = row(db, setup_id)
    return found is None or (found["status"] != FILED and found["next_at"] <= now)


def _save(db: sqlite_utils.Database, setup_id: int, values: dict) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "setup_id")
    db.execute(
        f"INSERT INTO setup_icp (setup_id, {columns}) VALUES (?, {marks}) "
        f"ON CONFLICT (setup_id) DO UPDATE SET {updates}",
        [setup_id, *values.values()],
    )


def _interval(db: sqlite_utils.Database, setup_id: int, now: float) -> float:
    """Seconds to the next read: ``INTERVAL``, or less while the release waits (85020)."""
    waiting = first(
        db,
        "SELECT updated_at FROM setup_steps WHERE setup_id = ? AND step = ? AND state = ?",
        [setup_id, st.RELEASE, st.WAITING],
    )
    if waiting is None:
        return INTERVAL
    return min(INTERVAL, max(WAITING_FIRST, now - waiting["updated_at"]))


def record(
    db: sqlite_utils.Database,
    setup_id: int,
    status: int | None,
    rejections: list[dict],
    sms_verify_status: int | None = None,
    now: float | None = None,
) -> bool:
    """Keep WeChat's answer; a timeline line when the status changed; once filed, a
    release waiting for it is due (the same transaction). True: it changed."""
    now = time.time() if now is None else now
    with transaction(db):
        before = row(db, setup_id)
        old = before["status"] if before else None
        changed = status != old
        values = {
            "status": status,
            "rejections": json.dumps(rejections, ensure_ascii=False),
            "sms_verify_status": sms_verify_status,
            "checked_at": now,
            "next_at": now + _interval(db, setup_id, now),
            "tries": 0,
            "error": None,
            "errcode": None,
        }
        if changed:
            values["changed_at"] = now
        _save(db, setup_id, values)
        if changed:
            detail = f"ICP 备案：{label(status)}"
            if rejections:
                detail += "，" + "；".join(r.get("error", "") for r in rejections if r.get("error"))
            st.event(
                db, setup_id, STEP, None if old is None else str(old), str(status), detail, now
            )
        if status == FILED:
            outcomes.filed(db, setup_id, now)
    return changed


def failed(
    db: sqlite_utils.Database,
    setup_id: int,
    error: str,
    errcode: int | None = None,
    now: float | None = None,
) -> float:
    """A read that failed: kept for staff, tried again later (no timeline line). Returns
    when the next read is due."""
    now = time.time() if now is None else now
    with transaction(db):
        before = row(db, setup_id)
        tries = (before["tries"] if before else 0) + 1
        next_at = now + min(INTERVAL, RETRY * 2 ** (tries - 1))
        _save(
            db,
            setup_id,
            {"next_at": next_at, "tries": tries, "error": error[:200], "errcode": errcode},
        )
    return next_at


def read_soon(db: sqlite_utils.Database, setup_id: int, now: float | None = None) -> None:
    """Read the filing at once (the release waits for it, or has just gone through),
    unless it is already known to be filed; a failed read keeps its backoff."""
    now = time.time() if now is None else now
    with transaction(db):
        db.execute(
            "UPDATE setup_icp SET next_at = min(next_at, ?) WHERE setup_id = ? "
            "AND coalesce(status, 0) != ? AND coalesce(tries, 0) = 0",
            [now, setup_id, FILED],
        )


def postpone(db: sqlite_utils.Database, setup_id: int, at: float) -> None:
    """Waiting for the platform (no token yet): read later, nothing counted."""
    with transaction(db):
        if row(db, setup_id) is None:
            _save(db, setup_id, {"next_at": at})
        else:
            db.execute("UPDATE setup_icp SET next_at = ? WHERE setup_id = ?", [at, setup_id])
