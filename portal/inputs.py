"""Guards every route shares against absurd input: numbers SQLite cannot hold, pages
nobody could reach, control characters, oversized bodies.

SQLite integers are signed 64-bit: a larger id in a path raised OverflowError (500).
A NUL cut a LIKE pattern short, so a search for "\\0" matched everything.

The strict parsers below (integers, seconds, text, booleans, JSON) are for machine
input such as the JSON API: what does not parse exactly raises ``Invalid``, and the
caller answers 400 or 422. ``str.isdigit`` and ``int()`` accept more than ASCII digits
("²", "١٢", " 5", "1_0"), so the parsers use their own patterns.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from flask import request
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

SQLITE_MAX_INT = 2**63 - 1
SQLITE_MIN_INT = -(2**63)
MAX_PAGE = 100_000
#: The largest request the portal reads (forms are a few KB; pushes have their own,
#: smaller PORTAL_PUSH_MAX_BYTES).
MAX_REQUEST_BYTES = 256 * 1024


class IdConverter(IntegerConverter):
    """``<int:…>`` that matches only ids SQLite can hold; anything larger is a 404.

    Only ASCII digits: werkzeug's ``\\d+`` also matches "١٢" (Arabic-Indic), which
    ``int()`` reads as 12, so a path in another script reached another row.
    """

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", SQLITE_MAX_INT)
        super().__init__(map, *args, **kwargs)


def page_number() -> int:
    """The ``page`` query parameter, clamped to 1 … MAX_PAGE (garbage means page 1)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


def control_character(text: str) -> str | None:
    """The first control or invisible formatting character in ``text``, if any."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in "\t\r\n":
            return char
    return None


def no_control_characters(_form, field) -> None:
    """A WTForms validator: control characters are refused, never searched for."""
    if isinstance(field.data, str) and control_character(field.data) is not None:
        raise ValidationError("含有不可见的控制字符，请重新输入。")


class Invalid(ValueError):
    """Input that does not parse exactly; the message says why, in Chinese."""


_INTEGER = re.compile(r"-?[0-9]{1,19}")  # ASCII only ([0-9], not \d); 19 digits hold 2**63
_SECONDS = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")
#: JSON deeper than this is refused before it is parsed (json recurses: RecursionError).
MAX_JSON_DEPTH = 16
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def parse_int(text: str, low: int = SQLITE_MIN_INT, high: int = SQLITE_MAX_INT) -> int:
    """``text`` as an integer in ``low`` … ``high``: ASCII digits, an optional minus, nothing else."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        raise Invalid("应为整数（半角数字）。")
    value = int(text)
    if not low <= value <= high:
        raise Invalid(f"应在 {low} 到 {high} 之间。")
    return value


def json_int(value: Any, low: int = SQLITE_MIN_INT, high: int = SQLITE_MAX_INT) -> int:
    """A JSON number that is an integer in ``low`` … ``high`` (not a bool, float or string)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("应为整数。")
    if not low <= value <= high:
        raise Invalid(f"应在 {low} 到 {high} 之间。")
    return value


def parse_seconds(text: str) -> float:
    """Unix seconds: ASCII digits with an optional fraction (no sign, exponent, nan or inf)."""
    if not isinstance(text, str) or not _SECONDS.fullmatch(text):
        raise Invalid("应为 Unix 时间戳（秒，半角数字）。")
    return float(text)


def parse_bool(value: Any) -> bool:
    """A JSON ``true`` or ``false``; nothing else counts as one."""
    if not isinstance(value, bool):
        raise Invalid("应为 true 或 false。")
    return value


def unsafe_character(text: str) -> str | None:
    """The first control character (but tab and line breaks) or lone surrogate in ``text``.

    A surrogate cannot be encoded (UTF-8, SQLite): it used to fail deep inside a request.
    """
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\r\n":
            return char
    return None


def parse_text(value: Any, max_length: int, numbers: bool = False) -> str:
    """A string of at most ``max_length`` characters without control characters.

    With ``numbers``, a JSON integer (not a bool) is taken as its digits, bounded.
    """
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(json_int(value))
    if not isinstance(value, str):
        raise Invalid("应为字符串。")
    if len(value) > max_length:
        raise Invalid(f"最长 {max_length} 个字符。")
    if unsafe_character(value) is not None:
        raise Invalid("含有不可见的控制字符，请重新输入。")
    return value


def _refuse_constant(name: str) -> Any:
    raise Invalid(f"JSON 不允许 {name}。")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Invalid("JSON 对象中有重复的字段。")
    return dict(pairs)


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (brackets inside strings not counted)."""
    depth = deepest = 0
    for match in _JSON_BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON body strictly: UTF-8, nested at most ``max_depth`` deep, no NaN or
    Infinity, no repeated keys. Anything else raises ``Invalid``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("请求体应为 UTF-8 编码的 JSON。") from None
    if json_depth(text) > max_depth:
        raise Invalid(f"JSON 嵌套最多 {max_depth} 层。")
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except Invalid:
        raise
    except (ValueError, RecursionError):
        raise Invalid("请求体不是有效的 JSON。") from None
