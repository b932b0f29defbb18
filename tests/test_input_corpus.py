"""Real-world input that the form's and the API's checks refused wrongly, accepted wrongly
or crashed on (a review fed ~430 such inputs through ``validate``): each table below is
one finding, with the inputs merchants really type or paste."""

import pytest

from portal import apikeys as keys
from portal import normalize
from portal.notify.phones import e164
from portal.registration import recovery
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.validation import validate
from portal.validation_codes import looks_like
from tests.merchant.helpers import submit
from tests.registration.facts import facts
from tests.test_validation import VALID

TENCENT = "9144030071526726XG"


def check(**changes):
    return validate({**VALID, **changes})


# 1. A code with a letter or digit of another script: never a crash, never accepted.
NOT_ASCII_CODES = [
    ("2", "沪12345678", "不会有“沪”"),  # a province's abbreviation before an old code
    ("2", "ÉBCDEFGH1", "不会有“É”"),
    ("2", "12345678号", "不会有“号”"),
    ("2", "ABCDEFGH中", "不会有“中”"),
    ("2", "٧٠٨٤٦١١٣٦", "“٧”不是数字 0–9"),  # Arabic-Indic digits
    ("3", "፩" * 15, "“፩”不是数字 0–9"),  # Ethiopic digits: int() refuses them
    ("3", "٤٤٠٣٠١١٠٦٠٠٠٠١٧", "“٤”不是数字 0–9"),  # would have been sent as typed
    ("1", "914403007084б113бT", "不会有“Б”"),  # Cyrillic б for 6
    ("1", "9144030071526726X〇", "“〇”不是数字 0–9"),
]


@pytest.mark.parametrize("code_type, code, message", NOT_ASCII_CODES)
def test_a_code_in_another_script_is_refused_in_chinese(code_type, code, message):
    result = check(code_type=code_type, code=code)
    assert message in result.errors["code"]
    assert looks_like(result.values["code"]) is None


@pytest.mark.parametrize("char", ["沪", "É", "ß", "Ⅻ", "٣", "፩", "𝟙", "①", "ｱ", "Ω", "\x00"])
@pytest.mark.parametrize("where", range(9))
def test_no_character_anywhere_in_an_organization_code_crashes(char, where):
    body = list("708461136")
    body[where] = char
    for code_type in ("1", "2", "3"):
        result = check(code_type=code_type, code="".join(body))
        assert result.errors.get("code") or result.values["code"] == "70846113-6"


# 2. A foreign legal person's name keeps one space between words (the bank card's).
FOREIGN_NAMES = [
    ("John Smith", "John Smith"),
    ("JOHN  SMITH", "JOHN SMITH"),
    (" Kim Jong Un ", "Kim Jong Un"),
    ("Tan\u3000Ah\u00a0Kow", "Tan Ah Kow"),
    ("John\tSmith\n", "John Smith"),
    ("W. Smith", "W. Smith"),
    ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
    ("John Smith Jr.", "John Smith Jr."),
    # spaces between Han characters are still dropped
    ("阿卜杜 热合曼", "阿卜杜热合曼"),
    (" 王 小 明 ", "王小明"),
    ("约翰 · 史密斯", "约翰·史密斯"),
]


@pytest.mark.parametrize("typed, sent", FOREIGN_NAMES)
def test_a_foreign_name_keeps_its_spaces_between_words(typed, sent):
    result = check(legal_persona_name=typed)
    assert result.values["legal_persona_name"] == sent
    assert "legal_persona_name" not in result.errors
    assert normalize.person_name(sent) == sent


def test_the_form_stores_the_foreign_name_with_its_space(client, db):
    location = submit(client, legal_persona_name="John  Smith")
    public_id = location.rsplit("/", 1)[-1]
    assert subs.get_by_public_id(db, public_id)["legal_persona_name"] == "John Smith"


# 3. The ID card's "·" in a minority name, however it was typed.
PERSON_DOTS = [
    "阿卜杜.热合曼",
    "阿卜杜-热合曼",
    "阿卜杜．热合曼",
    "阿卜杜－热合曼",
    "阿卜杜\u0387热合曼",  # Greek ano teleia
    "阿卜杜\u02d1热合曼",  # ˑ
    "阿卜杜\u2e31热合曼",  # ⸱
    "阿卜杜•热合曼",
]


@pytest.mark.parametrize("typed", PERSON_DOTS)
def test_a_dot_or_hyphen_between_han_characters_becomes_the_middle_dot(typed):
    result = check(legal_persona_name=typed)
    assert result.values["legal_persona_name"] == "阿卜杜·热合曼"
    assert "legal_persona_name" not in result.errors


@pytest.mark.parametrize("typed", ["·王五", "王五·", "王··五", "阿卜杜..热合曼", "·", "王五.",
                                   "-王五", "阿卜杜·-热合曼"])  # fmt: skip
def test_a_middle_dot_at_an_end_or_doubled_is_refused(typed):
    assert "两部分之间" in check(legal_persona_name=typed).errors["legal_persona_name"]


def test_a_full_stop_or_hyphen_in_a_latin_name_stays():
    for name in ("Mary-Jane", "J.SMITH", "W. Smith"):
        assert check(legal_persona_name=name).values["legal_persona_name"] == name


# 4. A company name with a look-alike dot.
COMPANY_DOTS = ["•", "・", "．", ".", "\u0387", "\uff65", "‧"]


@pytest.mark.parametrize("dot", COMPANY_DOTS)
def test_a_company_name_s_look_alike_dot_becomes_the_middle_dot(dot):
    result = check(name=f"乌鲁木齐市阿卜杜{dot}热合曼商贸有限公司")
    assert result.values["name"] == "乌鲁木齐市阿卜杜·热合曼商贸有限公司"
    assert "name" not in result.errors


def test_an_individual_business_named_after_a_minority_name_matches_it():
    result = check(name="个体户阿卜杜•热合曼", legal_persona_name="阿卜杜.热合曼")
    assert result.ok and "name" not in result.warnings


# 5. Invisible characters from a copy: dropped from every field, never refused.
INVISIBLE = ["\u200d", "\u200c", "\u2060", "\u00ad", "\u200b", "\ufeff"]
INVISIBLE_PLACES = [
    ("name", "深圳市大疆创新科技有限公司", lambda v, c: v[:3] + c + v[3:] + c),
    ("legal_persona_name", "王五", lambda v, c: v[0] + c + v[1] + c),
    ("legal_persona_wechat", "zhangsan88", lambda v, c: c + v + c),
    ("legal_persona_wechat", "zhangsan88", lambda v, c: v[:5] + c + v[5:]),
    ("contact_phone", "13800138000", lambda v, c: v + c),
]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("field, clean, dirty", INVISIBLE_PLACES)
def test_invisible_characters_are_dropped(char, field, clean, dirty):
    result = check(**{field: dirty(clean, char)})
    assert result.values[field] == clean
    assert field not in result.errors


# 6. Real names ending like a shop are asked about at most; company names and bare
#    titles are refused.
REAL_PERSONS = ["欧阳金城", "司马文园", "上官明堂", "张王晓园", "诸葛子庄", "欧阳德行", "次仁旺堂"]


@pytest.mark.parametrize("person", REAL_PERSONS)
def test_a_real_name_ending_in_a_one_character_form_is_not_refused(person):
    result = check(legal_persona_name=person)
    assert result.ok
    assert "企业名称" not in result.warnings.get("legal_persona_name", "")


COMPANY_AS_PERSON = ["王建国公司", "张三工作室", "李四经营部", "王五有限", "赵六事务所",
                     "示例服务中心", "某某农民专业合作社", "张三有限责任"]  # fmt: skip


@pytest.mark.parametrize("person", COMPANY_AS_PERSON)
def test_a_company_s_name_as_the_legal_person_is_refused(person):
    assert "企业名称" in check(legal_persona_name=person).errors["legal_persona_name"]


@pytest.mark.parametrize("title", ["法人", "法定代表人", "法人代表", "负责人", "老板", "经理",
                                   "先生", "老总", "本人", "店主"])  # fmt: skip
def test_a_bare_title_is_not_a_name(title):
    error = check(legal_persona_name=title).errors["legal_persona_name"]
    assert f"“{title}”是称呼，不是姓名" in error


# 7. The contact phone: one normalized form, stored, sent and found.
PHONES = [
    ("13８００１３８０００", "13800138000"),  # full-width digits mixed in
    ("１３８００１３８０００", "13800138000"),
    ("１３８-００１３-８０００", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("+86-138-0013-8000", "13800138000"),
    ("＋8613800138000", "13800138000"),
    ("0086 138 0013 8000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+86(138)00138000", "13800138000"),
    ("０２０－１２３４５６７８", "020-12345678"),
    ("(020)12345678", "02012345678"),
    ("020-12345678", "020-12345678"),
    ("0755-8888888-123", "0755-8888888-123"),
]


@pytest.mark.parametrize("typed, stored", PHONES)
def test_the_phone_is_normalized_before_it_is_checked(typed, stored):
    result = check(contact_phone=typed)
    assert result.values["contact_phone"] == stored
    assert "contact_phone" not in result.errors


@pytest.mark.parametrize("typed", ["13٨٠٠١٣٨٠٠٠", "١٣٨٠٠١٣٨٠٠٠", "020-١٢٣٤٥٦٧٨", "13８００１３８００",
                                   "138001380000", "+852 91234567"])  # fmt: skip
def test_a_phone_in_another_script_or_of_another_length_is_refused(typed):
    assert "contact_phone" in check(contact_phone=typed).errors


@pytest.mark.parametrize(
    "typed", ["13８００１３８０００", "+86 138 0013 8000", "0086-138-0013-8000"]
)
def test_sms_numbers_come_from_the_same_normalization(typed):
    assert e164(typed) == "+8613800138000"
    assert e164("١٣٨٠٠١٣٨٠٠٠") is None and e164("020-12345678") is None


def test_the_form_stores_the_normalized_phone(client, db):
    location = submit(client, contact_phone="+86 13８ 0013 8000")
    public_id = location.rsplit("/", 1)[-1]
    assert subs.get_by_public_id(db, public_id)["contact_phone"] == "13800138000"


@pytest.mark.parametrize("stored", ["13800138000", "+8613800138000", "8613800138000",
                                    "138-0013-8000"])  # fmt: skip
@pytest.mark.parametrize("typed", ["13800138000", "+86 138 0013 8000", "0086 13800138000",
                                   "１３８００１３８０００"])  # fmt: skip
def test_find_matches_a_phone_however_either_side_was_written(db, stored, typed):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(code=TENCENT), contact_phone=stored)
    assert [r["public_id"] for r in recovery.proven_by(db, TENCENT, typed)] == [sub["public_id"]]
    assert recovery.proven_by(db, TENCENT, "13900139000") == []


def test_find_matches_a_landline_with_or_without_its_hyphen(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(code=TENCENT), contact_phone="020-12345678")
    assert [r["public_id"] for r in recovery.proven_by(db, TENCENT, "020 1234 5678")] == [
        sub["public_id"]
    ]


# 8. Messages that say what to do.
@pytest.mark.parametrize("name", ["*", "***", "无", "/", "-", "个体工商户", "个体户"])
def test_an_individual_business_without_a_name_is_told_wechat_s_rule(name):
    assert "“个体户张三”" in check(name=name).errors["name"]
    v2 = validate({**VALID, "name": name}, ("name", "code"))
    assert "如“个体户张三”" in v2.errors["name"]


def test_the_rule_s_example_uses_only_a_name_that_passed_its_checks():
    error = check(name="*", legal_persona_name="法人").errors["name"]
    assert "如“个体户张三”" in error and "个体户法人" not in error


CODE_LABELS = ["营业执照号：", "营业执照号码：", "营业执照：", "执照编号 ", "统一社会信用代码/注册号：",
               "注册号/统一社会信用代码：", "统一社会信用代码／注册号:"]  # fmt: skip


@pytest.mark.parametrize("label", CODE_LABELS)
def test_a_label_pasted_with_the_code_is_dropped(label):
    result = check(code=label + TENCENT)
    assert result.values["code"] == TENCENT and "code" not in result.errors


def test_a_label_pasted_with_an_organization_code_is_dropped():
    result = check(code_type="2", code="组织机构代码证：80210043-3")
    assert result.values["code"] == "80210043-3" and result.ok


REGISTERED_WITHOUT_SHI = ["杭州海康威视数字技术股份有限公司", "青岛啤酒股份有限公司",
                          "珠海格力电器股份有限公司", "宁波银行股份有限公司"]  # fmt: skip


@pytest.mark.parametrize("name", REGISTERED_WITHOUT_SHI)
def test_the_missing_shi_question_does_not_call_a_registered_name_wrong(name):
    result = check(name=name)
    warning = result.warnings["name"]
    assert result.ok and "一字不差" in warning and "也有不带“市”的" in warning
    assert "漏了" not in warning


@pytest.fixture
def api_key(db):
    return keys.create(db, "CRM", ("submissions:read", "submissions:write"), None)[1]


def test_the_api_answers_a_code_in_another_script_with_a_field_error(client, api_key):
    body = {**facts("广州市接口测试科技有限公司"), "code_type": 2, "code": "沪12345678"}
    response = client.post("/api/v1/submissions", json=body,
                           headers={"Authorization": f"Bearer {api_key}"})  # fmt: skip
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}
    assert "不会有“沪”" in fields["code"]


@pytest.mark.parametrize(
    "typed, digits",
    [("１３８００１３８０００", "13800138000"), ("（020）1234-5678", "02012345678"),
     ("８０００", "8000"), ("+86 138 0013 8000", "13800138000"), ("١٣٨٠٠١٣٨٠٠٠", ""),
     ("0086 138 0013 8000", "13800138000")],
)  # fmt: skip
def test_staff_search_reads_a_phone_typed_in_full_width(typed, digits):
    from portal.staff.filters import phone_digits

    assert phone_digits(typed) == digits
