"""Normalize the four facts the same way everywhere: on input, before sending, and when
matching a push back to its submission (REFERENCE §5: "normalize both sides the same
way before comparing"); and the contact phone, stored and compared in one form."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from portal.names import HAN

#: Invisible characters a copy from a web page, a PDF or a chat brings along: zero-width
#: space, non-joiner and joiner, word joiner, soft hyphen, the byte-order mark. None is
#: ever part of a fact, and nobody can see them to delete them, so all are dropped.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
#: What comes before and after the one space a person's name keeps between Latin words
#: (John Smith, W. Smith: as on the passport and the bank card).
_LATIN_BEFORE = re.compile(r"[A-Za-z.']")
_LATIN_AFTER = re.compile("[A-Za-z]")
_DOTS = str.maketrans(
    {c: "·" for c in "•．・‧∙⋅\uff65\u0387\u02d1\u2e31"}  # ･ (U+FF65), · (U+0387), ˑ, ⸱
)
#: A full stop typed between two Han characters is the middle dot of a transliterated
#: name (乌鲁木齐市阿卜杜.热合曼商贸有限公司): licences and ID cards write "·" (GB/T 28039).
_HAN_GAP_STOP = re.compile(f"(?<=[{HAN}])[.．](?=[{HAN}])")
_HAN_CHAR = re.compile(f"[{HAN}]")
#: A Chinese name (one with a Han character) holds no full stop or hyphen: typed there,
#: each is the middle dot (阿卜杜.热合曼, 阿卜杜-热合曼); "." "-" stay in Latin names only.
_NAME_STOPS = str.maketrans({".": "·", "-": "·", "－": "·"})
#: Kangxi radicals (U+2F00–2FDF) and CJK compatibility ideographs (U+F900–FAFF) look
#: exactly like the Han characters they stand for and come with text copied out of PDFs;
#: Unicode's NFKC maps each to its Han character (⼴ → 广), which is what the licence has.
_HAN_LOOKALIKES = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")
#: What a paste brings along with a code (after NFKC): sentence punctuation, quotation
#: marks, brackets and invisible characters. None is ever part of a code (GB 32100: digits
#: and upper-case letters; GB 11714: the same and one hyphen), so all are dropped.
_CODE_PASTE = re.compile(
    "[\t\n\v\f\r \u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
    "。，、；：,.;:!?！？\"'`“”‘’「」『』〝〞()\\[\\]{}（）［］【】〔〕<>《》〈〉]"
)
#: Dashes and hyphens of every kind (U+2010–2015, minus sign, small and full-width forms).
_CODE_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
#: The labels copied with a code (统一社会信用代码：9144…, 营业执照号：…), also two of
#: them joined by "/" (统一社会信用代码/注册号：…). Longest first.
_LABELS = sorted(
    ("统一社会信用代码", "社会信用代码", "信用代码", "营业执照注册号", "营业执照号码",
     "营业执照编号", "营业执照号", "营业执照", "执照注册号", "执照号码", "执照编号", "执照号",
     "注册号码", "注册号", "组织机构代码证", "组织机构代码", "企业代码", "代码"),
    key=len, reverse=True,
)  # fmt: skip
_CODE_LABEL = re.compile(f"^(?:{'|'.join(_LABELS)})(?:/(?:{'|'.join(_LABELS)}))*")
#: What a phone number is typed with: spaces, invisible characters, the brackets around
#: an area code (after NFKC, which makes full-width digits, ＋ and （） half-width).
_PHONE_PASTE = re.compile(
    "[\t\n\v\f\r \u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff()]"
)
#: A mainland mobile number with or without its country code (+86, 0086, 86).
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
#: Whitespace at the ends of a WeChat ID (after NFKC, which makes U+3000 and U+00A0 " ").
_EDGE_SPACES = " \t\r\n\v\f\u1680\u2028\u2029"


def _han(value: str) -> str:
    return _HAN_LOOKALIKES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), value)


def company_name(value: str) -> str:
    """Drop all whitespace and invisible characters; half-width parentheses become
    full-width, as registered; look-alike middle dots (and a full stop between Han
    characters) become '·', look-alike radicals the Han characters they show."""
    value = _SPACES.sub("", _INVISIBLE.sub("", value or "")).translate(_DOTS)
    value = _han(_HAN_GAP_STOP.sub("·", value))
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
    """Full-width letters and digits (a Chinese input method) become half-width and
    invisible characters are dropped; spaces are trimmed at the ends only: one inside is
    asked about, never guessed."""
    value = unicodedata.normalize("NFKC", _INVISIBLE.sub("", value or ""))
    return value.strip(_EDGE_SPACES)


def person_name(value: str) -> str:
    """Drop whitespace (one space stays between Latin words: John Smith) and invisible
    characters; the many look-alike middle dots, and in a Chinese name a full stop or a
    hyphen, become '·'; look-alike radicals become the Han characters they show."""
    value = _han(_SPACES.sub(_latin_gap, _INVISIBLE.sub("", value or "")).translate(_DOTS))
    return value.translate(_NAME_STOPS) if _HAN_CHAR.search(value) else value


def _latin_gap(space: re.Match[str]) -> str:
    """One space for a run of whitespace between two Latin words, nothing elsewhere."""
    text, start, end = space.string, space.start(), space.end()
    between = start > 0 and end < len(text)
    latin = between and _LATIN_BEFORE.match(text[start - 1]) and _LATIN_AFTER.match(text[end])
    return " " if latin else ""


def mobile(value: str | None) -> str | None:
    """A mainland mobile number's 11 digits however it was typed ('+86 138-0013-8000',
    '１３８００１３８０００', '0086 13800138000'); None when it is not one."""
    phone = contact_phone(value or "")
    return phone if _MOBILE.fullmatch(phone) and len(phone) == 11 else None


def contact_phone(value: str) -> str:
    """The contact phone as stored and compared: NFKC (full-width digits become
    half-width), without spaces, invisible characters and brackets; a mobile number as
    its 11 digits (no +86, no hyphens), anything else (a landline) with its hyphens."""
    value = _PHONE_PASTE.sub("", unicodedata.normalize("NFKC", value or ""))
    found = _MOBILE.fullmatch(value.replace("-", ""))
    return found.group(1) if found else value


#: What a comparison key leaves out: the marks the normalization of a name has changed
#: over time (a hyphen or full stop in a minority name became "·"; a foreign name's
#: spaces were dropped, now one stays), so the same person typed then and now is one key.
_KEY_DROPS = str.maketrans("", "", "-.· ")


def match_key(*parts: str) -> str:
    """A comparison key over already-normalized facts (case-insensitive, without
    ``_KEY_DROPS``; migration 23 recomputed the stored keys the same way)."""
    return "|".join((p or "").translate(_KEY_DROPS).casefold() for p in parts)


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
