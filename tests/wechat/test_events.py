"""Pushes parse into typed events, tolerantly."""

import pytest

from portal.wechat.events import (
    AuthorizationEvent,
    PushError,
    RegisterResultEvent,
    TicketEvent,
    UnknownEvent,
    parse_envelope,
    parse_event,
)


def test_ticket_event():
    event = parse_event(
        "<xml><AppId>wx1</AppId><CreateTime>1413192605</CreateTime>"
        "<InfoType>component_verify_ticket</InfoType>"
        "<ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>"
    )
    assert isinstance(event, TicketEvent)
    assert (event.ticket, event.create_time) == ("ticket@@@x", 1413192605)


def test_register_result_with_info():
    event = parse_event(
        "<xml><InfoType>notify_third_fasteregister</InfoType><appid>wxabc</appid>"
        "<status>103</status><auth_code></auth_code><msg>企业法定代表人姓名不一致</msg>"
        "<info><name><![CDATA[某公司]]></name><code_type>1</code_type></info></xml>"
    )
    assert isinstance(event, RegisterResultEvent)
    assert event.status == 103 and event.info["name"] == "某公司" and event.auth_code == ""


@pytest.mark.parametrize("status", ["", "abc", " "])
def test_a_status_that_is_not_a_number_becomes_none(status):
    event = parse_event(
        f"<xml><InfoType>notify_third_fasteregister</InfoType><status>{status}</status></xml>"
    )
    assert event.status is None and event.info == {}


def test_authorization_event():
    event = parse_event(
        "<xml><InfoType>unauthorized</InfoType><AuthorizerAppid>wxA</AuthorizerAppid></xml>"
    )
    assert isinstance(event, AuthorizationEvent) and event.authorizer_appid == "wxA"


def test_unknown_info_type_keeps_its_fields():
    event = parse_event("<xml><InfoType>new_thing</InfoType><Foo>bar</Foo></xml>")
    assert isinstance(event, UnknownEvent) and event.fields["Foo"] == "bar"


def test_envelope_without_encrypt_is_refused():
    with pytest.raises(PushError, match="Encrypt"):
        parse_envelope(b"<xml><AppId>wx</AppId></xml>")


def test_a_doctype_is_refused_even_without_entities():
    with pytest.raises(PushError, match="unsafe"):
        parse_envelope(b"<!DOCTYPE xml><xml><Encrypt>x</Encrypt></xml>")
