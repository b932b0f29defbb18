"""Pre-flight checks of the merchant's input, before any WeChat quota is spent.

DESIGN § Pre-flight validation. Errors block; warnings show and let the merchant go
on. Normalizations are reported so the page can show exactly what will be sent.
``static/js/validation.js`` applies the same rules in the browser with the same
messages; ``e2e/test_validation_parity.py`` checks the two agree.

Check characters: GB 32100 (unified social credit code), GB 11714 (organization
code), ISO 7064 MOD 11,10 (15-digit registration number; a failed check only warns,
as older numbers do not always follow it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from portal import divisions, normalize, usci
from portal.names import (
    BRACKETS,
    BRANCH_FORMS,
    HAN_NUMERALS,
    LEGAL_FORMS,
    LOOKALIKES,
    NAME_CHARS,
    NAME_MAX,
    ORG_FORMS,
    PERSON_CHARS,
    PERSON_MAX,
    TITLES,
    TRAILING_NOTE,
    simplified,
)

USCI_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCI_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CODE_TYPES = {1: "统一社会信用代码", 2: "组织机构代码", 3: "营业执照注册号"}
CODE_LENGTH_TEXT = {1: "18 位", 2: "9 位（xxxxxxxx-x）", 3: "15 位数字"}

CJK = re.compile(r"[\u4e00-\u9fff]")
WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
ALL_FIELDS = ("name", "code_type", "code", "legal_persona_name", "legal_persona_wechat")
WHERE_WECHAT_ID = "请让法定代表人打开 微信 → 我，复制头像旁“微信号”后面的内容。"
LATIN = re.compile(r"[A-Za-z]")
#: IDs of accounts that are not a person's: an official account's original ID (原始ID,
#: gh_ and 12 hex digits) and an AppID (wx and 16 hex digits), both shown in the
#: account's own settings, which is where a merchant copies them from by mistake.
NOT_A_PERSON = (
    (re.compile(r"^gh_[0-9a-f]{12}$", re.IGNORECASE), "是公众号的原始 ID（gh_ 开头）"),
    (
        re.compile(r"^wx[0-9a-f]{16}$", re.IGNORECASE),
        "看起来是小程序或公众号的 AppID（wx 加 16 位）",
    ),
)
#: A run of numerals that mixes Han numerals with Latin O or Arabic digits (二O一八).
NUMERAL_RUN = re.compile(f"[{HAN_NUMERALS}0-9Oo]+")
ROMAN_OR_WIDE = re.compile("[\u2160-\u217f]|[０-９Ａ-Ｚａ-ｚ]")


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


def looks_like(code: str) -> int | None:
    """Which code type a (normalized) code's shape fits, if any."""
    compact = code.replace("-", "")
    if len(compact) == 18 and compact.isalnum():
        return 1
    if len(compact) == 9 and compact.isalnum():
        return 2
    if len(compact) == 15 and compact.isdigit():
        return 3
    return None


@dataclass
class Result:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _code_error(code: str, code_type: int, selectable: bool) -> tuple[str | None, str | None]:
    """(error, warning) for a normalized code of the chosen type."""
    compact = code.replace("-", "")
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


def _stray(text: str, allowed: re.Pattern[str]) -> str | None:
    """The first character of ``text`` that ``allowed`` does not match, if any."""
    return next((char for char in text if not allowed.fullmatch(char)), None)


def _shown(char: str) -> str:
    """A character as a person can read it in a message."""
    return f"“{char}”" if char.isprintable() and not char.isspace() else "不可见的控制字符"


def _traditional_warning(value: str, person: bool = False) -> str | None:
    """A suggestion of the simplified form, never applied for the merchant: the name sent
    must be the licence's, and mainland licences are in simplified characters."""
    if (suggestion := simplified(value, person)) == value:
        return None
    what = "姓名" if person else "名称"
    return (
        f"{what}里有繁体字。营业执照上的{what}用简体字，应为“{suggestion}”："
        "请对照执照确认后改为简体（平台不会自动替您改）。"
    )


def _name_warning(name: str) -> str | None:
    if warning := _traditional_warning(name):
        return warning
    if name.startswith("个体户"):
        return None
    forms = list(LEGAL_FORMS.finditer(TRAILING_NOTE.sub("", name)))
    if len(forms) > 1:
        return (
            f"名称里有两处组织形式（“{forms[0].group()}”和“{forms[-1].group()}”），"
            "营业执照上只有一处，在名称最后：请按执照核对。"
        )
    if forms and (rest := TRAILING_NOTE.sub("", name)[forms[0].end() :]):
        if not rest.endswith(BRANCH_FORMS):
            return (
                f"“{forms[0].group()}”后面还有“{rest}”：组织形式在名称最后，其后只能是"
                "“分公司”“分店”“营业部”等分支机构名称。请按营业执照核对。"
            )
    if not TRAILING_NOTE.sub("", name).endswith(ORG_FORMS):
        return (
            "这看起来像品牌或简称：营业执照上的名称以“有限公司”“合作社”“店”“厂”“中心”“工作室”"
            "等组织形式结尾，请按执照上的全称填写。"
        )
    return _numeral_warning(name) or _city_warning(name)


def _numeral_warning(name: str) -> str | None:
    """Numerals and look-alikes that a licence rarely has: a question, never a block
    (names registered before 2020 may hold digits)."""
    if match := ROMAN_OR_WIDE.search(name):
        kind = "全角字符" if match.group() >= "\uff00" else "罗马数字符号"
        return (
            f"名称里的“{match.group()}”是{kind}：营业执照上的数字和字母是半角的，或写作汉字"
            "（如“二”），请对照执照核对。"
        )
    for run in NUMERAL_RUN.findall(name):
        if re.search(f"[{HAN_NUMERALS}]", run) and re.search("[0-9Oo]", run):
            return (
                f"“{run}”里汉字数字和字母 O 或阿拉伯数字混在一起：汉字的零写作“〇”，"
                "请对照营业执照核对。"
            )
    if match := re.search("[0-9]", name):
        return (
            f"名称里有阿拉伯数字“{match.group()}”：企业名称用规范汉字，数字一般写作汉字。"
            "请对照营业执照核对；执照上就是阿拉伯数字可继续提交。"
        )
    return None


def _city_warning(name: str) -> str | None:
    """《企业名称登记管理规定》(2020) 第七条: the region is the county-level-or-higher
    division's name; licences write a prefecture-level city with its 市 (广州市…)."""
    if stem := divisions.city_without_shi(name):
        return (
            f"名称开头的“{stem}”是地级市，营业执照上一般写作“{stem}市”：请核对是否漏了“市”；"
            f"执照上就是“{stem}”开头可继续提交。"
        )
    return None


def _name_error(name: str) -> str | None:
    if not name:
        return "请填写企业名称，与营业执照上的名称一字不差。"
    if len(name) > NAME_MAX:
        return f"企业名称最长 {NAME_MAX} 个字，您填写了 {len(name)} 个字。请按营业执照逐字填写企业名称。"
    if (char := _stray(name, NAME_CHARS)) is not None and char in LOOKALIKES:
        return (
            f"企业名称里的“{char}”不是汉字，看起来像汉字“{LOOKALIKES[char]}”："
            f"请改为“{LOOKALIKES[char]}”，按营业执照逐字填写。"
        )
    if char is not None:
        return f"企业名称里不会有{_shown(char)}，请按营业执照逐字填写（括号用中文全角（））。"
    for first, second in pairwise(LEGAL_FORMS.finditer(name)):
        if first.end() == second.start():
            return f"名称里“{second.group()}”重复了，请删去一个，按营业执照逐字填写。"
    if len(CJK.findall(name)) < 2:
        return "请填写营业执照上的中文企业名称。"
    return None


def _wechat_error(value: str) -> str | None:
    if WECHAT_ID.match(value):
        return None
    if re.search(r"\s", value):
        return (
            "微信号里不会有空格：空格处是下划线 _、减号 - 还是什么都没有？"
            f"请对照法定代表人的微信号重新填写。{WHERE_WECHAT_ID}"
        )
    if MOBILE.match(value):
        return f"这是手机号，不是微信号。{WHERE_WECHAT_ID}"
    if re.fullmatch(r"\d{5,11}", value):
        return f"这看起来是 QQ 号，不是微信号。{WHERE_WECHAT_ID}"
    if "@" in value:
        return f"这是邮箱，不是微信号。{WHERE_WECHAT_ID}"
    if CJK.search(value):
        return f"微信号不含中文，这可能是微信昵称。{WHERE_WECHAT_ID}"
    if value and not value[0].isalpha():
        return f"微信号以字母开头。{WHERE_WECHAT_ID}"
    if not 6 <= len(value) <= 20:
        return f"微信号为 6–20 位，您填写了 {len(value)} 位。{WHERE_WECHAT_ID}"
    return f"微信号只含字母、数字、下划线和减号。{WHERE_WECHAT_ID}"


def validate(raw: Mapping[str, Any], fields: Iterable[str] = ALL_FIELDS) -> Result:
    """Check and normalize the merchant's input for a form with these ``fields``.

    Without a code-type field the code must be an 18-character unified social credit
    code (the newer API accepts nothing else).
    """
    fields = tuple(fields)
    raw_values = {k: str(raw.get(k) or "") for k in (*ALL_FIELDS, "contact_phone")}
    selectable = "code_type" in fields
    code_type = int(raw_values["code_type"]) if raw_values["code_type"] in ("1", "2", "3") else 0
    values: dict[str, Any] = normalize.facts(raw_values, fields)
    values["code_type"] = code_type if selectable else 1
    values["contact_phone"] = re.sub(r"[\s\u3000]", "", raw_values["contact_phone"])
    result = Result(values)
    for key in normalize.FIELDS:
        if key in values and raw_values[key].strip() and values[key] != raw_values[key]:
            result.changes[key] = (raw_values[key], values[key])
    errors, warnings = result.errors, result.warnings

    name = values["name"]
    if error := _name_error(name):
        errors["name"] = error
    elif warning := _name_warning(name):
        warnings["name"] = warning
    elif name.startswith("个体户") and values.get("legal_persona_name"):
        expected = "个体户" + values["legal_persona_name"]
        if name != expected:
            warnings["name"] = f"无字号的个体工商户，名称应为“个体户”加法人姓名，即“{expected}”。"

    if not values["code_type"]:
        errors["code_type"] = "请选择企业代码类型。"
    if not values["code"]:
        errors["code"] = "请填写企业代码。"
    elif values["code_type"]:
        error, warning = _code_error(values["code"], values["code_type"], selectable)
        if error:
            errors["code"] = error
        elif warning:
            warnings["code"] = warning

    if "legal_persona_name" in fields:
        _check_person(values["legal_persona_name"], errors, warnings)
    if "legal_persona_wechat" in fields:
        wechat = values["legal_persona_wechat"]
        if not wechat:
            errors["legal_persona_wechat"] = f"请填写法定代表人的微信号。{WHERE_WECHAT_ID}"
        elif error := _wechat_error(wechat):
            errors["legal_persona_wechat"] = error
        elif what := next((what for id_, what in NOT_A_PERSON if id_.match(wechat)), None):
            warnings["legal_persona_wechat"] = (
                f"“{wechat}”{what}，不是个人微信号。需要的是法定代表人本人的微信号：{WHERE_WECHAT_ID}"
            )

    phone = values["contact_phone"]
    if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        errors["contact_phone"] = "请填写手机号（11 位）或座机号（如 020-12345678），也可以不填。"
    return result


def _check_person(person: str, errors: dict[str, str], warnings: dict[str, str]) -> None:
    stray = _stray(person, PERSON_CHARS)
    if not person:
        errors["legal_persona_name"] = "请填写法定代表人的姓名。"
    elif len(person) > PERSON_MAX:
        errors["legal_persona_name"] = (
            f"姓名最长 {PERSON_MAX} 个字，您填写了 {len(person)} 个字。请只填法定代表人的姓名。"
        )
    elif re.search(r"[0-9]", person):
        errors["legal_persona_name"] = "姓名里不应有数字，请按营业执照上的法定代表人姓名填写。"
    elif len(person) >= 4 and (
        "公司" in person or TRAILING_NOTE.sub("", person).endswith(ORG_FORMS)
    ):
        errors["legal_persona_name"] = "这像是企业名称，请填写法定代表人本人的姓名。"
    elif person.endswith(TITLES) and person not in TITLES:
        errors["legal_persona_name"] = "请只填姓名，不要加“法人”“经理”“老板”等称呼。"
    elif stray is not None and stray in BRACKETS:
        errors["legal_persona_name"] = "姓名里不应有括号或备注，请只填法定代表人的姓名。"
    elif stray is not None:
        errors["legal_persona_name"] = (
            f"姓名里不会有{_shown(stray)}，请按营业执照上的法定代表人姓名填写。"
        )
    elif not CJK.search(person):
        warnings["legal_persona_name"] = (
            "如为外籍法定代表人，请按其微信支付绑定银行卡上的姓名填写。"
        )
    elif latin := LATIN.search(person):
        warnings["legal_persona_name"] = (
            f"姓名里夹有英文字母“{latin.group()}”：中国公民的姓名只用汉字（少数民族姓名用“·”"
            "分隔），请按身份证核对；外籍法定代表人请全部按证件上的拼写填写。"
        )
    elif len(person) < 2:
        errors["legal_persona_name"] = "姓名至少两个字，请填写法定代表人的完整姓名。"
    elif person.endswith("总") and len(person) <= 3:
        warnings["legal_persona_name"] = "“总”像是称呼：请填写营业执照上的法定代表人全名。"
    elif warning := _traditional_warning(person, person=True):
        warnings["legal_persona_name"] = warning
