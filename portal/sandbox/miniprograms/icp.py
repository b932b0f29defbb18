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

SANDBOX_ICP_FILED_AFTER models the merchant filing on their own in the console: that
many seconds after the sandbox first sees the mini program with its basic information
and an approved category (whenever its filing is looked at: this call, its page, a
release), a filing still "not filed" becomes 6 and is kept so. Unset (None), it never
does: the strict default. Moving the filing back to "not filed" on the page starts that
clock again. ``filed`` is what release asks (85020 otherwise, SETUP §11).
"""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils
from flask import Response, current_app, g, has_app_context

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
# mp_icp (portal/sandbox/state.py, migration 4): updated_at, when the status was last
# set; ready_at, when the sandbox first saw the basic information and an approved
# category (SANDBOX_ICP_FILED_AFTER counts from the later of the two).


def stored(db: sqlite_utils.Database, appid: str) -> dict | None:
    return one(db, "SELECT * FROM mp_icp WHERE appid = ?", [appid])


def filed_after() -> float | None:
    """SANDBOX_ICP_FILED_AFTER: seconds until the merchant's own filing is done, or None."""
    value = current_app.config.get("SANDBOX_ICP_FILED_AFTER") if has_app_context() else None
    return None if value is None or value == "" else float(value)


def not_filed(db: sqlite_utils.Database, mp: dict) -> int:
    """1024, plus 1 while the basic information is incomplete, plus 2 without a category."""
    status = NOT_FILED
    if not (mp["nickname"] and mp["head_image_media"] and mp["signature"]):
        status += INFO_MISSING
    if not model.approved_categories(db, mp["appid"]):
        status += CATEGORY_MISSING
    return status


def _own_filing(db: sqlite_utils.Database, mp: dict, row: dict | None) -> dict | None:
    """The merchant's filing in the console (SANDBOX_ICP_FILED_AFTER): the ready clock
    starts when first seen complete, and the filing becomes 6 once it has run out."""
    after, now, appid = filed_after(), time.time(), mp["appid"]
    if after is None or (row or {}).get("status") is not None:
        return row
    if not_filed(db, mp) != NOT_FILED:
        return row  # not ready: basic information or an approved category missing
    with transaction(db):
        db.execute(
            "INSERT INTO mp_icp (appid, status, updated_at, ready_at) VALUES (?, NULL, 0, ?) "
            "ON CONFLICT (appid) DO UPDATE SET ready_at = coalesce(ready_at, excluded.ready_at)",
            [appid, now],
        )
        row = stored(db, appid) or {}
        at = max(row["ready_at"], row["updated_at"]) + after
        if now >= at:
            db.execute(
                "UPDATE mp_icp SET status = ?, reason = '', updated_at = ? "
                "WHERE appid = ? AND status IS NULL",
                [FILED, at, appid],
            )
    return stored(db, appid)


def state(db: sqlite_utils.Database, mp: dict) -> dict[str, Any]:
    """The filing as the page and the call show it."""
    row = _own_filing(db, mp, stored(db, mp["appid"])) or {}
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
    """The page control: ``status`` None goes back to not filed (the merchant's own
    filing starts again from now); ``revoked`` None keeps the permission sets as they
    are. Only a change of status moves ``updated_at``."""
    current = stored(db, appid) or {"revoked": 0, "status": None, "updated_at": 0}
    revoked = bool(current["revoked"]) if revoked is None else revoked
    now = time.time() if status != current["status"] else current["updated_at"]
    with transaction(db):
        db.execute(
            "INSERT INTO mp_icp (appid, status, reason, revoked, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (appid) DO UPDATE SET status = excluded.status, "
            "reason = excluded.reason, revoked = excluded.revoked, updated_at = excluded.updated_at",
            [appid, status, reason.strip(), int(revoked), now],
        )


def filed(db: sqlite_utils.Database, mp: dict) -> bool:
    """Whether the mini program's filing is done (6): release wants it (SETUP §11)."""
    return state(db, mp)["status"] == FILED


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
    return {**state(db, mp), "choices": LABELS, "settable": SETTABLE, "filed_after": filed_after()}


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
