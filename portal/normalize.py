"""Normalize the four facts the same way everywhere: on input, before sending, and when
matching a push back to its submission (REFERENCE §5: "normalize both sides the same
way before comparing")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_DOTS = str.maketrans({"•": "·", "．": "·", "・": "·", "‧": "·", "∙": "·", "⋅": "·", "\uff65": "·"})


def company_name(value: str) -> str:
    """Drop all whitespace; half-width parentheses become full-width, as registered."""
    value = _SPACES.sub("", value or "")
    return value.replace("(", "（").replace(")", "）")


def company_code(value: str) -> str:
    """Upper-case, no spaces; the organization code's hyphen is kept only as xxxxxxxx-x."""
    value = _SPACES.sub("", value or "").upper().replace("－", "-").replace("—", "-")
    value = unicodedata.normalize("NFKC", value)
    compact = value.replace("-", "")
    if len(compact) == 9:
        return f"{compact[:8]}-{compact[8]}"
    return compact


def wechat_id(value: str) -> str:
    """Full-width letters and digits (a Chinese input method) become half-width; spaces
    are trimmed at the ends only: one inside is asked about, never guessed."""
    return unicodedata.normalize("NFKC", (value or "").strip(" \t\r\n\u3000\u00a0\u200b\ufeff"))


def person_name(value: str) -> str:
    """Drop whitespace; the many look-alike middle dots become '·'."""
    return _SPACES.sub("", value or "").translate(_DOTS)


def match_key(*parts: str) -> str:
    """A comparison key over already-normalized facts (case-insensitive, hyphen-free)."""
    return "|".join((p or "").replace("-", "").casefold() for p in parts)


#: Every free-text fact and how it is tidied: the form's checks, the API and the flavors
#: all normalize through this one map.
FIELDS = {
    "name": company_name,
    "code": company_code,
    "legal_persona_name": person_name,
    "legal_persona_wechat": wechat_id,
}


def facts(raw: Mapping[str, Any], fields: Iterable[str]) -> dict[str, str]:
    """The named free-text facts of ``raw``, normalized (missing ones as "")."""
    return {name: FIELDS[name](str(raw.get(name) or "")) for name in fields if name in FIELDS}
