"""Platform health: is the ticket fresh, is there a token, is WeChat answering."""

from __future__ import annotations

import time

import sqlite_utils
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from portal.db import get_db
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
    }


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness and the platform's key facts, for load balancers and monitoring."""
    return jsonify({"ok": True, **platform_health(get_db())})
