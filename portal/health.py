"""Platform health: is the ticket fresh, is there a token, is WeChat answering."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils
from flask import Blueprint, current_app, has_app_context, jsonify
from flask.typing import ResponseReturnValue

from portal.db import get_db
from portal.golive import actions as golive
from portal.golive import quota
from portal.notify.figures import outbox_figures
from portal.replication import ReplicationStatus, explain, replication_status
from portal.timefmt import day_start
from portal.wechat import codes
from portal.wechat.calllog import CREATE_ENDPOINTS, SEARCH_ENDPOINTS, calls_and_failures
from portal.wechat.credentials import TICKET, TOKEN, get_credential

bp = Blueprint("health", __name__)
TICKET_STALE_AFTER = 20 * 60  # WeChat pushes one every 10 minutes
#: Errcodes only an operator can fix, from the catalogue; unknown errcodes join them.
OPERATOR_ERRCODES = tuple(
    sorted(code for code, entry in codes.API_CODES.items() if entry.kind == codes.OPERATOR_PROBLEM)
)
OPERATOR_CALL_SQL = (
    f"(errcode IN {OPERATOR_ERRCODES} OR (errcode IS NOT NULL "
    f"AND errcode NOT IN {tuple(sorted(codes.API_CODES))}))"
)
#: The permission sets the platform needs (fastregisterweapp.rst, 接口接入说明 1).
PERMISSION_SETS = [
    ("账号管理权限", True),
    ("开发管理与数据分析权限", True),
    ("开放平台账号管理权限", True),
    ("小程序基本信息设置权限", True),
    ("小程序认证权限", True),
    ("插件管理权限", True),
    ("附近地点权限", False),
]


#: Mini programs' permission sets (func_info ids) by name (WeChat's 小程序权限集 list).
PERMISSION_NAMES = {
    17: "帐号管理权限", 18: "开发管理与数据分析权限", 19: "客服消息管理权限",
    25: "开放平台帐号管理权限", 30: "小程序基本信息设置权限", 31: "小程序认证权限",
    37: "附近地点权限", 40: "插件管理权限",
}  # fmt: skip
#: The sets the go-live calls need, and what a mini program that did not grant one
#: cannot do: WeChat answers 61007 (or 48001) (SETUP.md §1-§7, §9, §12). ICP filing
#: (/wxa/icp/*) takes 18 or 156, so 18 covers it.
GOLIVE_PERMISSIONS = (
    (18, "域名（modify_domain、setwebviewdomain）、上传代码 commit、隐私设置（getprivacysetting、"
         "setprivacysetting、get_code_privacy_info）、提交审核 submit_audit、审核状态、发布 release、"
         "体验二维码、体验者、提审额度 queryquota、ICP 备案"),
    (30, "名称 setnickname、头像 modifyheadimage、简介 modifysignature、图片上传、"
         "类目（getallcategories、addcategory、getcategory）、getaccountbasicinfo"),
    (31, "名称检测 checkwxverifynickname（改名前检查名称）"),
)  # fmt: skip
PERMISSION_ROWS = 200  # mini programs listed on the health page, newest first


def func_ids(stored: str | None) -> list[int] | None:
    """The permission-set ids of a stored func_info (api_query_auth's
    [{"funcscope_category": {"id": N}}] or api_get_authorizer_info's ids); None: unknown."""
    try:
        rows = json.loads(stored) if stored else None
    except ValueError:
        return None
    if not isinstance(rows, list) or not rows:
        return None
    ids = [r if isinstance(r, int) else (r.get("funcscope_category") or {}).get("id")
           for r in rows if isinstance(r, int | dict)]  # fmt: skip
    return sorted({i for i in ids if isinstance(i, int)})


def permission_report(db: sqlite_utils.Database) -> dict:
    """Per mini program: the permission sets granted and the go-live calls each missing
    one blocks; those needing attention first, then how many have everything."""
    rows = db.query(
        "SELECT a.appid, a.func_info, a.state, s.name FROM authorizers a "
        "LEFT JOIN submissions s ON s.id = a.submission_id ORDER BY a.updated_at DESC LIMIT ?",
        [PERMISSION_ROWS],
    )
    shown = []
    for row in rows:
        ids = func_ids(row["func_info"])
        missing = [] if ids is None else [(i, PERMISSION_NAMES[i], calls)
                                          for i, calls in GOLIVE_PERMISSIONS if i not in ids]  # fmt: skip
        granted = [(i, PERMISSION_NAMES.get(i, f"权限集 {i}")) for i in ids or []]
        shown.append({**row, "granted": granted, "missing": missing, "unknown": ids is None})
    attention = [r for r in shown if r["missing"] or r["unknown"]]
    return {"attention": attention, "complete": len(shown) - len(attention), "rows": shown}


def platform_health(db: sqlite_utils.Database, now: float | None = None) -> dict:
    """Facts an operator needs first: ticket age, token expiry, today's calls and errors."""
    now = time.time() if now is None else now
    ticket = get_credential(db, TICKET)
    token = get_credential(db, TOKEN)
    today = day_start(now)
    calls, errors = calls_and_failures(db, today)
    ticket_age = None if ticket is None else now - ticket["updated_at"]
    return {
        "ticket_age_seconds": None if ticket_age is None else round(ticket_age),
        "ticket_stale": ticket_age is None or ticket_age > TICKET_STALE_AFTER,
        "token_expires_in_seconds": None
        if token is None
        else round((token["expires_at"] or 0) - now),
        "api_calls_today": calls,
        "api_errors_today": errors,
    }


def operator_report(db: sqlite_utils.Database, now: float | None = None) -> dict:
    """Everything the admin's health page shows."""
    now = time.time() if now is None else now
    today = day_start(now)
    counts = dict(
        db.execute(
            "SELECT endpoint, count(*) FROM api_calls WHERE at >= ? GROUP BY endpoint",
            [today],
        ).fetchall()
    )
    recent = list(
        db.query(f"SELECT * FROM api_calls WHERE {OPERATOR_CALL_SQL} ORDER BY id DESC LIMIT 20")
    )
    held = db.execute("SELECT count(*) FROM submissions WHERE state = 'held'").fetchone()[0]
    waiting = db.execute(
        "SELECT count(*) FROM submissions WHERE waiting_for = 'platform'"
    ).fetchone()[0]
    lost = list(db.query("SELECT appid, last_error FROM authorizers WHERE state = 'lost'"))
    return {
        **platform_health(db, now),
        "creates_today": sum(counts.get(e, 0) for e in CREATE_ENDPOINTS),
        "searches_today": sum(counts.get(e, 0) for e in SEARCH_ENDPOINTS),
        "calls_by_endpoint": counts,
        "operator_errors": [
            {
                **row,
                "entry": codes.api_entry(row["errcode"], row["errmsg"] or "", call=row["endpoint"]),
            }
            for row in recent
        ],
        "held_submissions": held,
        "waiting_for_platform": waiting,
        "lost_authorizers": lost,
        "permissions": permission_report(db),
        "submit_quota": quota.last(db, now),
        "setups_waiting": setups_waiting(db, now),
        "sms": outbox_figures(db, now),  # the SMS outbox and operator alerts (portal/notify/)
        "replication": replication_report(current_app.config) if has_app_context() else None,
    }


#: How long the health pages reuse one reading of the replica: ``/healthz`` is polled by
#: load balancers and monitors, and each reading lists LTX files and asks Litestream's
#: metrics. The worker's alert reads afresh (``tasks/alerts``).
REPLICATION_READ_SECONDS = 2.0
_replication_read: dict[tuple, tuple[float, ReplicationStatus]] = {}


def _replication(config: Mapping[str, Any]) -> ReplicationStatus:
    key = tuple(
        str(config.get(name))
        for name in (
            "DATABASE",
            "LITESTREAM_REPLICA_URL",
            "LITESTREAM_ADDR",
            "ENV",
            "LITESTREAM_SYNC_INTERVAL",
            "LITESTREAM_LAG_ALERT",
        )  # fmt: skip
    )
    read = _replication_read.get(key)
    if read is None or time.monotonic() - read[0] >= REPLICATION_READ_SECONDS:
        read = (time.monotonic(), replication_status(config))
        _replication_read.clear()  # one configuration per process: keep only the newest
        _replication_read[key] = read
    return read[1]


def replication_report(config: Mapping[str, Any]) -> dict:
    """The replica's lag and last sync (portal/replication.py), with what to do in Chinese."""
    status = _replication(config)
    production = config.get("ENV") == "production"
    return {
        **status.as_json(),
        "warn": not status.ok and (production or status.state != "off"),
        "message": explain(status, production),
    }


def setups_waiting(db: sqlite_utils.Database, now: float | None = None) -> list[dict]:
    """Go-live steps waiting on the platform: held for staff, or postponed with a reason
    (the month's submit quota spent, a retry later), each with its step in Chinese."""
    return [
        {**row, "title": golive.TITLES.get(row["step"], row["step"]),
         "label": golive.step_label(row["step"], row["state"])}
        for row in quota.waiting_on_platform(db, now)
    ]  # fmt: skip


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness and the platform's key facts, for load balancers and monitoring."""
    # Public: the replica's address and errors stay on the admin's page.
    replication = replication_report(current_app.config)
    for key in ("message", "replica", "detail"):
        replication.pop(key)
    return jsonify({"ok": True, **platform_health(get_db()), "replication": replication})
