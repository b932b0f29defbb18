"""Parsing the message URL's pushes: each event with its fields, the rest as unknown."""

import pytest

from portal.wechat.events import PushError
from portal.wechat.messages import (
    AuditDelay,
    AuditFail,
    AuditSuccess,
    CategoryAudit,
    NicknameAudit,
    UnknownMessage,
    parse_message,
    split_media,
)

HEAD = (
    "<ToUserName><![CDATA[gh_fb9688c2a4b2]]></ToUserName>"
    "<FromUserName><![CDATA[od1P50M-fNQI5Gcq-trm4a7apsU8]]></FromUserName>"
    "<CreateTime>1488856741</CreateTime><MsgType><![CDATA[event]]></MsgType>"
)


def xml(event: str, rest: str = "") -> str:
    return f"<xml>{HEAD}<Event><![CDATA[{event}]]></Event>{rest}</xml>"


def test_audit_success():
    message = parse_message(xml("weapp_audit_success", "<SuccTime>1488856800</SuccTime>"))
    assert isinstance(message, AuditSuccess)
    assert message.succ_time == 1488856800
    assert (message.to_user, message.msg_type, message.create_time) == (
        "gh_fb9688c2a4b2",
        "event",
        1488856741,
    )
    assert message.from_user == "od1P50M-fNQI5Gcq-trm4a7apsU8"


def test_audit_fail_with_reason_and_screenshots():
    reason = '1:账号信息不符合规范:<br>(1):包含色情因素<br>2:服务类目"金融业-保险_"不一致<br>'
    message = parse_message(
        xml(
            "weapp_audit_fail",
            f"<Reason><![CDATA[{reason}]]></Reason><FailTime>1488856900</FailTime>"
            "<ScreenShot><![CDATA[media1|media2||media3]]></ScreenShot>",
        )
    )
    assert isinstance(message, AuditFail)
    assert message.reason == reason
    assert message.fail_time == 1488856900
    assert message.screenshots == ("media1", "media2", "media3")
    assert message.fields["ScreenShot"] == "media1|media2||media3"


def test_field_names_are_matched_case_insensitively():
    message = parse_message(xml("weapp_audit_fail", "<reason>x</reason><screenshot>a</screenshot>"))
    assert (message.reason, message.screenshots) == ("x", ("a",))


def test_audit_delay():
    message = parse_message(
        xml("weapp_audit_delay", "<Reason>需要更多时间</Reason><DelayTime>1488857000</DelayTime>")
    )
    assert isinstance(message, AuditDelay)
    assert (message.reason, message.delay_time) == ("需要更多时间", 1488857000)


@pytest.mark.parametrize("ret, passed", [(2, False), (3, True)])
def test_nickname_audit(ret, passed):
    message = parse_message(
        xml(
            "wxa_nickname_audit",
            f"<ret>{ret}</ret><nickname><![CDATA[沙箱餐饮]]></nickname><reason>理由</reason>",
        )
    )
    assert isinstance(message, NicknameAudit)
    assert (message.ret, message.nickname, message.reason, message.passed) == (
        ret,
        "沙箱餐饮",
        "理由",
        passed,
    )


def test_category_audit():
    message = parse_message(
        xml(
            "wxa_category_audit",
            "<first>304</first><second>321</second><ret>2</ret><reason>资质不清晰</reason>",
        )
    )
    assert isinstance(message, CategoryAudit)
    assert (message.first, message.second, message.ret, message.reason) == (
        304,
        321,
        2,
        "资质不清晰",
    )
    assert not message.passed


def test_missing_fields_are_none_or_empty():
    message = parse_message(xml("weapp_audit_fail"))
    assert (message.reason, message.fail_time, message.screenshots) == ("", None, ())
    assert parse_message(xml("wxa_category_audit", "<first>x</first>")).first is None


def test_unknown_events_and_user_messages_are_unknown():
    message = parse_message(xml("user_enter_tempsession"))
    assert isinstance(message, UnknownMessage) and message.event == "user_enter_tempsession"
    text = parse_message(f"<xml>{HEAD.replace('event', 'text')}<Content>hi</Content></xml>")
    assert isinstance(text, UnknownMessage)
    assert (text.event, text.msg_type, text.fields["Content"]) == ("", "text", "hi")


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Event>&a;</Event></xml>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Event>&e;</Event></xml>',
        "<xml><first>304</nickname></xml>",  # the doc's own sample is malformed
        "not xml",
        "",
        "<notxml><Event>weapp_audit_success</Event></notxml>",
    ],
)
def test_unsafe_or_malformed_xml_is_refused(body):
    with pytest.raises(PushError):
        parse_message(body)


def test_split_media():
    assert split_media(" a | b |") == ("a", "b")
    assert split_media("") == ()


def test_the_envelope_of_a_message_push_names_the_mini_program():
    from portal.wechat.events import parse_envelope

    envelope = parse_envelope(b"<xml><ToUserName> gh_1 </ToUserName><Encrypt>abc</Encrypt></xml>")
    assert (envelope.to_user, envelope.appid, envelope.encrypted) == ("gh_1", None, "abc")
    assert parse_envelope(b"<xml><AppId>wx1</AppId><Encrypt>abc</Encrypt></xml>").to_user is None
