"""Guards every route shares against absurd input: numbers SQLite cannot hold, pages
nobody could reach, control characters, oversized bodies.

SQLite integers are signed 64-bit: a larger id in a path raised OverflowError (500).
A NUL cut a LIKE pattern short, so a search for "\\0" matched everything.
"""

from __future__ import annotations

import unicodedata

from flask import request
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

SQLITE_MAX_INT = 2**63 - 1
MAX_PAGE = 100_000
#: The largest request the portal reads (forms are a few KB; pushes have their own,
#: smaller PORTAL_PUSH_MAX_BYTES).
MAX_REQUEST_BYTES = 256 * 1024


class IdConverter(IntegerConverter):
    """``<int:…>`` that matches only ids SQLite can hold; anything larger is a 404."""

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
