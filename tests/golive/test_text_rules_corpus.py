"""The go-live text rules (portal/golive/rules.py) against realistic input: emoji in the
BMP, full-width characters before the banned words, names shaped like a WeChat ID, and
look-alikes normalized. What is checked is what is stored and sent, and the sandbox
(portal/sandbox/miniprograms/) answers the same input as the portal reads it."""

from __future__ import annotations

import pytest

from portal.golive import rules
from portal.golive import steps as st
from portal.sandbox.miniprograms import media
from tests.merchant.test_setup import authorized, photo, post, setup_of
from tests.sandbox.conftest import token  # noqa: F401 (the fixture new_miniprogram needs)
from tests.sandbox.golive.helpers import new_miniprogram

EMOJI = "简介里不能有表情符号或不可见的控制字符，请删掉后重新输入。"
CHECK = "/cgi-bin/wxverify/checkwxverifynickname"
SIGN = "/cgi-bin/account/modifysignature"

#: Introductions with an emoji or a pictograph from the BMP (each passed before).
BMP_EMOJI = [
    "本店提供手冲咖啡☕和甜点",
    "我们❤️每一位顾客，欢迎光临",  # U+2764 U+FE0F
    "我们❤每一位顾客，欢迎光临",  # the heart without its selector: still a symbol
    "品质保证✔，假一赔十",
    "五星★服务，放心选购",
    "晴天☀出游，预约包车服务",
    "机票✈酒店一站式预订服务",
    "足球⚽培训，周末开班",
    "本店⭐好评如潮，欢迎选购",
    "营业中☎请提前预约到店",
    "按1️⃣号键选择外卖服务",  # a keycap sequence
    "家庭套餐服务\u2764\ufe0f\u200d\U0001f525",  # a ZWJ sequence
]
#: Introductions in ordinary Chinese punctuation, kept exactly as typed.
PUNCTUATED = [
    "本店提供在线点餐、外卖和到店自提服务。",
    "本店提供外卖，欢迎光临！营业时间：9点—21点；电话（020）12345678",
    "《张记》·面馆“好吃”、实惠，还有什么？欢迎来尝尝…",
    "本店主营面食：牛肉面、炸酱面；另有小菜（凉拌）等～",
]
#: Banned words typed in full-width characters: NFKC shows the word.
WIDE_BANNED = [
    ("100％手工面条，欢迎光临", "100%"),
    ("１００％纯手工制作的面条", "100%"),
    ("保证１００%新鲜的水果店", "100%"),
]
#: Names shaped like a WeChat ID, which WeChat's naming rule does not refuse.
ID_SHAPED = ["Coca-Cola", "abcdef-12", "zhang-ji88", "Shop-2024", "Hello-Kitty88"]
#: Names normalized before the checks: (typed, stored and sent).
NORMALIZED_NAMES = [
    ("ＡＢＣ咖啡", "ABC咖啡"),
    ("ＫＦＣ（天河店）", "KFC（天河店）"),  # full-width parentheses are allowed as typed
    ("茶•生活", "茶·生活"),
    ("茶・生活馆", "茶·生活馆"),
    ("张记１号面馆", "张记1号面馆"),
    ("Ｔｅａ ＆ Ｃｏ 茶馆", "Tea & Co 茶馆"),
]


@pytest.mark.parametrize("text", BMP_EMOJI)
def test_an_introduction_with_a_bmp_emoji_is_refused(text):
    assert rules.check_introduction(text).error == EMOJI


@pytest.mark.parametrize("text", PUNCTUATED)
def test_ordinary_chinese_punctuation_stays_allowed_and_as_typed(text):
    assert rules.check_introduction(text) == rules.Checked(text, None)


@pytest.mark.parametrize(("text", "word"), WIDE_BANNED)
def test_a_banned_word_in_full_width_characters_is_refused(text, word):
    checked = rules.check_introduction(text)
    assert checked.error == f"简介里不能有“{word}”：广告法不允许这类绝对化用语，微信会拒绝。"
    assert word in checked.value  # what was checked, as it would be sent


@pytest.mark.parametrize("name", ID_SHAPED)
def test_a_name_shaped_like_a_wechat_id_is_left_to_wechat(name):
    assert rules.check_nickname(name) == rules.Checked(name, None)


@pytest.mark.parametrize(("typed", "sent"), NORMALIZED_NAMES)
def test_full_width_letters_and_look_alike_dots_in_a_name_are_normalized(typed, sent):
    assert rules.check_nickname(typed) == rules.Checked(sent, None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "张记⼩程序",
            "名称里不能有“⼩”：只能用汉字、英文字母、数字、空格和 · & + - ( )。",
        ),  # a Kangxi 小: not folded (only full-width forms are), and no Chinese character
        ("ＷｅＣｈａｔ．店", "名称里不能有“.”：只能用汉字、英文字母、数字、空格和 · & + - ( )。"),
    ],
)
def test_a_name_is_checked_in_its_normalized_form(typed, message):
    assert rules.check_nickname(typed).error == message


def test_the_merchant_page_stores_the_normalized_name_and_introduction(client, db):
    sub = authorized(db)
    client.get(f"/s/{sub['public_id']}/setup")
    assert post(client, sub, "name", {"nickname": "ＡＢＣ咖啡"}, licence=photo()).status_code == 303
    assert post(client, sub, "intro", {"signature": PUNCTUATED[1]}).status_code == 303
    setup = setup_of(db, sub)
    assert st.step(db, setup["id"], st.NAME)["input"]["nickname"] == "ABC咖啡"
    assert st.step(db, setup["id"], st.INTRO)["input"] == {"signature": PUNCTUATED[1]}
    refused = post(client, sub, "intro", {"signature": WIDE_BANNED[0][0]})
    assert refused.status_code == 422


# -- The sandbox: it refuses what the portal refuses, and accepts what it now sends -------


@pytest.mark.parametrize("text", BMP_EMOJI)
def test_the_sandbox_refuses_a_bmp_emoji_as_invalid(text):
    assert media.signature_errcode(text) == 53204


@pytest.mark.parametrize("text", PUNCTUATED)
def test_the_sandbox_takes_ordinary_punctuation(text):
    assert media.signature_errcode(text) == 0


@pytest.mark.parametrize(("text", "_word"), WIDE_BANNED)
def test_the_sandbox_finds_a_full_width_banned_word(text, _word):
    assert media.signature_errcode(text) == 53201


@pytest.fixture
def mp(sandbox_http, sandbox_db, sandbox_app, token):  # noqa: F811
    return new_miniprogram(sandbox_http, sandbox_db, sandbox_app, token)


@pytest.mark.parametrize("typed", ID_SHAPED + [typed for typed, _ in NORMALIZED_NAMES])
def test_the_sandbox_checks_the_names_the_portal_sends_without_refusing_them(mp, typed):
    sent = rules.check_nickname(typed).value
    answer = mp.post(CHECK, {"nick_name": sent})
    assert answer["errcode"] == 0 and answer["hit_condition"] is False


@pytest.mark.parametrize("name", ["zhangsan_88", "ZhangSan_88"])
def test_the_sandbox_refuses_a_name_that_is_a_wechat_id_it_knows(mp, name):
    assert mp.post(CHECK, {"nick_name": name})["errcode"] == 53018  # the legal person's


def test_the_sandbox_refuses_a_name_that_is_a_testers_wechat_id(mp):
    assert mp.post("/wxa/bind_tester", {"wechatid": "Coca-Cola"})["errcode"] == 0
    assert mp.post(CHECK, {"nick_name": "Coca-Cola"})["errcode"] == 53018


def test_the_sandbox_sets_an_introduction_the_portal_accepts(mp):
    sent = rules.check_introduction(PUNCTUATED[1]).value
    assert mp.post(SIGN, {"signature": sent})["errcode"] == 0


def test_only_full_width_forms_are_folded_the_rest_stays_as_typed():
    checked = rules.check_introduction("本店①号门店提供２５㎡包间，欢迎预约！")
    assert checked.error is None
    assert checked.value == "本店①号门店提供25㎡包间，欢迎预约！"


def test_a_banned_word_written_with_look_alikes_is_refused_as_the_sandbox_does():
    for typed in ("本店商品100﹪正品保证", "本店是全城第⼀家烘焙店"):
        assert "广告法" in (rules.check_introduction(typed).error or ""), typed
