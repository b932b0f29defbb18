"""ICP filing (备案, SETUP §11), A-token: get_icp_entrance_info, and the page control that
moves a mini program's filing along (filing itself is done in WeChat's console, by the
person in charge with a face check: the sandbox models no filing form).

A mini program starts not filed: 1024, or 1025 while its basic information (name, head
image, introduction) is incomplete, 1026 while it has no approved category, 1027 for
both. Its page (/sandbox/miniprograms/<appid>) sets 2 platform review, 3 rejected by the
platform, 4 the authority's review (SMS check waiting), 5 rejected by the authority, 6
filed, or back to not filed; a rejection carries the reason typed there as
``audit_data``. It can also take away permission sets 18 and 156 from the platform for
that mini program: the call then answers 61007, as WeChat does. The call is GET only
(43001 to a POST).
"""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils
from flask import Response, g

from portal.db import transaction
from portal.sandbox.miniprograms import model
from portal.sandbox.miniprograms.calls import GET, a_call, answer
from portal.sandbox.state import one

PLATFORM_REVIEW, PLATFORM_REJECTED, AUTHORITY_REVIEW, AUTHORITY_REJECTED, FILED = 2, 3, 4, 5, 6
NOT_FILED = 1024
INFO_MISSING, CATEGORY_MISSING = 1, 2  # added to 1024 (1025, 1026, 1027)
#: What the page control may set ("not filed" goes back to the derived 1024…1027).
SETTABLE = (PLATFORM_REVIEW, PLATFORM_REJECTED, AUTHORITY_REVIEW, AUTHORITY_REJECTED, FILED)
REJECTED = (PLATFORM_REJECTED, AUTHORITY_REJECTED)
LABELS = {
    2: "平台审核中",
    3: "平台审核驳回",
    4: "管局审核中",
    5: "管局审核驳回",
    6: "已备案",
    1024: "未备案",
    1025: "未备案（小程序基本信息未填）",
    1026: "未备案（小程序类目未填）",
    1027: "未备案（基本信息和类目未填）",
}
DEFAULT_REASON = "主体负责人证件照片不清晰，请重新上传清晰完整的证件照片。"
SMS_WAITING = 1
TABLE = """
CREATE TABLE IF NOT EXISTS mp_icp (
    appid TEXT PRIMARY KEY,
    status INTEGER,
    reason TEXT NOT NULL DEFAULT '',
    revoked INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL
)
"""


def stored(db: sqlite_utils.Database, appid: str) -> dict | None:
    db.execute(TABLE)
    return one(db, "SELECT * FROM mp_icp WHERE appid = ?", [appid])


def not_filed(db: sqlite_utils.Database, mp: dict) -> int:
    """1024, plus 1 while the basic information is incomplete, plus 2 without a category."""
    status = NOT_FILED
    if not (mp["nickname"] and mp["head_image_media"] and mp["signature"]):
        status += INFO_MISSING
    if not model.approved_categories(db, mp["appid"]):
        status += CATEGORY_MISSING
    return status


def state(db: sqlite_utils.Database, mp: dict) -> dict[str, Any]:
    """The filing as the page and the call show it."""
    row = stored(db, mp["appid"]) or {}
    status = row.get("status") or not_filed(db, mp)
    reason = row.get("reason") or DEFAULT_REASON
    return {
        "status": status,
        "label": LABELS.get(status, str(status)),
        "reason": reason if status in REJECTED else "",
        "revoked": bool(row.get("revoked")),
    }


def set_state(
    db: sqlite_utils.Database,
    appid: str,
    status: int | None,
    reason: str = "",
    revoked: bool | None = None,
) -> None:
    """The page control: ``status`` None goes back to not filed; ``revoked`` None keeps
    the permission sets as they are."""
    current = stored(db, appid) or {"revoked": 0}
    revoked = bool(current["revoked"]) if revoked is None else revoked
    with transaction(db):
        db.execute(
            "INSERT INTO mp_icp (appid, status, reason, revoked, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (appid) DO UPDATE SET status = excluded.status, "
            "reason = excluded.reason, revoked = excluded.revoked, updated_at = excluded.updated_at",
            [appid, status, reason.strip(), int(revoked), time.time()],
        )


@a_call("/wxa/icp/get_icp_entrance_info", GET)
def get_icp_entrance_info(mp: dict, _data: dict) -> Response:
    db = g.sandbox_db
    found = state(db, mp)
    if found["revoked"]:
        return answer(61007)  # neither permission set 18 nor 156 is authorized
    info: dict[str, Any] = {"status": found["status"], "is_canceling": False, "available": 1}
    if found["status"] == AUTHORITY_REVIEW:
        info["sms_verify_status"] = SMS_WAITING
    if found["reason"]:
        field = "主体负责人信息" if found["status"] == PLATFORM_REJECTED else "小程序负责人信息"
        info["audit_data"] = [
            {
                "key_name": field,
                "error": found["reason"],
                "suggest": "请按驳回原因修改后重新提交备案。",
            }
        ]
    return answer(0, info=info)


def describe(db: sqlite_utils.Database, mp: dict) -> dict[str, Any]:
    """For the mini program's page and its JSON (``…/state``)."""
    return {**state(db, mp), "choices": LABELS, "settable": SETTABLE}


def parse_status(db: sqlite_utils.Database, appid: str, value: str) -> tuple[bool, int | None]:
    """(valid, status) from the control's field: a settable status, "none" (not filed),
    or "" (as it is)."""
    if value == "":
        return True, (stored(db, appid) or {}).get("status")
    if value == "none":
        return True, None
    if value.isdigit() and int(value) in SETTABLE:
        return True, int(value)
    return False, None
