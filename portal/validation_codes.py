"""The enterprise code field: its three types, their check characters and its rule.

Part of the pre-flight checks (``portal.validation``); ``static/js/validation.js``
applies the same rule in the browser with the same messages.

Check characters: GB 32100 (unified social credit code), GB 11714 (organization
code), ISO 7064 MOD 11,10 (15-digit registration number; a failed check only warns,
as older numbers do not always follow it).
"""

from __future__ import annotations

import re
import unicodedata

from portal import usci

USCI_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCI_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CODE_TYPES = {1: "统一社会信用代码", 2: "组织机构代码", 3: "营业执照注册号"}
CODE_LENGTH_TEXT = {1: "18 位", 2: "9 位（xxxxxxxx-x）", 3: "15 位数字"}


def usci_check_char(body17: str) -> str:
    total = sum(USCI_CHARS.index(c) * w for c, w in zip(body17, USCI_WEIGHTS, strict=True))
    return USCI_CHARS[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def reg_number_check_digit(body14: str) -> str:
    product = 10
    for digit in body14:
        total = (product + int(digit)) % 10 or 10
        product = total * 2 % 11
    return str((11 - product) % 10)


#: What any code is written with (GB 32100, GB 11714, the registration number): ASCII
#: digits and letters only. ``str.isalnum`` and ``isdigit`` would also take Han
#: characters and other scripts' digits (沪, É, ٤, ፩), which no code holds.
ASCII_ALNUM = re.compile("[0-9A-Za-z]+")
ASCII_DIGITS = re.compile("[0-9]+")


def looks_like(code: str) -> int | None:
    """Which code type a (normalized) code's shape fits, if any."""
    compact = code.replace("-", "")
    if len(compact) == 18 and ASCII_ALNUM.fullmatch(compact):
        return 1
    if len(compact) == 9 and ASCII_ALNUM.fullmatch(compact):
        return 2
    if len(compact) == 15 and ASCII_DIGITS.fullmatch(compact):
        return 3
    return None


def _stray_error(compact: str) -> str | None:
    """What is wrong with the first character no code holds, if there is one."""
    stray = next((c for c in compact if not ASCII_ALNUM.fullmatch(c)), None)
    if stray is None:
        return None
    if unicodedata.category(stray).startswith("N"):
        return f"企业代码里的“{stray}”不是数字 0–9：请用半角数字 0–9 和大写英文字母逐位填写。"
    shown = f"“{stray}”" if stray.isprintable() else "不可见的控制字符"
    return f"企业代码只有数字 0–9 和大写英文字母，不会有{shown}：请只填代码本身，对照营业执照逐位填写。"


def code_error(code: str, code_type: int, selectable: bool) -> tuple[str | None, str | None]:
    """(error, warning) for a normalized code of the chosen type."""
    compact = code.replace("-", "")
    if stray := _stray_error(compact):
        return stray, None
    shape = looks_like(code)
    if shape != code_type:
        if not selectable:
            seen = (
                f"，您填写的看起来是{CODE_TYPES[shape]}"
                if shape
                else f"，您填写了 {len(compact)} 位"
            )
            return (
                f"请填写营业执照上的 18 位统一社会信用代码{seen}。此方式不支持旧版注册号或组织机构代码。",
                None,
            )
        if shape is not None:
            return (
                f"这个代码看起来是{CODE_TYPES[shape]}（{CODE_LENGTH_TEXT[shape]}），"
                f"请把企业代码类型改为“{CODE_TYPES[shape]}”，或核对代码。"
            ), None
        return (
            f"{CODE_TYPES[code_type]}应为 {CODE_LENGTH_TEXT[code_type]}，"
            f"您填写了 {len(compact)} 位，请对照营业执照核对。"
        ), None
    if code_type == 1:
        bad = sorted({c for c in compact if c not in USCI_CHARS})
        if bad:
            return (
                f"统一社会信用代码不使用字母 {'、'.join(bad)}（不用 I、O、Z、S、V），"
                "请核对是否把数字 0、1、2、5 抄成了字母。"
            ), None
        error, question = usci.problems(compact)
        if usci_check_char(compact[:17]) != compact[17]:
            also = f"，而且{error or question}" if error or question else ""
            return (
                f"统一社会信用代码的校验位不对{also}：可能有字符抄错（如 0 和 O、1 和 I、8 和 B），"
                "请逐位核对。",
                None,
            )
        if error:
            return f"统一社会信用代码的{error}，请对照营业执照逐位核对。", None
        if question:
            return None, f"统一社会信用代码的{question}，请对照营业执照核对；确认无误可继续提交。"
    if code_type == 2 and org_check_char(compact[:8]) != compact[8]:
        return "组织机构代码的校验位不对，可能有字符抄错，请逐位核对。", None
    if code_type == 3 and reg_number_check_digit(compact[:14]) != compact[14]:
        return None, "注册号的校验位与常见规则不符，请再核对一遍；确认无误可继续提交。"
    return None, None
