"""Every code in the fast-register document has a readable catalogue entry."""

import re

import pytest

from portal.wechat import codes

# The code columns of fastregisterweapp.rst's three tables, and REFERENCE §3 and §5.
CREATE_TABLE = [0, -1, 89249, 89247, 86004, 61070, 89248, 89250, 89251, 89252, 89253, 89254]
SEARCH_TABLE = [0, -1, 89247, 89250, 89251, 89252, 89253]
PUSH_TABLE = [100001, 100002, 100003, 101, 102, 103, 104, 105, 1000, -1]
REFERENCE_API = [40001, 40014, 42001, 61004, 61005, 61006, 45009, 61007, 89255, -1]
REFERENCE_PUSH = [0, *range(1001, 1009)]
CJK = re.compile(r"[\u4e00-\u9fff]")
FORM_FIELDS = {"name", "code", "code_type", "legal_persona_wechat", "legal_persona_name"}


def check(entry: codes.Entry) -> None:
    assert entry.known
    for text in (entry.title, entry.explanation, entry.next_step):
        assert CJK.search(text), f"{entry.code}: {text!r} is not Chinese"
    assert entry.actor in codes.ACTOR_LABELS
    assert set(entry.fields) <= FORM_FIELDS
    assert entry.resubmit in ("yes", "later", "no")
    if entry.resubmit == "later":
        assert entry.resubmit_after


@pytest.mark.parametrize("code", sorted(set(CREATE_TABLE + SEARCH_TABLE + REFERENCE_API)))
def test_every_api_errcode_has_an_entry(code):
    check(codes.api_entry(code))


@pytest.mark.parametrize("status", sorted(set(PUSH_TABLE + REFERENCE_PUSH)))
def test_every_push_status_has_an_entry(status):
    check(codes.push_entry(status))


def test_minus_one_means_different_things_from_the_api_and_in_a_push():
    assert codes.api_entry(-1).kind == codes.TRANSIENT
    assert "姓名" in codes.push_entry(-1).title


def test_merchant_fixable_codes_point_at_form_fields():
    for code in (86004, 61070, 89248, 89255):
        entry = codes.api_entry(code)
        assert entry.kind == codes.FIXABLE and entry.fields
    for status in (102, 103, 104, 1000, -1):
        assert codes.push_entry(status).fields


def test_retry_windows_are_stated_for_105_and_89249():
    assert "5–15 个工作日" in codes.push_entry(105).resubmit_after
    assert "24 小时" in codes.api_entry(89249).resubmit_after


def test_operator_problems_are_not_blamed_on_the_merchant():
    for code in (61004, 89254, 45009, 61007, 61005, 61006, 61003):
        entry = codes.api_entry(code)
        assert entry.kind == codes.OPERATOR_PROBLEM and entry.actor == codes.OPERATOR


def test_unknown_codes_still_render_with_wechat_text():
    entry = codes.push_entry(4242, "something new")
    assert not entry.known
    assert "4242" in entry.title and "something new" in entry.explanation
    assert codes.api_entry(None, "").title


def test_codes_met_in_production_are_in_the_catalogue():
    assert codes.api_entry(40033).kind == codes.OPERATOR_PROBLEM
    assert codes.api_entry(40013).kind == codes.OPERATOR_PROBLEM
    assert codes.api_entry(40125).kind == codes.OPERATOR_PROBLEM
    assert codes.api_entry(61023).kind == codes.OPERATOR_PROBLEM
    assert codes.api_entry(45011).kind == codes.TRANSIENT
    for code in (40033, 40013, 40125, 61023, 45011):
        assert codes.api_entry(code).known


def test_each_limit_status_says_what_wechat_limited():
    wording = {
        1001: "主体创建小程序数量达到上限",
        1002: "主体违规命中黑名单",
        1003: "管理员绑定账号数量达到上限",
        1004: "管理员违规命中黑名单",
        1005: "管理员手机绑定账号数量达到上限",
        1006: "管理员手机号违规命中黑名单",
        1007: "管理员身份证创建账号数量达到上限",
        1008: "管理员身份证违规命中黑名单",
    }
    titles = set()
    for status, wechat_text in wording.items():
        for table in (codes.PUSH_STATUSES, codes.V2_STATUSES):
            assert codes.push_entry(status, statuses=table).wechat_text == wechat_text
        titles.add(codes.push_entry(status).title)
    assert len(titles) == 8
    blacklisted = [s for s in wording if "黑名单" in wording[s]]
    assert all(codes.push_entry(s).actor == codes.OPERATOR for s in blacklisted)


def test_100002_says_the_legal_person_neither_confirmed_nor_did_the_face_check():
    explanation = codes.push_entry(100002).explanation
    assert "没有确认" in explanation and "人脸识别" in explanation
    assert "完成了身份证" not in explanation
