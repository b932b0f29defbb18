"""Each audience reads its own words: the merchant never meets how the platform talks to
WeChat, and the operator's text never speaks to the merchant. Over the whole catalogue."""

import re

import pytest

from portal.wechat import codes

#: How the platform talks to WeChat: words a merchant cannot act on.
JARGON = [
    "ip", "白名单", "token", "access_token", "errcode", "接口", "appsecret", "第三方平台配置",
    "component", "ticket", "票据", "portal_", "权限集", "开放平台", "令牌", "授权码", "\\u",
    "worker", "api", "refresh", "凭证", "配额",
]  # fmt: skip
#: The merchant's words: an operator text that says these is talking to the wrong person.
ADDRESSES_MERCHANT = ["您", "你的", "无需重新填写"]


def registration_entries() -> list[codes.Entry]:
    """Every entry outside the go-live calls (those have their own test and owner)."""
    api = [e for e in codes.API_CODES.values() if e.source != "setup"]
    unknown = [codes.api_entry(4242, "new"), codes.push_entry(4243, "new")]
    return [*api, *codes.PUSH_STATUSES.values(), *codes.V2_STATUSES.values(),
            *codes.ENDED_EARLY.values(), *unknown]  # fmt: skip


def every_entry() -> list[codes.Entry]:
    return [*registration_entries(), *codes.GOLIVE_CODES.values(), *codes.CALL_CODES.values()]


def merchant_texts(entry: codes.Entry) -> list[str]:
    return [entry.title, entry.explanation, entry.next_step, entry.resubmit_after]


def jargon_in(text: str) -> list[str]:
    lowered = text.lower()
    return [w for w in JARGON if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered)]


@pytest.mark.parametrize("entry", registration_entries(), ids=lambda e: f"{e.source}-{e.code}")
def test_merchant_texts_carry_no_operator_jargon(entry):
    found = {text: jargon_in(text) for text in merchant_texts(entry) if jargon_in(text)}
    assert not found, f"{entry.code}: {found}"


def test_operator_texts_never_address_the_merchant():
    offending = [
        (e.code, text)
        for e in every_entry()
        for text in (e.operator_text, e.console_title)
        if any(word in text for word in ADDRESSES_MERCHANT)
    ]
    assert not offending


def test_every_operator_problem_has_its_own_operator_note():
    """The operator reads what to do, not a default, whenever the operator must act."""
    missing = [
        e.code
        for e in registration_entries()
        if (e.actor == codes.OPERATOR or e.kind == codes.OPERATOR_PROBLEM) and not e.operator_note
    ]
    assert not missing


def test_the_jargon_check_catches_what_the_tester_met():
    assert jargon_in("服务器 IP 不在白名单") == ["ip", "白名单"]
    assert not jargon_in("新小程序的 AppID")  # the merchant's own AppID is not jargon
    assert codes.api_entry(61004).console_title == "服务器 IP 不在白名单"
    assert "您的资料" not in codes.api_entry(61004).operator_text
    assert "您的资料" in codes.api_entry(61004).next_step
