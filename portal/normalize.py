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
#: Kangxi radicals (U+2F00–2FDF) and CJK compatibility ideographs (U+F900–FAFF) look
#: exactly like the Han characters they stand for and come with text copied out of PDFs;
#: Unicode's NFKC maps each to its Han character (⼴ → 广), which is what the licence has.
_HAN_LOOKALIKES = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")
#: What a paste brings along with a code (after NFKC): sentence punctuation, quotation
#: marks, brackets and invisible characters. None is ever part of a code (GB 32100: digits
#: and upper-case letters; GB 11714: the same and one hyphen), so all are dropped.
_CODE_PASTE = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
    "。，、；：,.;:!?！？\"'`“”‘’「」『』〝〞()\\[\\]{}（）［］【】〔〕<>《》〈〉]"
)
#: Dashes and hyphens of every kind (U+2010–2015, minus sign, small and full-width forms).
_CODE_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
#: A label copied with the code (统一社会信用代码：9144…).
_CODE_LABEL = re.compile(
    r"^(?:统一社会信用代码|社会信用代码|信用代码|营业执照注册号|注册号|组织机构代码|企业代码|代码)"
)


def _han(value: str) -> str:
    return _HAN_LOOKALIKES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), value)


def company_name(value: str) -> str:
    """Drop all whitespace; half-width parentheses become full-width, as registered;
    look-alike radicals become the Han characters they show."""
    value = _han(_SPACES.sub("", value or ""))
    return value.replace("(", "（").replace(")", "）")


def company_code(value: str) -> str:
    """Upper-case, without what a paste brings (spaces, punctuation, quotes, brackets, a
    label); the organization code's hyphen is kept only as xxxxxxxx-x."""
    value = unicodedata.normalize("NFKC", value or "").upper()
    value = _CODE_LABEL.sub("", _CODE_PASTE.sub("", value))
    compact = _CODE_DASHES.sub("", value).replace("-", "")
    if len(compact) == 9:
        return f"{compact[:8]}-{compact[8]}"
    return compact


def wechat_id(value: str) -> str:
    """Full-width letters and digits (a Chinese input method) become half-width; spaces
    are trimmed at the ends only: one inside is asked about, never guessed."""
    return unicodedata.normalize("NFKC", (value or "").strip(" \t\r\n\u3000\u00a0\u200b\ufeff"))


def person_name(value: str) -> str:
    """Drop whitespace; the many look-alike middle dots become '·', look-alike radicals
    the Han characters they show."""
    return _han(_SPACES.sub("", value or "").translate(_DOTS))


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
