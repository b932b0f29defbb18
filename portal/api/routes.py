"""``/api/v1``: create, read and list submissions with an API key (README § JSON API).

Every call, refused or not, is one line in the audit log, under the key's name.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from portal import apikeys as keys
from portal import audit
from portal.api import bp
from portal.api.create import create_submission
from portal.api.errors import error
from portal.api.openapi import spec
from portal.db import get_db
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.registration.webhooks import represent

MAX_LIMIT = 100


def base_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def shown(sub: dict) -> dict[str, Any]:
    personal = "personal_data:read" in g.api_key["scope_set"]
    return represent(sub, sub, personal, base_url())


@bp.before_request
def authenticate() -> ResponseReturnValue | None:
    g.api_key = None
    if request.endpoint == "api.openapi":
        return None
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    key = keys.authenticate(get_db(), presented.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        return error(401)
    g.api_key = key
    return None


def require(scope: str) -> ResponseReturnValue | None:
    if scope not in g.api_key["scope_set"]:
        return error(403, message=f"这个 API 密钥没有 {scope} 权限。", required_scope=scope)
    return None


@bp.after_request
def audit_call(response: Response) -> Response:
    key = g.get("api_key")
    if key is not None:
        keys.touch(get_db(), key["id"])
    actor = f"api:{key['name']}" if key else "api:（无有效密钥）"
    target = g.get("audit_target") or (f"api key {key['id']}" if key else "")
    audit.record(
        "api call",
        target,
        f"{request.method} {request.full_path.rstrip('?')} → {response.status_code}",
        actor=actor,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(spec(base_url()))


@bp.post("/v1/submissions")
def create() -> ResponseReturnValue:
    return require("submissions:write") or create_submission(get_db(), shown)


@bp.get("/v1/submissions/<int:submission_id>")
def read(submission_id: int) -> ResponseReturnValue:
    if refused := require("submissions:read"):
        return refused
    sub = subs.get(get_db(), submission_id)
    if sub is None:
        return error(404, message=f"没有编号为 {submission_id} 的申请。")
    return jsonify(shown(sub))


def _cursor(text: str) -> int | None:
    try:
        value = int(base64.urlsafe_b64decode(text.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return value if 0 < value < 2**63 else None


def _number(name: str) -> tuple[float | None, ResponseReturnValue | None]:
    text = request.args.get(name, "")
    if not text:
        return None, None
    try:
        return float(text), None
    except ValueError:
        return None, error(400, "invalid_parameter", f"{name} 应为 Unix 时间戳（秒）。", param=name)


@bp.get("/v1/submissions")
def listing() -> ResponseReturnValue:
    if refused := require("submissions:read"):
        return refused
    where, params = ["1 = 1"], []
    states = [s for s in request.args.get("state", "").split(",") if s]
    known = {
        subs.QUEUED,
        subs.SENDING,
        subs.CHECKING,
        subs.AWAITING,
        subs.SUCCEEDED,
        subs.AUTHORIZED,
        subs.HELD,
        *subs.ENDED,
    }
    if unknown := [s for s in states if s not in known]:
        return error(400, "invalid_parameter", f"未知的状态：{', '.join(unknown)}。", param="state")
    if states:
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        params += states
    flavor = request.args.get("flavor", "")
    if flavor and flavor not in FLAVORS:
        return error(400, "invalid_parameter", "flavor 应为 classic 或 v2。", param="flavor")
    if flavor:
        where.append("flavor = ?")
        params.append(flavor)
    for name, sql in (("partner_id", "partner_id = ?"), ("code", "replace(code, '-', '') = ?")):
        value = request.args.get(name, "")
        if value:
            where.append(sql)
            params.append(value.replace("-", "").upper() if name == "code" else value)
    for name, op in (("created_after", ">"), ("created_before", "<")):
        value, refused = _number(name)
        if refused:
            return refused
        if value is not None:
            where.append(f"created_at {op} ?")
            params.append(value)
    cursor_text = request.args.get("cursor", "")
    if cursor_text:
        cursor = _cursor(cursor_text)
        if cursor is None:
            return error(
                400,
                "invalid_parameter",
                "cursor 无效：请使用上一页返回的 next_cursor。",
                param="cursor",
            )
        where.append("id < ?")
        params.append(cursor)
    limit_text = request.args.get("limit", "20")
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        return error(400, "invalid_parameter", f"limit 应为 1–{MAX_LIMIT} 的整数。", param="limit")
    limit = int(limit_text)
    rows = list(
        get_db().query(
            f"SELECT * FROM submissions WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            [*params, limit + 1],
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        base64.urlsafe_b64encode(str(rows[-1]["id"]).encode()).decode().rstrip("=")
        if more
        else None
    )
    return jsonify({"data": [shown(r) for r in rows], "has_more": more, "next_cursor": next_cursor})
