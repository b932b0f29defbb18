"""Photos on the checklist (the avatar, the business licence): turned into what WeChat
takes, and every file a phone or an attacker sends refused with a message, changing nothing."""

import io

import pytest
from PIL import Image

from portal.golive import steps as st
from portal.merchant import setup as routes
from tests.merchant.test_setup import authorized, photo, post, setup_of, snapshot, url
from tests.merchant.test_setup_rules import png_header


@pytest.fixture
def sub(db):
    return authorized(db)


HOSTILE = [
    (b"this is not a picture", "这不是照片文件"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 500, "无法识别这张照片"),
    (png_header(1, 1_000_000_000), "照片像素太多"),
    (b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024), "照片超过 10 MB"),
    (photo((30, 30)), "照片太小"),
]


@pytest.mark.parametrize(
    ("data", "message"), HOSTILE, ids=["text", "garbage", "bomb", "20mb", "tiny"]
)
def test_a_bad_avatar_gets_a_clear_message_and_changes_nothing(client, db, sub, data, message):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = post(client, sub, "avatar", avatar=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


@pytest.mark.parametrize(("data", "message"), HOSTILE[:3], ids=["text", "garbage", "bomb"])
def test_a_bad_licence_photo_is_refused_like_an_avatar(client, db, sub, data, message):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = post(client, sub, "name", {"nickname": "张记面馆"}, licence=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


def test_no_avatar_chosen_is_refused(client, db, sub):
    response = post(client, sub, "avatar")
    assert response.status_code == 422 and "请选择一张照片。" in response.get_data(as_text=True)


def test_a_good_avatar_is_stored_as_a_square_jpeg_and_shown(client, db, sub):
    response = post(client, sub, "avatar", avatar=photo((1200, 800), "PNG", "RGBA"))
    assert response.status_code == 303
    setup = setup_of(db, sub)
    assert st.step(db, setup["id"], st.AVATAR)["state"] == st.GIVEN
    (avatar,) = st.files(db, setup["id"], st.AVATAR)
    assert avatar["role"] == "avatar" and avatar["content_type"] == "image/jpeg"
    assert len(avatar["content"]) <= 2 * 1024 * 1024
    assert Image.open(io.BytesIO(avatar["content"])).size == (640, 640)
    shown = client.get(url(sub, "/avatar.jpg"))
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.data == avatar["content"]


def test_a_photo_past_the_request_limit_is_refused_before_it_is_read(client, db, sub, monkeypatch):
    client.get(url(sub))
    before = snapshot(db, sub)
    monkeypatch.setattr(routes, "REQUEST_MAX", 1024 * 1024)
    response = post(client, sub, "avatar", avatar=photo() + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 303
    assert "照片超过 10 MB" in client.get(url(sub)).get_data(as_text=True)
    assert snapshot(db, sub) == before
