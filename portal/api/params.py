"""Strict parsing of everything an API call sends: query parameters, headers, the body.

Each value parses exactly or the call is refused with the API's one error object (400,
or 413 for a body past the bound), never a 500: a parameter appears at most once and
must be known, integers are ASCII digits within SQLite's range (``portal.inputs``),
a cursor must re-encode to exactly the text given, and the body is bounded JSON.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from portal.api.errors import error
from portal.inputs import SQLITE_MAX_INT, Invalid, load_json, parse_int, parse_seconds, parse_text

#: The largest JSON body the API reads (a create is well under 2 KB; pages allow 256 KB).
MAX_BODY_BYTES = 64 * 1024
#: The longest text a query parameter may carry.
MAX_PARAM_LENGTH = 100


class Refused(Exception):
    """A request the API answers with an error object; raised anywhere under ``/api``."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def answer(self) -> ResponseReturnValue:
        return error(self.status, self.code, self.message, **self.extra)


def invalid(name: str, message: str) -> Refused:
    return Refused(400, "invalid_parameter", message, param=name)


def query(allowed: Iterable[str]) -> dict[str, str]:
    """The query's parameters: only ``allowed`` ones, each at most once."""
    allowed = tuple(allowed)
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        known = "、".join(allowed) or "（无）"
        message = f"未知的查询参数：{', '.join(unknown)}。可用参数：{known}。"
        raise Refused(400, "unknown_parameter", message, param=unknown[0], params=unknown)
    for name in request.args:
        if len(request.args.getlist(name)) > 1:
            raise invalid(name, f"查询参数 {name} 只能出现一次。")
    return {name: request.args[name] for name in request.args}


def text(params: dict[str, str], name: str, max_length: int = MAX_PARAM_LENGTH) -> str:
    """A text parameter ("" when absent): bounded, no control characters."""
    try:
        return parse_text(params.get(name, ""), max_length)
    except Invalid as exc:
        raise invalid(name, f"{name} {exc}") from None


def integer(params: dict[str, str], name: str, low: int, high: int, message: str) -> int | None:
    """An integer parameter in ``low`` … ``high`` (None when absent or empty)."""
    value = params.get(name, "")
    if not value:
        return None
    try:
        return parse_int(value, low, high)
    except Invalid:
        raise invalid(name, message) from None


def seconds(params: dict[str, str], name: str) -> float | None:
    """A Unix-seconds parameter (None when absent or empty)."""
    value = params.get(name, "")
    if not value:
        return None
    try:
        return parse_seconds(value)
    except Invalid:
        raise invalid(name, f"{name} 应为 Unix 时间戳（秒，半角数字）。") from None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def decode_cursor(text: str) -> int:
    """The id a cursor stands for. Only a cursor this API made is accepted: base64
    decoding drops characters it does not know, so the text must re-encode exactly."""
    refused = invalid("cursor", "cursor 无效：请使用上一页返回的 next_cursor。")
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii") + b"==")
        value = parse_int(raw.decode("ascii"), 1, SQLITE_MAX_INT)
    except (ValueError, binascii.Error, UnicodeError):  # Invalid is a ValueError
        raise refused from None
    if encode_cursor(value) != text:
        raise refused
    return value


def header(name: str, max_length: int) -> str:
    """A header's value ("" when absent): bounded, no control characters."""
    try:
        return parse_text(request.headers.get(name, ""), max_length)
    except Invalid as exc:
        raise invalid(name, f"{name} {exc}") from None


def json_object() -> dict[str, Any]:
    """The body as a JSON object, read within MAX_BODY_BYTES and the depth bound."""
    if not request.is_json:
        raise Refused(
            400, "invalid_json", "请求体应为 JSON 对象，并带 Content-Type: application/json。"
        )
    too_large = Refused(413, "too_large", f"请求体超过 {MAX_BODY_BYTES // 1024} KB 上限。")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large
    data = request.get_data(cache=True)
    if len(data) > MAX_BODY_BYTES:
        raise too_large
    try:
        body = load_json(data)
    except Invalid as exc:
        raise Refused(400, "invalid_json", str(exc)) from None
    if not isinstance(body, dict):
        raise Refused(400, "invalid_json", "请求体应为 JSON 对象。")
    return body
