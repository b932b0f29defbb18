"""``/api/v1``: create, read and list submissions with an API key (README § JSON API).

Every call, refused or not, is one line in the audit log, under the key's name.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from portal import apikeys as keys
from portal import audit
from portal.api import params, setup_object
from portal.api.blueprint import bp
from portal.api.create import create_submission
from portal.api.errors import error
from portal.api.openapi import spec
from portal.db import get_db, transaction
from portal.inputs import SQLITE_MAX_INT
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.registration.webhooks import represent

MAX_LIMIT = 100
NO_KEY = "api:（无有效密钥）"
DEFAULT_LIMIT = 20


def base_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def shown(sub: dict) -> dict[str, Any]:
    """A submission as this key may see it.

    ``setup`` is the go-live setup (``setup_object``; null until it is authorized).
    ``status_url`` is the merchant's private status page (its public id is the page's
    only secret, and the page shows the facts typed), so it is personal data: only a
    key with personal_data:read receives it, like ``legal_person``.
    """
    personal = "personal_data:read" in g.api_key["scope_set"]
    data = represent(sub, sub, personal, base_url())
    if not personal:
        data.pop("status_url", None)
    data["setup"] = setup_object.represent(get_db(), sub, personal)
    return data


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
    """A call with a valid key is one audit row; calls without one are tallied (a flood
    of bad keys must not take SQLite's write lock once per request)."""
    key = g.get("api_key")
    detail = f"{request.method} {request.full_path.rstrip('?')} → {response.status_code}"
    if key is None:
        audit.tally("api call", detail, actor=NO_KEY)
    else:
        with transaction(get_db()):
            keys.touch(get_db(), key["id"])
            target = g.get("audit_target") or f"api key {key['id']}"
            audit.record("api call", target, detail, actor=f"api:{key['name']}")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(spec(base_url()))


@bp.errorhandler(params.Refused)
def refused_input(refusal: params.Refused) -> ResponseReturnValue:
    return refusal.answer()


@bp.post("/v1/submissions")
def create() -> ResponseReturnValue:
    if refused := require("submissions:write"):
        return refused
    params.query(())
    return create_submission(get_db(), shown)


@bp.get("/v1/submissions/<int:submission_id>")
def read(submission_id: int) -> ResponseReturnValue:
    if refused := require("submissions:read"):
        return refused
    params.query(())
    sub = subs.get(get_db(), submission_id)
    if sub is None:
        return error(404, message=f"没有编号为 {submission_id} 的申请。")
    return jsonify(shown(sub))


LISTING = ("state", "flavor", "partner_id", "code", "created_after", "created_before",
           "limit", "cursor")  # fmt: skip
KNOWN_STATES = (
    subs.QUEUED, subs.SENDING, subs.CHECKING, subs.AWAITING, subs.SUCCEEDED, subs.AUTHORIZED,
    subs.HELD, *subs.ENDED,
)  # fmt: skip


@bp.get("/v1/submissions")
def listing() -> ResponseReturnValue:
    if refused := require("submissions:read"):
        return refused
    args = params.query(LISTING)
    where, values = ["1 = 1"], []
    states = [s for s in params.text(args, "state", 200).split(",") if s]
    if unknown := [s for s in states if s not in KNOWN_STATES]:
        message = f"未知的状态：{', '.join(unknown)}。"
        return error(400, "invalid_parameter", message, param="state")
    if states:
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        values += states
    flavor = params.text(args, "flavor")
    if flavor and flavor not in FLAVORS:
        return error(400, "invalid_parameter", "flavor 应为 classic 或 v2。", param="flavor")
    if flavor:
        where.append("flavor = ?")
        values.append(flavor)
    partner_id = params.integer(
        args, "partner_id", 1, SQLITE_MAX_INT, "partner_id 应为代理商编号（正整数）。"
    )
    if partner_id is not None:
        where.append("partner_id = ?")
        values.append(partner_id)
    if code := params.text(args, "code", 40):
        where.append("replace(code, '-', '') = ?")
        values.append(code.replace("-", "").upper())
    for name, op in (("created_after", ">"), ("created_before", "<")):
        moment = params.seconds(args, name)
        if moment is not None:
            where.append(f"created_at {op} ?")
            values.append(moment)
    if cursor_text := args.get("cursor", ""):
        where.append("id < ?")
        values.append(params.decode_cursor(cursor_text))
    limit = params.integer(args, "limit", 1, MAX_LIMIT, f"limit 应为 1–{MAX_LIMIT} 的整数。")
    limit = DEFAULT_LIMIT if limit is None else limit
    rows = list(
        get_db().query(
            f"SELECT * FROM submissions WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            [*values, limit + 1],
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = params.encode_cursor(rows[-1]["id"]) if more else None
    return jsonify({"data": [shown(r) for r in rows], "has_more": more, "next_cursor": next_cursor})
