"""Creating a submission through the API: the form's pre-flight checks, errors as data.

``Idempotency-Key`` works as Stripe's does: the first answer (201, or 409 for facts
already in flight) is kept for 24 hours and given again, marked ``Idempotent-Replayed``,
for a request with the same key and body; the same key with another body is refused.
The lookup, the create and the kept answer are one transaction, so two identical
requests racing make one submission.

A company that already has a mini program through the platform, or an application in
flight (``portal.registration.same_company``), gets another only with
``"allow_same_company": true``: without it the answer is 409 ``same_company``, naming
the existing submissions of the partner the request is for and saying only that others
exist. That refusal creates nothing and is not kept under the Idempotency-Key, so the
same key may be sent again with the flag.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlite_utils
from flask import Response, current_app, g
from flask.typing import ResponseReturnValue

from portal.api import idempotency, params
from portal.api.errors import error
from portal.db import first, transaction
from portal.inputs import SQLITE_MAX_INT, Invalid, json_int, parse_bool, parse_text
from portal.registration import same_company
from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor
from portal.validation import ALL_FIELDS, validate

ACCEPTED = (*ALL_FIELDS, "contact_phone")
OPTIONS = ("partner_id", "validate_only", "allow_same_company")
#: Far past any fact's own limit (a company name is at most 80 characters).
MAX_FIELD_LENGTH = 200
LABELS = {
    "contact_phone": "联系电话",
    "partner_id": "代理商",
    "validate_only": "validate_only",
    "allow_same_company": "allow_same_company",
}


def _json(status: int, body: dict[str, Any], **headers: str) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status, mimetype="application/json", headers=headers)


def _field(name: str, value: Any) -> Any:
    """One body field, parsed strictly (raises Invalid with the reason)."""
    if name == "partner_id":
        try:
            return json_int(value, 1, SQLITE_MAX_INT)
        except Invalid:
            raise Invalid("应为代理商编号（正整数）。") from None
    if name in ("validate_only", "allow_same_company"):
        return parse_bool(value)
    return parse_text(value, MAX_FIELD_LENGTH, numbers=True)


Body = tuple[dict[str, str], dict[str, Any], str, ResponseReturnValue | None]


def _read_body(flavor: Flavor) -> Body:
    """(the form's fields as text, the options, the body's digest, a refusal)."""
    body = params.json_object()
    digest = idempotency.digest(body)
    unknown = sorted(set(body) - {*ACCEPTED, *OPTIONS})
    if unknown:
        message = (
            f"未知的字段：{', '.join(unknown)}。可用字段：{', '.join((*ACCEPTED, *OPTIONS))}。"
        )
        return {}, {}, digest, error(400, "unknown_parameter", message, params=unknown)
    raw: dict[str, str] = {}
    options: dict[str, Any] = {}
    wrong = []
    for name, value in body.items():
        if value is None:
            continue
        try:
            parsed = _field(name, value)
        except Invalid as exc:
            label = LABELS.get(name) or flavor.label(name)
            wrong.append({"field": name, "label": label, "message": str(exc)})
            continue
        if name in OPTIONS:
            options[name] = parsed
        else:
            raw[name] = parsed
    if wrong:
        return {}, {}, digest, error(422, "validation_failed", "有字段类型不对。", fields=wrong)
    return raw, options, digest, None


def create_submission(
    db: sqlite_utils.Database, shown: Callable[[dict], dict[str, Any]]
) -> ResponseReturnValue:
    flavor = get_flavor(current_app.config["REGISTER_API"])
    raw, body, digest, refused = _read_body(flavor)
    if refused:
        return refused
    key = params.header("Idempotency-Key", idempotency.MAX_KEY_LENGTH)
    check = validate(raw, flavor.field_names)
    errors = [{"field": f, "label": flavor.label(f), "message": m} for f, m in check.errors.items()]
    partner_id = body.get("partner_id")
    if partner_id is not None and not first(
        db, "SELECT id FROM partners WHERE id = ?", [partner_id]
    ):
        errors.append({"field": "partner_id", "label": "代理商", "message": "没有这个代理商。"})
    warnings = [{"field": f, "message": m} for f, m in check.warnings.items()]
    normalized = {f: {"from": a, "to": b} for f, (a, b) in check.changes.items()}
    if errors:
        return error(
            422,
            "validation_failed",
            "有字段未通过检查，请按 fields 修改后再提交。",
            fields=errors,
            warnings=warnings,
            flavor=flavor.name,
        )
    ignored = sorted(f for f in raw if f not in (*flavor.field_names, "contact_phone"))
    extra = {"warnings": warnings, "normalized": normalized, "ignored_fields": ignored}
    if body.get("validate_only"):
        values = {f: check.values.get(f) for f in (*flavor.field_names, "contact_phone")}
        return _json(200, {"valid": True, "flavor": flavor.name, "values": values, **extra})
    with transaction(db):
        if key and (kept := idempotency.kept(db, key, digest)):
            return kept
        if not body.get("allow_same_company") and (
            refusal := _same_company(db, flavor, check.values, partner_id, shown)
        ):
            return refusal
        sub, created = subs.submit(
            db,
            flavor,
            check.values,
            component_phone=current_app.config["WECHAT_COMPONENT_PHONE"],
            contact_phone=check.values["contact_phone"],
            partner_id=partner_id,
        )
        g.audit_target = f"submission {sub['id']}"
        if created:
            status, answer = 201, {**shown(sub), **extra}
        else:
            status = 409
            answer = {
                "error": {
                    "status": 409,
                    "code": "already_in_flight",
                    "message": "相同信息的申请正在办理中，没有重复创建。",
                    "submission": shown(sub),
                }
            }
        text = json.dumps(answer, ensure_ascii=False)
        if key:
            idempotency.keep(db, key, digest, status, text)
    return Response(text, status, mimetype="application/json")


def _same_company(
    db: sqlite_utils.Database,
    flavor: Flavor,
    values: dict[str, Any],
    partner_id: int | None,
    shown: Callable[[dict], dict[str, Any]],
) -> Response | None:
    """409 ``same_company`` when the company has a mini program or an application in
    flight; the partner sees only its own submissions (``partner_id`` the same, the
    platform's own when both are null), and of others only that they exist."""
    rows = same_company.others(db, name=values["name"], code=values["code"])
    rows = same_company.needing_consent(rows, flavor.match_key(values))
    if not rows:
        return None
    own = [r for r in rows if r["partner_id"] == partner_id]
    answer = {
        "error": {
            "status": 409,
            "code": "same_company",
            "message": (
                "这家公司已有通过本平台注册的小程序或正在办理的申请，没有创建新的申请。"
                '如确实要为它再注册一个小程序，请在请求中加上 "allow_same_company": true 再提交。'
            ),
            "submissions": [shown(subs.get(db, r["id"]) or r) for r in own],
            "other_submissions_exist": len(own) < len(rows),
        }
    }
    return _json(409, answer)
