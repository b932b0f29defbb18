"""The text fields' rules: the company name, the legal person's name and WeChat ID.

Part of the pre-flight checks (``portal.validation``): each rule takes a normalized
value and names the mistake (an error blocks, a warning lets the merchant go on).
``static/js/validation.js`` applies the same rules in the browser with the same
messages.
"""

from __future__ import annotations

import re
from itertools import pairwise

from portal import divisions
from portal.names import (
    BRACKETS,
    BRANCH_FORMS,
    HAN_NUMERALS,
    LEGAL_FORMS,
    LOOKALIKES,
    NAME_CHARS,
    NAME_MAX,
    NO_TRADE_NAME,
    ORG_FORMS,
    PERSON_CHARS,
    PERSON_COMPANY_FORMS,
    PERSON_COMPANY_WORDS,
    PERSON_DOT_MISPLACED,
    PERSON_MAX,
    PERSON_SHOP_ENDINGS,
    TITLES,
    TITLES_ALONE,
    TRAILING_NOTE,
    simplified,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
#: Phones in ASCII digits (``\d`` would take full-width and other scripts' digits); the
#: contact phone is normalized first (``normalize.contact_phone``: a mobile as 11 digits).
MOBILE = re.compile(r"^(?:\+?86)?1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(?:-[0-9]{1,6})?$")
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


def name_warning(name: str) -> str | None:
    """A question about a company name that passed ``name_error``, if any."""
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
            f"名称开头的“{stem}”是地级市：多数企业名称写作“{stem}市”开头，也有不带“市”的。"
            f"请与营业执照核对，一字不差；执照上就是“{stem}”开头可继续提交。"
        )
    return None


def name_error(name: str, person: str = "") -> str | None:
    """Why a company name cannot be the licence's, if it cannot (``person``: the legal
    person's name when it passed its own checks, for the 个体户 rule's example)."""
    if not name:
        return "请填写企业名称，与营业执照上的名称一字不差。"
    if NO_TRADE_NAME.fullmatch(name):
        example = f"即“个体户{person}”" if person else "如“个体户张三”"
        return (
            "无字号的个体工商户（执照上名称为“*”“无”或空白）：微信要求企业名称填写“个体户”"
            f"加法定代表人姓名，{example}。"
        )
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


def wechat_error(value: str) -> str | None:
    """What a non-empty value that is not a WeChat ID looks like instead, if anything."""
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


def check_person(person: str, errors: dict[str, str], warnings: dict[str, str]) -> None:
    """Put the legal person's name's error or warning, if any, in ``errors``/``warnings``."""
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
        any(word in person for word in PERSON_COMPANY_WORDS)
        or TRAILING_NOTE.sub("", person).endswith(PERSON_COMPANY_FORMS)
    ):
        errors["legal_persona_name"] = "这像是企业名称，请填写法定代表人本人的姓名。"
    elif person in TITLES_ALONE:
        errors["legal_persona_name"] = (
            f"“{person}”是称呼，不是姓名：请填写法定代表人本人的姓名（与身份证一致），如“张三”。"
        )
    elif person.endswith(TITLES):
        errors["legal_persona_name"] = "请只填姓名，不要加“法人”“经理”“老板”等称呼。"
    elif stray is not None and stray in BRACKETS:
        errors["legal_persona_name"] = "姓名里不应有括号或备注，请只填法定代表人的姓名。"
    elif stray is not None:
        errors["legal_persona_name"] = (
            f"姓名里不会有{_shown(stray)}，请按营业执照上的法定代表人姓名填写。"
        )
    elif PERSON_DOT_MISPLACED.search(person):
        errors["legal_persona_name"] = (
            "“·”只用在姓名的两部分之间（如“买买提·吐尔逊”），不会在开头、结尾或连着两个："
            "请按身份证核对。"
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
    elif len(person) >= 4 and "·" not in person and person.endswith(PERSON_SHOP_ENDINGS):
        warnings["legal_persona_name"] = (
            f"姓名以“{person[-1]}”结尾，也可能是店名：请确认填的是法定代表人本人的姓名"
            "（与身份证一致）；是本人姓名可继续提交。"
        )
