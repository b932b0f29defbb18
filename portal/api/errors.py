"""One error object for every failure under ``/api``: status, code, message, fields."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

#: HTTP statuses the app answers before a view runs (unknown path, wrong method, too big).
GENERIC = {
    400: ("bad_request", "请求无法解析。"),
    401: ("unauthenticated", "缺少或无效的 API 密钥：请在 Authorization 头中提供 Bearer 密钥。"),
    403: ("insufficient_scope", "这个 API 密钥没有执行此操作的权限。"),
    404: ("not_found", "没有这个资源。"),
    405: ("method_not_allowed", "这个地址不支持该请求方法。"),
    413: ("too_large", "请求体超过 256 KB 上限。"),
    429: ("rate_limited", "请求太频繁，请稍后再试。"),
    500: ("internal_error", "平台内部错误，请稍后重试；问题持续请联系平台运维。"),
    503: ("busy", "访问人数较多，请 5 秒后再试。"),  # portal/overload.py (Retry-After: 5)
}


def error(
    status: int,
    code: str | None = None,
    message: str | None = None,
    fields: list[dict[str, str]] | None = None,
    **extra: Any,
) -> tuple[Response, int]:
    default_code, default_message = GENERIC.get(status, GENERIC[500])
    body: dict[str, Any] = {
        "status": status,
        "code": code or default_code,
        "message": message or default_message,
    }
    if fields is not None:
        body["fields"] = fields
    body.update(extra)
    return jsonify({"error": body}), status
