"""Every go-live call on the wire: its path, verb, token parameter, exact body, call-log
name and error answer, from one table (one row per call: calls_setup, calls_code)."""

from __future__ import annotations

import json

import httpx
import pytest

from portal.wechat.client import TOKEN_ERRCODES, WeChatError, WeChatUnavailable
from portal.wechat.miniprogram import COMPONENT_TOKEN_ENDPOINTS, ENDPOINTS, PATHS
from tests.wechat.miniprogram.calls_code import CODE_CALLS
from tests.wechat.miniprogram.calls_setup import SETUP_CALLS
from tests.wechat.miniprogram.fake import (
    A_TOKEN,
    C_TOKEN,
    Call,
    Fake,
    compact,
    image_answer,
    json_answer,
)

CALLS = [*SETUP_CALLS, *CODE_CALLS]


each_call = pytest.mark.parametrize("call", CALLS, ids=[call.endpoint for call in CALLS])
json_calls = pytest.mark.parametrize(
    "call", [c for c in CALLS if not c.image], ids=[c.endpoint for c in CALLS if not c.image]
)


def fine(call: Call) -> Fake:
    """A fake WeChat answering this call's success: an image, or errcode 0."""
    return Fake(image_answer() if call.image else None)


def test_the_table_names_every_endpoint_and_path_once():
    assert len(set(ENDPOINTS)) == len(ENDPOINTS)
    assert {call.endpoint for call in CALLS} == set(ENDPOINTS)
    assert {call.path for call in CALLS} == set(PATHS)


def test_the_component_token_goes_to_the_platform_domains_and_the_templates_only():
    assert {c.endpoint for c in CALLS if c.token == C_TOKEN} == COMPONENT_TOKEN_ENDPOINTS


@each_call
def test_each_call_goes_to_its_path_with_its_verb_and_token_as_access_token(call):
    fake = fine(call)
    call.invoke(fake.mp)
    request = fake.request
    assert (request.method, request.url.path) == (call.verb, call.path)
    assert dict(request.url.params) == {"access_token": call.token, **call.query}


@each_call
def test_each_call_sends_exactly_its_body_as_raw_utf8_json(call):
    fake = fine(call)
    call.invoke(fake.mp)
    request = fake.request
    if call.multipart:
        assert request.headers["content-type"].startswith("multipart/form-data")
    elif call.body is None:
        assert request.content == b"" and "content-type" not in request.headers
    else:
        assert request.headers["content-type"] == "application/json; charset=utf-8"
        assert request.content == compact(call.body)
        assert b"\\u" not in request.content
        assert json.loads(request.content) == call.body


@each_call
def test_each_call_is_logged_by_its_endpoint_and_errcode_never_its_token(call):
    fake = fine(call)
    call.invoke(fake.mp)
    [record] = fake.records
    assert (record.endpoint, record.errcode, record.http_status) == (call.endpoint, 0, 200)
    assert record.latency_ms >= 0
    assert A_TOKEN not in repr(record) and C_TOKEN not in repr(record)


@each_call
def test_each_call_raises_the_errcode_wechat_answers(call):
    fake = Fake({"errcode": 85013, "errmsg": "invalid ext_json"})
    with pytest.raises(WeChatError) as raised:
        call.invoke(fake.mp)
    assert not isinstance(raised.value, WeChatUnavailable)
    assert (raised.value.endpoint, raised.value.errcode) == (call.endpoint, 85013)
    assert raised.value.errmsg == "invalid ext_json"
    assert fake.records[0].errcode == 85013


@each_call
@pytest.mark.parametrize("errcode", [40001, 42001])
def test_an_expired_authorizer_token_surfaces_as_its_errcode_for_the_caller_to_refresh(
    call, errcode
):
    fake = Fake({"errcode": errcode, "errmsg": "access_token expired"})
    with pytest.raises(WeChatError) as raised:
        call.invoke(fake.mp)
    assert raised.value.errcode == errcode and errcode in TOKEN_ERRCODES
    assert len(fake.sent) == 1  # the client never retries by itself


@json_calls
def test_each_call_reads_an_answer_missing_every_field(call):
    fake = Fake({"errcode": 0})
    call.invoke(fake.mp)


@json_calls
def test_each_call_reads_an_answer_with_every_field_of_the_wrong_type(call):
    junk = {"errcode": 0, "errmsg": "ok"}
    for name in ("categories_list", "categories", "setting_list", "privacy_list", "page_list"):
        junk[name] = 5
    for name in ("version_list", "draft_list", "template_list", "members", "exp_info"):
        junk[name] = "oops"
    fake = Fake(junk)
    call.invoke(fake.mp)


@each_call
def test_each_call_without_a_usable_answer_is_unavailable(call):
    fake = Fake(httpx.Response(502, text="Bad Gateway"))
    with pytest.raises(WeChatUnavailable) as raised:
        call.invoke(fake.mp)
    assert raised.value.endpoint == call.endpoint and raised.value.errcode is None
    assert fake.records[0].http_status == 502 and fake.records[0].errcode is None


@json_calls
def test_each_call_takes_an_error_sent_as_text_plain(call):
    fake = Fake(json_answer({"errcode": 48001, "errmsg": "api unauthorized"}, "text/plain"))
    with pytest.raises(WeChatError) as raised:
        call.invoke(fake.mp)
    assert raised.value.errcode == 48001
