"""Pre-flight validation as tables: valid input passes, each mistake is named."""

from pathlib import Path

import pytest

from portal import divisions
from portal.names import simplified
from portal.validation import validate
from portal.validation_codes import (
    org_check_char,
    reg_number_check_digit,
    usci_check_char,
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
    # Kangxi radicals and compatibility ideographs copied out of a PDF (⼴ U+2F34, ⼤ U+2F24)
    ("name", "⼴州市示例科技有限公司", "广州市示例科技有限公司"),
    ("legal_persona_name", "张⼤伟", "张大伟"),
    # What a paste brings around or inside a code: punctuation, quotes, brackets, dashes,
    # spaces, zero-width characters, a label
    ("code", "“9144030071526726XG”。", "9144030071526726XG"),
    ("code", "‘9144030071526726xg’；", "9144030071526726XG"),
    ("code", "「9144030071526726XG」，", "9144030071526726XG"),
    ("code", "【9144030071526726XG】、", "9144030071526726XG"),
    ("code", "(9144030071526726XG)：", "9144030071526726XG"),
    ("code", "9144—0300–7152‐6726‑XG", "9144030071526726XG"),
    ("code", "9144\u200b0300\u200d7152\u20606726\ufeffXG", "9144030071526726XG"),
    ("code", "统一社会信用代码：9144 0300 7152 6726 XG", "9144030071526726XG"),
    ("code", '"9144030071526726XG".', "9144030071526726XG"),
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


ORG_CODE_PASTES = ["802100433", "80210043-3", "80210043－3", "80210043 3", "“80210043—3”。",
                   "80210043‐3", "（80210043-3）", "组织机构代码：80210043-3"]  # fmt: skip


@pytest.mark.parametrize("code", ORG_CODE_PASTES)
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
#: Company names typed in traditional characters or variant forms, with the simplified
#: name on the licence (OpenCC, portal/names.py).
TRADITIONAL_COMPANIES = {
    "廣州市沙箱餐飲管理有限公司": "广州市沙箱餐饮管理有限公司",
    "深圳市鑫發電子科技有限公司": "深圳市鑫发电子科技有限公司",  # 鑫 has no other form
    "臺灣鴻海精密工業股份有限公司": "台湾鸿海精密工业股份有限公司",
    "台州市後街貿易有限公司": "台州市后街贸易有限公司",  # 台 stays, 後 → 后
    "廈門市天后宮文化傳播有限公司": "厦门市天后宫文化传播有限公司",  # 后 stays
    "上海裡仁物業管理有限公司": "上海里仁物业管理有限公司",
    "北京市頭髮護理工作室": "北京市头发护理工作室",  # 髮 → 发
    "東莞市發達理髮店": "东莞市发达理发店",  # 發 → 发 too
    "杭州市峯綫衆創空間有限公司": "杭州市峰线众创空间有限公司",  # variant forms
    "蘭州市麪館": "兰州市面馆",
    "香港衞生用品（深圳）有限公司": "香港卫生用品（深圳）有限公司",  # Hong Kong's form
    "廣州市化粧品有限公司": "广州市化妆品有限公司",
    "廣州市乾洗店": "广州市干洗店",
    "陝西省乾縣乾洗店": "陕西省乾县干洗店",
    "昇輝智能科技股份有限公司": "昇辉智能科技股份有限公司",  # 昇 is standard
    "台北資訊科技有限公司": "台北资讯科技有限公司",  # characters, never words (信息)
}
#: Every character of the table the check used before OpenCC, in a registered-looking name.
OLD_TABLE = "國門東車長電貿業務開發廣華葉廳飯館歡樂網絡資訊實體會計專設傳藝術環醫藥養農產經營銷興達聯創濟購買賣貨運輸線龍鳳寶順萬億豐灣臺區縣鎮鄉莊與為廠場園號際裝飾紡織機氣燈鐵鋼銀錢寧陽雲陳劉張楊黃趙吳鄭馬孫韓馮鄧蕭學藍紅綠顏鮮魚雞麵湯鍋燒滷醬餅麥點廚衛潔護髮雜優質標準築倉儲輛鏈鎖書畫圖聲視頻遊戲夢愛總屬礦鹽漁貝親"
TRADITIONAL_NAMES = list(TRADITIONAL_COMPANIES) + [f"广州市{t}示例有限公司" for t in OLD_TABLE]
#: Legal persons' names typed in traditional characters, with the ID card's.
TRADITIONAL_PERSONS = {
    "張偉": "张伟",
    "陳曉東": "陈晓东",
    "歐陽鋒": "欧阳锋",
    "劉德華": "刘德华",
    "鍾鎮濤": "钟镇涛",
    "張乾": "张乾",  # a person's 乾 stays
    "黃昇": "黄昇",
    "買買提·艾力": "买买提·艾力",
    "蕭麗華": "萧丽华",
}
#: Simplified names with characters OpenCC alone would change: no warning.
SIMPLIFIED_COMPANIES = ["昇辉智能科技股份有限公司", "陕西省乾县示例农业专业合作社",
                        "广州市天后餐饮管理有限公司", "深圳市鑫发电子科技有限公司",
                        "台州市后街贸易有限公司", "北京著名文化传播有限公司"]  # fmt: skip
SIMPLIFIED_PERSONS = ["於震", "张乾", "黄昇", "李陞", "陈甦", "买买提·艾力"]


@pytest.mark.parametrize("name", BRAND_NAMES)
def test_a_brand_name_without_an_organisational_form_is_questioned(name):
    assert "组织形式" in check(name=name).warnings["name"]


@pytest.mark.parametrize("name", TRADITIONAL_NAMES)
def test_traditional_characters_are_questioned_with_the_simplified_form(name):
    warning = check(name=name).warnings["name"]
    expected = TRADITIONAL_COMPANIES.get(name, simplified(name))
    assert f"名称里有繁体字。营业执照上的名称用简体字，应为“{expected}”" in warning
    assert "不会自动" in warning and expected != name
    assert "繁体" not in check(name=expected).warnings.get("name", "")


@pytest.mark.parametrize(("person", "expected"), TRADITIONAL_PERSONS.items())
def test_a_legal_person_s_traditional_name_is_questioned_with_the_simplified_form(person, expected):
    warning = check(legal_persona_name=person).warnings["legal_persona_name"]
    assert f"姓名里有繁体字。营业执照上的姓名用简体字，应为“{expected}”" in warning
    assert "legal_persona_name" not in check(legal_persona_name=expected).warnings


@pytest.mark.parametrize("name", SIMPLIFIED_COMPANIES)
def test_a_simplified_company_name_is_not_questioned(name):
    assert "繁体" not in check(name=name).warnings.get("name", "")


@pytest.mark.parametrize("person", SIMPLIFIED_PERSONS)
def test_a_simplified_person_s_name_is_not_questioned(person):
    assert "legal_persona_name" not in check(legal_persona_name=person).warnings


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
    # a one-character form (店, 城, 园 …) ends real names too: only a question
    ("示例餐饮店", "warnings", "也可能是店名"),
    ("张三（法定代表人）", "errors", "括号或备注"),
    # Latin letters in a Chinese name: a question (a foreign name is all Latin)
    ("张A", "warnings", "英文字母“A”"),
    ("王小明Tom", "warnings", "英文字母“T”"),
    ("买买提·A", "warnings", "英文字母“A”"),
]


def test_minority_and_foreign_names_pass():
    for person in ("阿卜杜热西提·买买提", "MARY-JANE O'NEIL", "J.SMITH"):
        assert "legal_persona_name" not in check(legal_persona_name=person).errors
    for person in ("阿卜杜热西提·买买提", "爱新觉罗·启星"):
        assert "legal_persona_name" not in check(legal_persona_name=person).warnings


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


def usci(body17: str) -> str:
    """A unified social credit code with its check character."""
    return body17 + usci_check_char(body17)


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


#: Codes whose positions 1–8 hold (GB 32100-2015 §4): other authorities and types, the
#: national registry (100000), a historic division (110228 密云县, a district since
#: 2015), a statistical zone (130171): all pass without a question.
STRUCTURED_CODES = [
    usci("91110228MA01ABCD0"),
    usci("92440106MA5C0000X"),
    usci("93440300MA5D00001"),
    usci("12100000400000620"),
    usci("51440300MJL000001"),
    usci("31440000MD0000001"),
    usci("N2440111MF0000001"),
    usci("A1110000MB0000001"),
    usci("Y1440300000000001"),
    usci("91130171MA0000001"),
]
#: A wrong part of positions 1–8: an error where no licence could hold it, a question
#: where the table or our list may be behind; with a wrong check character, the part is
#: named in the error.
CODE_STRUCTURE = [
    (usci("B1440300MA0000001"), "errors", "第 1 位“B”不是登记管理部门代码"),
    (usci("94440300MA0000001"), "warnings", "第 2 位“4”不是市场监管（工商）部门登记的机构类别"),
    (usci("5444030071526726X"), "warnings", "第 2 位应为 1 社会团体"),
    (usci("91000300MA0000001"), "errors", "“000300”不是行政区划代码"),
    (usci("91990300MA0000001"), "errors", "“990300”不是行政区划代码"),
    (usci("91A40300MA0000001"), "errors", "只有数字，这里有字母 A"),
    (usci("91440399MA0000001"), "warnings", "“440399”不在现行和历年的行政区划代码里"),
    (wrong_check(usci("B1440300MA0000001")), "errors", "校验位不对，而且第 1 位“B”"),
    (wrong_check(usci("91440300MA0000001")), "errors", "校验位不对："),
]


@pytest.mark.parametrize("code", STRUCTURED_CODES)
def test_codes_of_every_authority_and_old_divisions_pass(code):
    result = check(code=code)
    assert result.ok and "code" not in result.warnings, (result.errors, result.warnings)


@pytest.mark.parametrize("code, kind, message", CODE_STRUCTURE)
def test_the_part_of_a_code_that_looks_wrong_is_named(code, kind, message):
    result = check(code=code)
    assert message in getattr(result, kind)["code"]
    assert "营业执照" in getattr(result, kind)["code"] or "逐位核对" in result.errors["code"]
    if kind == "warnings":
        assert result.ok


def test_v2_form_checks_the_structure_too():
    result = validate({**VALID, "code": usci("B1440300MA0000001")}, ("name", "code"))
    assert "第 1 位" in result.errors["code"]


#: Names whose structure is questioned or refused (企业名称登记管理规定 2020 第五、七、十、十三条).
NAME_STRUCTURE = [
    ("广州沙箱餐饮有限公司", "warnings", "“广州市”"),
    ("深圳示例科技有限公司", "warnings", "“深圳”是地级市"),
    ("广州市示例有限公司有限公司", "errors", "“有限公司”重复了"),
    ("广州市示例股份有限公司有限公司", "errors", "“有限公司”重复了"),
    ("广州市示例有限公司餐饮", "warnings", "“有限公司”后面还有“餐饮”"),
    ("广州市示例有限公司深圳示例有限公司", "warnings", "两处组织形式"),
    ("广州市二O一八科技有限公司", "warnings", "“二O一八”"),
    ("广州市二0一八科技有限公司", "warnings", "“二0一八”"),
    ("广州市１８８科技有限公司", "warnings", "全角"),
    ("广州市Ⅱ号科技有限公司", "warnings", "罗马数字"),
    ("广州市88科技有限公司", "warnings", "阿拉伯数字“8”"),
    ("广州市示ロ科技有限公司", "errors", "看起来像汉字“口”"),
    ("广州市第ー科技有限公司", "errors", "看起来像汉字“一”"),
]
#: Well-formed names that must pass without a question.
WELL_FORMED_NAMES = [
    "广州市示例科技有限公司北京分公司",
    "中国工商银行股份有限公司北京市分行营业部",
    "上海示例投资合伙企业（有限合伙）",
    "广州市示例农民专业合作社联合社",
    "吉林省示例科技有限公司",
    "吉安县示例农业有限公司",
    "北京京东世纪贸易有限公司",
    "广州市二〇一八科技有限公司",
    "示例（广州）餐饮管理有限公司",
]


@pytest.mark.parametrize("name, kind, message", NAME_STRUCTURE)
def test_name_structure_mistakes_are_named(name, kind, message):
    result = check(name=name)
    assert message in getattr(result, kind)["name"]
    if kind == "warnings":
        assert result.ok


@pytest.mark.parametrize("name", WELL_FORMED_NAMES)
def test_well_formed_names_pass_without_a_question(name):
    result = check(name=name)
    assert "name" not in result.errors and "name" not in result.warnings, result.warnings


#: IDs of an official account or a mini program rather than a person: a question.
WECHAT_QUESTIONS = [
    ("gh_1234567890ab", "公众号的原始 ID"),
    ("GH_ABCDEF123456", "公众号的原始 ID"),
    ("wx1234567890abcdef", "AppID"),
    ("wxA1B2C3D4E5F6A7B8", "AppID"),
]


@pytest.mark.parametrize("wechat, message", WECHAT_QUESTIONS)
def test_an_account_id_that_is_not_a_persons_is_questioned(wechat, message):
    result = check(legal_persona_wechat=wechat)
    warning = result.warnings["legal_persona_wechat"]
    assert result.ok and message in warning and "本人的微信号" in warning and "微信 → 我" in warning


@pytest.mark.parametrize(
    "wechat", ["wxid_abc123", "gh_zhangsan", "wxzhangsan12345678", "gh_1234567890"]
)
def test_personal_ids_like_account_ids_are_not_questioned(wechat):
    assert "legal_persona_wechat" not in check(legal_persona_wechat=wechat).warnings


def test_the_division_list_is_the_union_of_the_years_with_its_sources():
    header = divisions.DATA.read_text(encoding="utf-8").split("\n", 12)[:12]
    assert any("mumuy/data_location" in line and "2026" in line for line in header)
    assert any("cn/GB2260" in line for line in header)
    assert divisions.table()["440300"] == ("深圳市", "current")
    assert divisions.table()["110228"][1] == "historic"  # 密云县 → 密云区 (2015)
    assert divisions.known("100000") and not divisions.known("440399")
    assert divisions.province_known("440399") and not divisions.province_known("990300")


def test_the_browsers_copy_is_built_from_the_same_file():
    from scripts.gbt2260 import STATIC, browser_json

    assert STATIC == Path(__file__).parent.parent / "static" / "data" / "gbt2260.json"
    assert STATIC.read_text(encoding="utf-8") == browser_json(), "run scripts/gbt2260.py"
