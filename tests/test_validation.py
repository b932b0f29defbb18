"""Pre-flight validation as tables: valid input passes, each mistake is named."""

import pytest

from portal.names import TRADITIONAL, simplified
from portal.validation import (
    org_check_char,
    reg_number_check_digit,
    usci_check_char,
    validate,
)

VALID = {
    "name": "广州市示例科技有限公司",
    "code_type": "1",
    "code": "9144030071526726XG",
    "legal_persona_name": "张三",
    "legal_persona_wechat": "zhangsan_88",
    "contact_phone": "",
}


def check(**changes):
    return validate({**VALID, **changes})


# Real codes published on companies' licences (check characters verified independently).
VALID_CODES = [
    ("1", "9144030071526726XG"),
    ("1", "91330100716105852F"),
    ("1", "91350100M000100Y43"),
    ("1", "91110000802100433B"),
    ("2", "71526726-X"),
    ("2", "80210043-3"),
    ("2", "802100433"),
    ("3", "110108000000016"),
    ("3", "440301103097413"),
]


@pytest.mark.parametrize("code_type, code", VALID_CODES)
def test_valid_codes_of_every_type_pass(code_type, code):
    result = check(code_type=code_type, code=code)
    assert result.ok, result.errors
    assert "code" not in result.warnings


def test_check_characters_match_the_standards():
    assert usci_check_char("9144030071526726X") == "G"
    assert org_check_char("71526726") == "X"
    assert reg_number_check_digit("11010800000001") == "6"


CODE_MISTAKES = [
    ("1", "9144030071526726XA", "校验位不对"),
    ("1", "91440300715267260G", "校验位不对"),
    ("1", "9144O30071526726XG", "不使用字母 O"),
    ("1", "914403007152672", "看起来是营业执照注册号"),
    ("1", "71526726-X", "看起来是组织机构代码"),
    ("1", "12345", "应为 18 位，您填写了 5 位"),
    ("2", "9144030071526726XG", "看起来是统一社会信用代码"),
    ("2", "71526726-1", "校验位不对"),
    ("3", "9144030071526726XG", "看起来是统一社会信用代码"),
    ("3", "11010800000001", "应为 15 位数字，您填写了 14 位"),
    ("", "9144030071526726XG", None),
]


@pytest.mark.parametrize(
    "code_type, code, message",
    CODE_MISTAKES,
)
def test_code_mistakes_are_named(code_type, code, message):
    result = check(code_type=code_type, code=code)
    if message is None:
        assert result.errors["code_type"] == "请选择企业代码类型。"
    else:
        assert message in result.errors["code"]


def test_a_registration_number_failing_its_check_only_warns():
    result = check(code_type="3", code="110108000000017")
    assert result.ok and "校验位" in result.warnings["code"]


WECHAT_MISTAKES = [
    ("13800138000", "这是手机号"),
    ("+8613800138000", "这是手机号"),
    ("123456789", "QQ 号"),
    ("zhangsan@qq.com", "这是邮箱"),
    ("张三的微信", "可能是微信昵称"),
    ("_zhangsan", "以字母开头"),
    ("abc", "6–20 位"),
    ("a" * 21, "6–20 位"),
    ("zhang!san", "只含字母"),
    ("zhang san88", "不会有空格"),
    ("zhang\u3000san88", "不会有空格"),
    ("", "请填写法定代表人的微信号"),
]


@pytest.mark.parametrize(
    "wechat, message",
    WECHAT_MISTAKES,
)
def test_wechat_id_mistakes_are_recognized(wechat, message):
    error = check(legal_persona_wechat=wechat).errors["legal_persona_wechat"]
    assert message in error and "微信 → 我" in error


@pytest.mark.parametrize("wechat", ["zhangsan_88", "wxid_abc123", "Li-Si-2020", "abcdef", "a" * 20])
def test_valid_wechat_ids_pass(wechat):
    assert "legal_persona_wechat" not in check(legal_persona_wechat=wechat).errors


NORMALIZATIONS = [
    ("name", " 广州市示例科技 有限公司 ", "广州市示例科技有限公司"),
    ("name", "广州市示例(天河)科技有限公司", "广州市示例（天河）科技有限公司"),
    ("name", "广州市示例\u3000科技有限公司", "广州市示例科技有限公司"),
    ("code", "9144 0300 7152 6726 xg", "9144030071526726XG"),
    ("legal_persona_name", "阿不都•热合曼", "阿不都·热合曼"),
    ("legal_persona_name", " 张 三 ", "张三"),
    ("legal_persona_wechat", " zhangsan_88 ", "zhangsan_88"),
    ("legal_persona_wechat", "ｚｈａｎｇｓａｎ＿８８", "zhangsan_88"),
    ("legal_persona_wechat", "ＺｈａｎｇＳａｎ－８８", "ZhangSan-88"),
]


@pytest.mark.parametrize(
    "field, raw, sent",
    NORMALIZATIONS,
)
def test_normalizations_are_applied_and_reported(field, raw, sent):
    result = check(**{field: raw})
    assert result.values[field] == sent
    assert result.changes[field] == (raw, sent)
    assert field not in result.errors


@pytest.mark.parametrize("code", ["802100433", "80210043-3", "80210043－3", "80210043 3"])
def test_organization_codes_are_sent_as_xxxxxxxx_x(code):
    result = check(code_type="2", code=code)
    assert result.ok and result.values["code"] == "80210043-3"


def test_company_name_must_be_chinese():
    assert "中文企业名称" in check(name="Tencent Ltd").errors["name"]
    assert "请填写企业名称" in check(name="   ").errors["name"]


def test_individual_business_without_a_trade_name_follows_the_rule():
    assert check(name="个体户张三").ok and "name" not in check(name="个体户张三").warnings
    assert "个体户张三" in check(name="个体户李四").warnings["name"]


#: Names that are really registered (some with Latin letters, digits or a branch in
#: parentheses) must pass; absurd ones never reach WeChat.
REAL_NAMES = [
    "TCL科技集团股份有限公司",
    "阿里巴巴（中国）有限公司",
    "中国工商银行股份有限公司北京市分行营业部",
    "中铁十八局集团第一工程有限公司",
    "深圳市腾讯计算机系统有限公司",
    "三六零安全科技股份有限公司",
    "个体户张三",
]
NAME_MISTAKES = [
    ("腾讯😀科技（深圳）有限公司", "不会有“😀”"),
    ("广州\x00示例科技有限公司", "不可见的控制字符"),
    ("广州市示例科技有限公司!", "不会有“!”"),
    ("广州市示例科技有限公司" * 8, "最长 80 个字"),
    ("广" * 187, "最长 80 个字"),
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_registered_names_pass(name):
    assert "name" not in check(name=name).errors


@pytest.mark.parametrize("name, message", NAME_MISTAKES)
def test_absurd_company_names_are_refused_before_spending_quota(name, message):
    assert message in check(name=name).errors["name"]


#: Brand names typed instead of the registered name: a warning, in both checks.
BRAND_NAMES = ["喜茶", "海底捞火锅", "广州市示例科技", "深圳市腾讯计算机系统"]
#: Every traditional character the check knows, in a registered-looking name.
TRADITIONAL_NAMES = [f"广州市{t}示例有限公司" for t in TRADITIONAL]


@pytest.mark.parametrize("name", BRAND_NAMES)
def test_a_brand_name_without_an_organisational_form_is_questioned(name):
    assert "组织形式" in check(name=name).warnings["name"]


@pytest.mark.parametrize("name", TRADITIONAL_NAMES)
def test_traditional_characters_are_questioned_with_the_simplified_form(name):
    warning = check(name=name).warnings["name"]
    assert "简体" in warning and simplified(name) in warning and simplified(name) != name


PERSON_CHECKS = [
    ("", "errors", "请填写法定代表人的姓名"),
    ("张3", "errors", "不应有数字"),
    ("张", "errors", "至少两个字"),
    ("John Smith", "warnings", "外籍"),
    ("张三（法人）", "errors", "括号或备注"),
    ("张三😀", "errors", "不会有“😀”"),
    ("张\x07三", "errors", "不可见的控制字符"),
    ("王" * 51, "errors", "最长 50 个字"),
    ("张三１", "errors", "不会有“１”"),
    ("张三法人", "errors", "称呼"),
    ("李四经理", "errors", "称呼"),
    ("王老板", "errors", "称呼"),
    ("张三先生", "errors", "称呼"),
    ("王总", "warnings", "称呼"),
    ("广州市示例科技有限公司", "errors", "企业名称"),
    ("示例餐饮店", "errors", "企业名称"),
    ("张三（法定代表人）", "errors", "括号或备注"),
]


def test_minority_and_foreign_names_pass():
    for person in ("阿卜杜热西提·买买提", "MARY-JANE O'NEIL", "J.SMITH"):
        assert "legal_persona_name" not in check(legal_persona_name=person).errors


@pytest.mark.parametrize(
    "person, kind, message",
    PERSON_CHECKS,
)
def test_legal_person_name_checks(person, kind, message):
    assert message in getattr(check(legal_persona_name=person), kind)["legal_persona_name"]


PHONES = [
    ("", True),
    ("13800138000", True),
    ("020-12345678", True),
    ("02012345678", True),
    ("12345", False),
    ("电话", False),
]


@pytest.mark.parametrize("phone, ok", PHONES)  # fmt: skip
def test_contact_phone_is_optional_but_checked(phone, ok):
    assert ("contact_phone" not in check(contact_phone=phone).errors) is ok


def test_valid_input_has_no_errors_warnings_or_changes():
    result = check()
    assert (result.errors, result.warnings, result.changes) == ({}, {}, {})
