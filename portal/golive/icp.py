"""ICP filing (备案): where WeChat says the mini program's filing stands, in the
merchant's words, and when the worker reads it again.

Since 2023-09-01 a mini program that is not live yet must be filed before it can be
listed (SETUP §11). Filing needs the person in charge's identity documents and a face
check, so the portal does not file: the merchant files in the mini program's console
(mp.weixin.qq.com → 备案). The worker's ``golive.icp`` kind reads the state with
``get_icp_entrance_info`` (permission set 18 or 156) once the setup reaches the audit,
then every ``INTERVAL`` until 6 (filed); an unanswered or refused read is tried again
after ``RETRY`` (doubling, at most ``INTERVAL``). Pages only read the ``setup_icp`` row;
the timeline gets a line only when the status changes.

Status meanings are WeChat's page ``openApi/miniprogram-management/record/
api_geticpentranceinfo`` (2-6, 1024-1026), and for 1027-1031 the same enumeration as an
SDK lists it (a Go client's ``ICPEntranceStatus``): each of 1025-1031 is "not filed" plus
what is missing (basic information, category, WeChat verification).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import sqlite_utils

from portal.db import first, transaction
from portal.golive import steps as st

STEP = "icp"  # the timeline's step name (not a setup_steps row: nothing here is given)
INTERVAL = 4 * 3600.0  # seconds between reads until filed
RETRY = 600.0  # the first retry after a failed read
PLATFORM_REVIEW, PLATFORM_REJECTED, AUTHORITY_REVIEW, AUTHORITY_REJECTED, FILED = 2, 3, 4, 5, 6
NOT_FILED = 1024
#: The bits of 1024-1031 ("not filed" plus what is missing first), as WeChat numbers them.
MISSING_INFO, MISSING_CATEGORY, NOT_VERIFIED = 1, 2, 4
MERCHANT, WECHAT, NOBODY = "merchant", "wechat", "nobody"  # who must act
CONSOLE = "mp.weixin.qq.com"


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


FILE_IN_CONSOLE = (
    f"请法定代表人（小程序管理员）登录 {CONSOLE}，在“备案”里提交备案并完成负责人的"
    "人脸核验；平台无法代为备案。"
)
SMS_TIMED_OUT = 3  # sms_verify_status: the authority's SMS check was not answered in time
STATES: dict[int, tuple[str, str, str, str]] = {
    PLATFORM_REVIEW: (
        "微信初审中",
        WECHAT,
        "备案材料已提交，微信正在初审（通常 1–2 个工作日），无需操作，请保持电话畅通。",
        "progress",
    ),
    PLATFORM_REJECTED: (
        "微信初审未通过",
        MERCHANT,
        f"请按下面的原因修改，然后在 {CONSOLE} 的“备案”里重新提交。",
        "error",
    ),
    AUTHORITY_REVIEW: (
        "管局审核中",
        WECHAT,
        "已通过微信初审，正在由通信管理局审核（通常 1–20 个工作日）。"
        "请留意工信部发给负责人的核验短信，并在 24 小时内按短信完成核验。",
        "progress",
    ),
    AUTHORITY_REJECTED: (
        "管局审核未通过",
        MERCHANT,
        f"请按下面的原因修改，然后在 {CONSOLE} 的“备案”里重新提交。",
        "error",
    ),
    FILED: ("已备案", NOBODY, "备案已完成，小程序发布后即可上架。", "ok"),
}
MISSING = {
    MISSING_INFO: "小程序的名称、头像、简介（完成第 1–3 步后会自动补上）",
    MISSING_CATEGORY: "小程序的服务类目（完成第 4 步后会自动补上）",
    NOT_VERIFIED: "微信认证（在小程序后台“设置 → 微信认证”办理）",
}


def describe(status: int | None) -> tuple[str, str, str, str, tuple[str, ...]]:
    """(label, who acts, what to do, tone, what is missing) for WeChat's status."""
    if status is None:
        return (
            "尚未查询",
            NOBODY,
            "平台会在提交审核后查询备案状态；如已在小程序后台办理备案，以后台显示为准。",
            "todo",
            (),
        )
    if status in STATES:
        label, actor, todo, tone = STATES[status]
        return label, actor, todo, tone, ()
    if NOT_FILED <= status < NOT_FILED + 8:
        bits = status - NOT_FILED
        missing = tuple(text for bit, text in MISSING.items() if bits & bit)
        todo = FILE_IN_CONSOLE
        if missing:
            todo = "备案前还需先完成：" + "；".join(missing) + "。然后" + FILE_IN_CONSOLE
        return "未备案", MERCHANT, todo, "todo", missing
    return (
        f"备案状态 {status}",
        MERCHANT,
        f"平台不认识微信给出的这个状态，请以 {CONSOLE} 小程序后台“备案”显示的为准。",
        "todo",
        (),
    )


def label(status: int | None) -> str:
    return describe(status)[0]


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
    """Setups whose filing should be read now: the audit step has begun (submitted,
    passed, rejected) or the release has, not filed yet, and the read is due."""
    rows = db.execute(
        "SELECT u.id FROM setups u LEFT JOIN setup_icp i ON i.setup_id = u.id "
        "WHERE EXISTS (SELECT 1 FROM setup_steps s WHERE s.setup_id = u.id "
        "AND s.step IN (?, ?) AND s.state != ?) "
        "AND (i.setup_id IS NULL OR (coalesce(i.status, 0) != ? AND i.next_at <= ?)) "
        "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) "
        "ORDER BY coalesce(i.next_at, 0) LIMIT ?",
        [st.AUDIT, st.RELEASE, st.TODO, FILED, now, now, limit],
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


def record(
    db: sqlite_utils.Database,
    setup_id: int,
    status: int | None,
    rejections: list[dict],
    sms_verify_status: int | None = None,
    now: float | None = None,
) -> bool:
    """Keep WeChat's answer; a timeline line when the status changed. True: it changed."""
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
            "next_at": now + INTERVAL,
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


def postpone(db: sqlite_utils.Database, setup_id: int, at: float) -> None:
    """Waiting for the platform (no token yet): read later, nothing counted."""
    with transaction(db):
        if row(db, setup_id) is None:
            _save(db, setup_id, {"next_at": at})
        else:
            db.execute("UPDATE setup_icp SET next_at = ? WHERE setup_id = ?", [at, setup_id])
