"""WeChat's authorizer endpoints: api_query_auth, api_authorizer_token and
api_get_authorizer_list, at WeChat's paths and in WeChat's shapes."""

from __future__ import annotations

from flask import Response, g, jsonify

from portal.db import transaction
from portal.sandbox.api import answer, body, bp, check_token, component_call, record_call
from portal.sandbox.state import issue_token, one


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
        "func_info": [{"funcscope_category": {"id": i}} for i in (17, 18, 19, 25, 30, 31)],
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
    rows = []
    for task in tasks[offset : offset + count]:
        token = one(
            db,
            "SELECT refresh_token FROM tokens WHERE kind = 'authorizer' AND appid = ? "
            "ORDER BY expires_at DESC LIMIT 1",
            [task["appid"]],
        ) or issue_token(db, "authorizer", 7200, appid=task["appid"])
        rows.append(
            {
                "authorizer_appid": task["appid"],
                "refresh_token": token["refresh_token"],
                "auth_time": int(task["created_at"]),
            }
        )
    return jsonify({"total_count": len(tasks), "list": rows})
