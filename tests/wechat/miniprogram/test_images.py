"""Image answers: bytes when the Content-Type is an image; errors come as JSON."""

from __future__ import annotations

import httpx
import pytest

from portal.wechat.client import WeChatError, WeChatUnavailable
from tests.wechat.miniprogram.fake import A_TOKEN, JPEG, PNG, Fake, image_answer, json_answer


def test_the_trial_qrcode_is_a_jpeg():
    fake = Fake(image_answer(JPEG, "image/jpeg"))
    assert fake.mp.code.get_qrcode(A_TOKEN) == JPEG
    assert dict(fake.request.url.params) == {"access_token": A_TOKEN}
    [record] = fake.records
    assert (record.endpoint, record.errcode, record.errmsg) == ("wxa.get_qrcode", 0, "")


def test_the_qrcode_path_is_url_encoded_once():
    fake = Fake(image_answer())
    fake.mp.code.get_qrcode(A_TOKEN, "page/index?action=1")
    assert b"path=page%2Findex%3Faction%3D1" in fake.request.url.query
    assert fake.request.url.params["path"] == "page/index?action=1"


def test_the_live_code_is_an_image_with_its_options_in_the_json_body():
    fake = Fake(image_answer(PNG, "image/png"))
    image = fake.mp.quota.get_wxacode_unlimit(
        A_TOKEN,
        "table=12",
        page="pages/index/index",
        env_version="trial",
        auto_color=False,
        line_color=(0, 0, 255),
        is_hyaline=True,
    )
    assert image == PNG
    assert fake.body() == {
        "scene": "table=12",
        "page": "pages/index/index",
        "env_version": "trial",
        "auto_color": False,
        "line_color": {"r": 0, "g": 0, "b": 255},
        "is_hyaline": True,
    }


def test_the_live_code_sends_only_the_scene_by_default():
    fake = Fake(image_answer())
    fake.mp.quota.get_wxacode_unlimit(A_TOKEN, "s=1")
    assert fake.body() == {"scene": "s=1"}


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/json; encoding=utf-8"]
)
@pytest.mark.parametrize(
    "fetch",
    [
        lambda mp: mp.code.get_qrcode(A_TOKEN),
        lambda mp: mp.quota.get_wxacode_unlimit(A_TOKEN, "s=1"),
    ],
    ids=["get_qrcode", "getwxacodeunlimit"],
)
def test_an_image_call_answered_with_json_raises_its_errcode(fetch, content_type):
    fake = Fake(json_answer({"errcode": 41030, "errmsg": "invalid page"}, content_type))
    with pytest.raises(WeChatError) as raised:
        fetch(fake.mp)
    assert raised.value.errcode == 41030 and not isinstance(raised.value, WeChatUnavailable)


def test_an_image_call_answered_ok_without_an_image_is_unavailable():
    fake = Fake({"errcode": 0, "errmsg": "ok"})
    with pytest.raises(WeChatUnavailable):
        fake.mp.code.get_qrcode(A_TOKEN)


def test_an_image_call_answered_with_garbage_is_unavailable():
    fake = Fake(
        httpx.Response(200, content=JPEG, headers={"Content-Type": "application/octet-stream"})
    )
    with pytest.raises(WeChatUnavailable) as raised:
        fake.mp.code.get_qrcode(A_TOKEN)
    assert A_TOKEN not in str(raised.value)


def test_a_json_call_answered_with_an_image_is_unavailable():
    fake = Fake(image_answer())
    with pytest.raises(WeChatUnavailable):
        fake.mp.code.get_page(A_TOKEN)


def test_a_transport_error_never_shows_the_token():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    fake = Fake()
    fake.client.http = httpx.Client(transport=httpx.MockTransport(refuse), base_url="http://wechat")
    with pytest.raises(WeChatUnavailable) as raised:
        fake.mp.code.get_qrcode(A_TOKEN, "pages/index/index")
    assert A_TOKEN not in str(raised.value)
    assert A_TOKEN not in repr(fake.records)
