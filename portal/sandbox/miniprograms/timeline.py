"""What WeChat does on its own for a mini program: it ends audits when they are due.

``advance`` ends every name, category and code audit whose time has come and queues its
push for the message URL; it runs on each tick of the pusher and before each go-live
call, so an answer never lags behind the clock. ``decide`` is what the sandbox page's
buttons do: it settles an audit's outcome and ends it now. A rejected audit comes with
screenshots: real PNG images kept as permanent media (``get_material``) whose ids the
audit's ``screenshot`` lists, joined by ``|``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.db import insert, transaction
from portal.sandbox.miniprograms import images, magic
from portal.sandbox.miniprograms.model import (
    AUDIT_FAILED,
    AUDIT_PASSED,
    DELAYED,
    PASSED,
    PENDING,
    REJECTED,
    UNDER_AUDIT,
)
from portal.sandbox.miniprograms.pushes import push

TABLES = {"name": ("name_audits", "audit_id"), "category": ("mp_categories", "id")}
TABLES["code"] = ("audits", "auditid")


def advance(db: sqlite_utils.Database, config: Mapping[str, Any]) -> None:
    """End every audit that is due, each with its push (SETUP §1.4, §2, §6.1)."""
    now = time.time()
    for row in list(
        db.query("SELECT * FROM name_audits WHERE status = ? AND ends_at <= ?", [UNDER_AUDIT, now])
    ):
        _end_name_audit(db, row, now)
    for row in list(
        db.query(
            "SELECT * FROM mp_categories WHERE status = ? AND ends_at <= ?", [UNDER_AUDIT, now]
        )
    ):
        _end_category_audit(db, row)
    for row in list(
        db.query("SELECT * FROM audits WHERE status IN (?, ?) AND ends_at <= ?", [*PENDING, now])
    ):
        _end_code_audit(db, row, now, float(config["SANDBOX_AUDIT_DELAY"]))


def _end_name_audit(db: sqlite_utils.Database, row: dict, now: float) -> None:
    passed = row["outcome"] == "pass"
    reason = "" if passed else (row["reason"] or magic.NAME_FAIL_REASON)
    with transaction(db):
        ended = db.execute(
            "UPDATE name_audits SET status = ?, reason = ?, audit_time = ? "
            "WHERE audit_id = ? AND status = ?",
            [PASSED if passed else REJECTED, reason, now, row["audit_id"], UNDER_AUDIT],
        )
        if ended.rowcount != 1:
            return
        if passed:
            db.execute(
                "UPDATE miniprograms SET nickname = ? WHERE appid = ?",
                [row["nickname"], row["appid"]],
            )
        fields = {"ret": PASSED if passed else REJECTED, "nickname": row["nickname"]}
        push(db, row["appid"], "wxa_nickname_audit", {**fields, "reason": reason})


def _end_category_audit(db: sqlite_utils.Database, row: dict) -> None:
    passed = row["outcome"] == "pass"
    reason = "" if passed else (row["reason"] or magic.CATEGORY_FAIL_REASON)
    with transaction(db):
        ended = db.execute(
            "UPDATE mp_categories SET status = ?, reason = ? WHERE id = ? AND status = ?",
            [PASSED if passed else REJECTED, reason, row["id"], UNDER_AUDIT],
        )
        if ended.rowcount != 1:
            return
        fields = {"first": row["first"], "second": row["second"]}
        fields.update(ret=PASSED if passed else REJECTED, reason=reason)
        push(db, row["appid"], "wxa_category_audit", fields)


def _end_code_audit(db: sqlite_utils.Database, row: dict, now: float, delay: float) -> None:
    outcome, appid = row["outcome"], row["appid"]
    with transaction(db):
        if outcome == "delay" and row["status"] != DELAYED:
            # Delayed: WeChat says so, then the audit goes on and passes (SETUP §6.1).
            changed = db.execute(
                "UPDATE audits SET status = ?, reason = ?, outcome = 'pass', ends_at = ? "
                "WHERE auditid = ? AND status = ?",
                [DELAYED, magic.DELAY_REASON, now + delay, row["auditid"], row["status"]],
            )
            if changed.rowcount == 1:
                fields = {"Reason": magic.DELAY_REASON, "DelayTime": int(now)}
                push(db, appid, "weapp_audit_delay", fields)
            return
        failed = outcome == "fail"
        reason = (row["reason"] or magic.FAIL_REASON) if failed else ""
        screenshot = _screenshots(db, appid, reason, now) if failed else ""
        changed = db.execute(
            "UPDATE audits SET status = ?, reason = ?, screenshot = ?, finished_at = ? "
            "WHERE auditid = ? AND status = ?",
            [
                AUDIT_FAILED if failed else AUDIT_PASSED,
                reason,
                screenshot,
                now,
                row["auditid"],
                row["status"],
            ],
        )
        if changed.rowcount != 1:
            return
        if failed:
            fields = {"Reason": reason, "FailTime": int(now), "ScreenShot": screenshot}
            push(db, appid, "weapp_audit_fail", fields)
        else:
            push(db, appid, "weapp_audit_success", {"SuccTime": int(now)})


SCREENSHOTS = 2  # a rejected audit's screenshots


def _screenshots(db: sqlite_utils.Database, appid: str, reason: str, now: float) -> str:
    """Draw and keep a rejection's screenshots as the mini program's permanent media;
    their media ids joined by ``|`` (inside the caller's transaction)."""
    ids = []
    for n in range(SCREENSHOTS):
        data = images.audit_screenshot(reason, n, SCREENSHOTS)
        media_id = secrets.token_urlsafe(32)
        insert(db, "media", {
            "media_id": media_id, "appid": appid, "source": "material", "type": "image",
            "format": "png", "size": len(data), "filename": f"screenshot-{n + 1}.png",
            "data": data, "created_at": now,
        })  # fmt: skip
        ids.append(media_id)
    return "|".join(ids)


def decide(
    db: sqlite_utils.Database, config: Mapping[str, Any], kind: str, key: int, outcome: str
) -> bool:
    """Settle a pending audit's outcome ("pass", "fail", "delay") and end it now."""
    table, column = TABLES[kind]
    pending = (UNDER_AUDIT,) if kind != "code" else PENDING
    marks = ", ".join("?" for _ in pending)
    with transaction(db):
        changed = db.execute(
            f"UPDATE {table} SET outcome = ?, ends_at = ? "
            f"WHERE {column} = ? AND status IN ({marks})",
            [outcome, time.time(), key, *pending],
        )
    advance(db, config)
    return changed.rowcount == 1
