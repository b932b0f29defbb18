"""The merchant's go-live input, checked before it is stored: name, avatar, introduction,
category, testers (the photos: ``photo_rules``). Pure: no Flask, database or network,
like ``portal.validation``.

``static/js/setup-rules.js`` applies the same rules in the browser with the same messages;
``e2e/test_setup_pages.py`` checks the two agree. The server's reading is the
authoritative one. Sources, next to each rule: WeChat's go-live facts (SETUP.md in the
shared WeChat notes, § given) and, where WeChat leaves room, the sandbox's stricter
reading (portal/sandbox/miniprograms/basic.py and media.py). "Ours" marks a limit this
portal sets itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from portal.golive.category_rules import (  # noqa: F401 (the category rules, re-exported)
    CATEGORY_RULES,
    UGC_NOTE,
    chosen_documents,
    document_groups,
    find_choice,
    missing_documents,
    needed_documents,
    needs_ugc_declaration,
)
from portal.golive.photo_rules import (  # noqa: F401 (the photo rules, re-exported)
    AVATAR_MIN,
    AVATAR_RULES,
    AVATAR_SIDE,
    DOCUMENT_SIDE,
    FORMATS,
    IMAGE_MAX,
    MAX_PIXELS,
    NOT_A_PHOTO,
    SIGNATURES,
    TOO_BIG,
    TOO_MANY_PIXELS,
    TOO_SMALL,
    UNREADABLE,
    UPLOAD_MAX,
    PhotoRefused,
    avatar_jpeg,
    document_jpeg,
    photo_problem,
)
from portal.normalize import wechat_id
from portal.validation_fields import WECHAT_ID

#: Runs of spaces, tabs, line breaks and ideographic spaces become one space (ours).
SPACES = re.compile("[ \t\r\n\u3000\u00a0]+")
#: The full-width punctuation Chinese text is written with, kept as typed: folding would
#: make it ASCII ("，" → ","). Every other full-width form (U+FF01–FF5E) of a name or an
#: introduction becomes its ASCII twin (ours): "ＡＢＣ" → "ABC", "１００％" → "100%", so the
#: checks below see what WeChat will be sent, and WeChat is sent that. Nothing else is
#: changed (not ① → 1 or ㎡ → m2: the merchant's text stays theirs).
KEPT_WIDE = "，！？：；（）～"
FOLDED = re.compile("[\uff01-\uff5e]")

# -- Name (SETUP §1.2 checkwxverifynickname, §1.3 setnickname) ----------------------
#: 4–30 wide, a Chinese character counting 2 (53010/91004 format; the sandbox's reading).
NAME_WIDTH = (4, 30)
#: Chinese (the basic block, as the sandbox counts), letters, digits, space · & + - ( ).
NAME_CHARS = re.compile("[\u4e00-\u9fa5A-Za-z0-9 ·&+\\-（）()]")
#: Look-alike middle dots become the "·" NAME_CHARS allows (ours; as portal.normalize does
#: for a person's name, but not "．", which in a name is a full stop).
NAME_DOTS = str.maketrans(dict.fromkeys("•・‧∙⋅", "·"))
#: WeChat's own words: 53012 "name forbidden" (the sandbox's reading).
NAME_RESERVED = ("微信", "腾讯")
# No rule on a name shaped like a WeChat ID: 53018 / 91006 mean the name *is* an existing
# WeChat ID (§1.2, §1.3), which only WeChat knows, and WeChat's published naming rule
# (小程序名称设置规范: 中文、数字、英文、空格及部分特殊符号, 4–30 characters) refuses no
# shape. "Coca-Cola" is for checkwxverifynickname to answer (the worker asks it first).
#: What the merchant reads first. Renames: two a natural year and none after release for
#: an organisation's mini program (§1.3; §10 lists the two readings, both are kept).
NAME_RULES = (
    "4–30 个字符，一个汉字算 2 个（即 2–15 个汉字）；可用汉字、英文字母、数字、空格和 · & + - ( )。",
    "不能含“小程序”，也不能含“微信”“腾讯”等微信保留的词；不能与某个微信号相同，不能与已有小程序重名。",
    "每年只能改名 2 次；小程序发布后，企业的小程序不能再改名，请想好再填。",
    "设置名称需要营业执照照片；名称含品牌或“中国”“官方”等受保护的词时，微信可能要求补充证明并人工审核。",
)

# -- Introduction (SETUP §1.7 modifysignature) ----------------------------------------
INTRO_LENGTH = (4, 120)  # characters (§1.7)
INTRO_HAN = 4  # at least 4 Chinese characters (§1.7)
#: 53201 "blacklisted keyword": the advertising law's absolute terms (the sandbox's list).
INTRO_BANNED = ("最好", "最佳", "第一", "顶级", "国家级", "全网最低", "100%", "微信官方")
#: Emoji: 53204 "invalid (length or encoding)" in the sandbox's reading (§1.7 documents only
#: the length and the 4 Chinese characters, WxJava the same "4-120字"). Refused: any
#: character beyond the BMP (4 bytes in UTF-8: 😀, and rare Han too), a symbol (So) in the
#: BMP's emoji blocks (Miscellaneous Symbols, Dingbats, Miscellaneous Symbols and Arrows:
#: ☕ ❤ ✔ ★ ☀ ✈ ⚽ ⭐), and the parts of emoji sequences: the emoji presentation selector,
#: the keycap and the joiner. Chinese punctuation is no symbol (Po, Ps, Pe, Pd): it stays.
EMOJI_BLOCKS = ((0x2600, 0x27BF), (0x2B00, 0x2BFF))
EMOJI_PARTS = "\ufe0f\u20e3\u200d"
INTRO_RULES = (
    "4–120 个字，其中至少 4 个汉字；写清楚小程序提供什么服务，例如“本店提供在线点餐、外卖和到店自提服务”。",
    "不能换行，不能用表情符号或 ☕ ★ ✔ 这类图形符号；不能用“最好”“第一”“顶级”等广告法禁止的绝对化用语。",
)

# -- Photos: portal/golive/photo_rules.py; category (SETUP §2): category_rules.py ------
# (both re-exported here)
TESTERS_MAX = 10  # WeChat IDs per request (ours; §7 bind_tester takes one at a time)
FEEDBACK_MAX = 200  # §6 submit_audit feedback_info
TESTER_SEPARATORS = re.compile("[ \t\r\n\u3000\u00a0,，、;；]+")


@dataclass(frozen=True)
class Checked:
    value: str
    error: str | None


def squeeze(raw: Any) -> str:
    return SPACES.sub(" ", raw if isinstance(raw, str) else "").strip(" ")


def _fold(match: re.Match) -> str:
    wide = match.group()
    return wide if wide in KEPT_WIDE else chr(ord(wide) - 0xFEE0)


def normalized(raw: Any) -> str:
    """Full-width forms folded but for KEPT_WIDE, then squeezed: the form that is checked,
    stored and sent."""
    return squeeze(FOLDED.sub(_fold, raw if isinstance(raw, str) else ""))


def width(name: str) -> int:
    return sum(2 if "\u4e00" <= c <= "\u9fa5" else 1 for c in name)


def han_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def hidden_character(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") for c in text)


def emoji(text: str) -> bool:
    return any(
        ord(c) > 0xFFFF
        or c in EMOJI_PARTS
        or (
            unicodedata.category(c) == "So"
            and any(low <= ord(c) <= high for low, high in EMOJI_BLOCKS)
        )
        for c in text
    )


def check_nickname(raw: Any) -> Checked:
    name = normalized(raw).translate(NAME_DOTS)
    if not name:
        return Checked(name, "请填写小程序名称。")
    if hidden_character(name):
        return Checked(name, "名称里有不可见的控制字符，请删掉后重新输入。")
    if "小程序" in name:
        return Checked(name, "名称里不能有“小程序”三个字（微信的规定），例如“某某小店”即可。")
    if word := next((w for w in NAME_RESERVED if w in name), None):
        return Checked(name, f"名称里不能有“{word}”，这是微信保留的词。")
    if (char := next((c for c in name if not NAME_CHARS.fullmatch(c)), None)) is not None:
        shown = f"“{char}”" if char.isprintable() and not char.isspace() else "不可见的字符"
        return Checked(
            name, f"名称里不能有{shown}：只能用汉字、英文字母、数字、空格和 · & + - ( )。"
        )
    low, high = NAME_WIDTH
    if not low <= width(name) <= high:
        return Checked(
            name, f"名称为 {low}–{high} 个字符（一个汉字算 2 个），现在是 {width(name)} 个。"
        )
    return Checked(name, None)


def check_introduction(raw: Any) -> Checked:
    text = normalized(raw)
    if not text:
        return Checked(text, "请填写简介。")
    if hidden_character(text) or emoji(text):
        return Checked(text, "简介里不能有表情符号或不可见的控制字符，请删掉后重新输入。")
    low, high = INTRO_LENGTH
    if not low <= len(text) <= high:
        return Checked(text, f"简介为 {low}–{high} 个字，现在是 {len(text)} 个字。")
    if han_count(text) < INTRO_HAN:
        return Checked(text, f"简介至少要有 {INTRO_HAN} 个汉字，现在只有 {han_count(text)} 个。")
    # Also in the NFKC form, as the sandbox reads it: 100﹪ or 第⼀ (a Kangxi radical).
    seen = text + "\n" + unicodedata.normalize("NFKC", text)
    if word := next((w for w in INTRO_BANNED if w in seen), None):
        return Checked(text, f"简介里不能有“{word}”：广告法不允许这类绝对化用语，微信会拒绝。")
    return Checked(text, None)


def check_feedback(raw: Any) -> Checked:
    text = squeeze(raw)
    if hidden_character(text):
        return Checked(text, "说明里有不可见的控制字符，请删掉后重新输入。")
    if len(text) > FEEDBACK_MAX:
        return Checked(text, f"说明最多 {FEEDBACK_MAX} 个字，现在是 {len(text)} 个字。")
    return Checked(text, None)


def check_testers(raw: Any) -> tuple[list[str], str | None]:
    """WeChat IDs, one per line or separated by commas or spaces (§7 bind_tester)."""
    text = raw if isinstance(raw, str) else ""
    found = [wechat_id(part) for part in TESTER_SEPARATORS.split(text) if part]
    ids = list(dict.fromkeys(found))
    if not ids:
        return ids, "请填写体验者的微信号。"
    if len(ids) > TESTERS_MAX:
        return ids, f"一次最多添加 {TESTERS_MAX} 个体验者，现在是 {len(ids)} 个。"
    for each in ids:
        if not WECHAT_ID.match(each):
            if hidden_character(each):
                return ids, "微信号里有不可见的控制字符，请删掉后重新输入。"
            shown = each if len(each) <= 20 else each[:20] + "…"
            hint = "这是手机号，" if re.fullmatch("1[3-9][0-9]{9}", each) else ""
            return ids, (
                f"“{shown}”不是微信号：{hint}微信号以字母开头，6–20 位，只含字母、数字、"
                "下划线和减号（对方在 微信 → 我 里可以看到）。"
            )
    return ids, None
