"""WeChat's authorizer endpoints: api_query_auth, api_authorizer_token,
api_get_authorizer_list and api_get_authorizer_info, at WeChat's paths and in WeChat's
shapes. Every mini program a sandbox task created has authorized the platform."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from flask import Response, g, jsonify

from portal.db import transaction
from portal.sandbox.api import answer, body, bp, check_token, component_call, record_call
from portal.sandbox.miniprograms import account
from portal.sandbox.state import issue_token, one, original_id

#: The permission sets (funcscope_category ids) a new mini program grants the platform.
FUNC_IDS = (17, 18, 19, 25, 30, 31)
#: register_type of a mini program made through the legal person's face check (as we read
#: getAuthorizerInfo's table; nothing in the portal depends on it).
FAST_REGISTERED = 6
NORMAL = 1  # account_status: 1 normal (14 cancelled, 16 banned, 18 warned, 19 frozen)


def func_info() -> list[dict[str, Any]]:
    return [{"funcscope_category": {"id": i}} for i in FUNC_IDS]


def listed_refresh_token(db: sqlite_utils.Database, appid: str) -> str:
    """The authorizer's current refresh token (issued now if it has none yet)."""
    token = one(
        db,
        "SELECT refresh_token FROM tokens WHERE kind = 'authorizer' AND appid = ? "
        "ORDER BY expires_at DESC LIMIT 1",
        [appid],
    ) or issue_token(db, "authorizer", 7200, appid=appid)
    return token["refresh_token"]


@bp.post("/cgi-bin/component/api_query_auth")
def query_auth() -> Response:
    refused = component_call()
    if refused is not None:
        return refused
    data, db = body(), g.sandbox_db
    with transaction(db):
        task = one(
            db,
            "SELECT * FROM tasks WHERE auth_code = ? AND auth_used = 0",
            [str(data.get("authorization_code", ""))],
        )
        if task is None:
            return answer(61010, errmsg="code is expired")
        db.execute("UPDATE tasks SET auth_used = 1 WHERE id = ?", [task["id"]])
    record_call("api_query_auth")
    token = issue_token(db, "authorizer", 7200, appid=task["appid"])
    info = {
        "authorizer_appid": task["appid"],
        "authorizer_access_token": token["token"],
        "expires_in": 7200,
        "authorizer_refresh_token": token["refresh_token"],
        "func_info": func_info(),
    }
    return jsonify({"authorization_info": info})


@bp.post("/cgi-bin/component/api_authorizer_token")
def authorizer_token() -> Response:
    failed = check_token()
    if failed:
        return answer(failed)
    data, db = body(), g.sandbox_db
    old = one(
        db,
        "SELECT * FROM tokens WHERE kind = 'authorizer' AND appid = ? AND refresh_token = ?",
        [str(data.get("authorizer_appid", "")), str(data.get("authorizer_refresh_token", ""))],
    )
    if old is None:
        return answer(61023, errmsg="refresh_token is invalid")
    token = issue_token(db, "authorizer", 7200, appid=old["appid"])
    with transaction(db):
        db.execute(
            "UPDATE tokens SET refresh_token = ? WHERE token = ?",
            [old["refresh_token"], token["token"]],
        )
    return jsonify(
        {
            "authorizer_access_token": token["token"],
            "expires_in": 7200,
            "authorizer_refresh_token": old["refresh_token"],
        }
    )


@bp.post("/cgi-bin/component/api_get_authorizer_list")
def authorizer_list() -> Response:
    """Everyone who authorized the platform: here, every mini program a task created."""
    refused = component_call()
    if refused is not None:
        return refused
    data, db = body(), g.sandbox_db
    offset, count = data.get("offset"), data.get("count")
    if not isinstance(offset, int) or not isinstance(count, int) or offset < 0:
        return answer(40097)
    if not 1 <= count <= 500:
        return answer(40097)
    record_call("api_get_authorizer_list")
    tasks = list(
        db.query("SELECT appid, created_at FROM tasks WHERE appid IS NOT NULL ORDER BY id")
    )
    rows = [
        {
            "authorizer_appid": task["appid"],
            "refresh_token": listed_refresh_token(db, task["appid"]),
            "auth_time": int(task["created_at"]),
        }
        for task in tasks[offset : offset + count]
    ]
    return jsonify({"total_count": len(tasks), "list": rows})


@bp.post("/cgi-bin/component/api_get_authorizer_info")
def authorizer_info() -> Response:
    """One authorizer's account (getAuthorizerInfo); 61003 for an appid that never
    authorized the platform, i.e. one no sandbox task created."""
    refused = component_call()
    if refused is not None:
        return refused
    appid, db = body().get("authorizer_appid"), g.sandbox_db
    if not isinstance(appid, str) or not appid:
        return answer(40097)
    record_call("api_get_authorizer_info")
    task = one(db, "SELECT * FROM tasks WHERE appid = ? ORDER BY id DESC LIMIT 1", [appid])
    if task is None:
        return answer(61003)
    # A fresh fast-registered mini program has no name, head image, introduction,
    # category or domain until the go-live calls set them (miniprograms/).
    shown = account.authorizer_view(db, appid)
    info = {
        "nick_name": shown["nick_name"],
        "head_img": shown["head_img"],
        "service_type_info": {"id": 0},
        "verify_type_info": {"id": 0},
        "user_name": original_id(appid),
        "principal_name": task["name"],  # the company exactly as the task registered it
        "alias": "",
        "signature": shown["signature"],
        "qrcode_url": "",
        "MiniProgramInfo": shown["MiniProgramInfo"],
        "register_type": FAST_REGISTERED,
        "account_status": NORMAL,
        "basic_config": {"is_phone_configured": False, "is_email_configured": False},
    }
    authorization = {
        "authorizer_appid": appid,
        "authorizer_refresh_token": listed_refresh_token(db, appid),
        "func_info": func_info(),
    }
    return jsonify({"authorizer_info": info, "authorization_info": authorization})
