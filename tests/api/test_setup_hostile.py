"""Hostile input to the setup API: huge, broken or disguised photos, absurd names,
nested or malformed bodies. Each is refused with the one error object (400, 413 or
422 in Chinese), never a 500, and nothing is stored."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from PIL import Image

from portal.api import bodies
from portal.golive import rules
from portal.golive import steps as st
from tests.api.setup_helpers import b64, call, jpeg, untouched, url

MULTIPART = "multipart/form-data"


def refused(response, status, code):
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    error = response.get_json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    return error


def field_message(response, field):
    error = refused(response, 422, "validation_failed")
    return {f["field"]: f["message"] for f in error["fields"]}[field]


def bomb() -> bytes:
    """A small PNG that claims 100 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (b"\xff\xd8\xff" + b"\0" * (rules.UPLOAD_MAX + 10), rules.TOO_BIG),
        (b"%PDF-1.7\n" + b"x" * 2000, rules.NOT_A_PHOTO),
        (b"<html><script>alert(1)</script></html>", rules.NOT_A_PHOTO),
        (b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50, rules.UNREADABLE),
        (jpeg()[:120], rules.UNREADABLE),
        (bomb(), rules.TOO_MANY_PIXELS),
        (b"", "请选择一张照片。"),
    ],
    ids=["huge", "pdf", "html", "broken-png", "truncated-jpeg", "bomb", "empty"],
)
def test_bad_photos_by_multipart_are_422(client, db, writer, sub, setup, photo, message):
    data = {"avatar": (io.BytesIO(photo), "photo.jpg")}
    response = call(client, "put", url(sub, "/avatar"), writer, data=data, content_type=MULTIPART)
    assert field_message(response, "avatar") == message
    untouched(db, setup["id"], st.AVATAR)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A" * (bodies.BASE64_MAX + 8), rules.TOO_BIG),
        ("not base64 at all!", bodies.NOT_BASE64),
        ("照片", bodies.NOT_BASE64),
        ("data:image/png,rawtext", bodies.NOT_BASE64),
        ({"content": "abc"}, bodies.NOT_A_STRING),
        (12345, bodies.NOT_A_STRING),
        (b64(b"GIF89a" + b"\xff" * 64), rules.UNREADABLE),
    ],
    ids=["huge", "not-b64", "chinese", "data-url", "object", "number", "broken-gif"],
)
def test_bad_photos_as_json_are_422(client, db, writer, sub, setup, value, message):
    response = call(client, "put", url(sub, "/avatar"), writer, json={"avatar": value})
    assert field_message(response, "avatar") == message
    licence = call(client, "put", url(sub, "/name"), writer,
                   json={"nickname": "沙箱接口小店", "licence": value})  # fmt: skip
    assert field_message(licence, "licence") == message
    untouched(db, setup["id"], st.AVATAR)
    untouched(db, setup["id"], st.NAME)


def test_a_body_past_its_bound_is_413(client, db, writer, sub, setup):
    huge = json.dumps({"avatar": "A" * (bodies.PHOTO_BODY_MAX + 10)})
    response = call(client, "put", url(sub, "/avatar"), writer, data=huge,
                    content_type="application/json")  # fmt: skip
    assert "MB" in refused(response, 413, "too_large")["message"]
    long_intro = json.dumps({"signature": "长" * 70_000})
    response = call(client, "put", url(sub, "/intro"), writer, data=long_intro,
                    content_type="application/json")  # fmt: skip
    refused(response, 413, "too_large")
    four = {f"qualification:{n}": (io.BytesIO(jpeg()), f"{n}.jpg") for n in "abcd"}
    response = call(client, "put", url(sub, "/category"), writer, content_type=MULTIPART,
                    data={"first": "304", "second": "1094", **four})  # fmt: skip
    refused(response, 413, "too_large")
    untouched(db, setup["id"], st.AVATAR)
    untouched(db, setup["id"], st.INTRO)


@pytest.mark.parametrize(
    "nickname",
    [
        "店" * 10_000,
        "沙箱\u202e小店铺",  # right-to-left override
        "沙箱\u200b小店铺",  # zero-width space
        "沙箱\ud800小店铺",  # a lone surrogate (JSON "\ud800")
        "沙箱\x00小店铺",
        "<script>小店</script>",
        "   ",
        "",
    ],
    ids=["long", "rtl", "zero-width", "surrogate", "nul", "script", "spaces", "empty"],
)
def test_absurd_names_are_422(client, db, writer, sub, setup, nickname):
    body = json.dumps({"nickname": nickname, "licence": b64(jpeg())})
    response = call(client, "put", url(sub, "/name"), writer, data=body,
                    content_type="application/json")  # fmt: skip
    assert field_message(response, "nickname")
    untouched(db, setup["id"], st.NAME)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("[" * 2000 + "]" * 2000, "application/json", 400, "invalid_json"),
        ('{"signature": ' + "[" * 100 + "]" * 100 + "}", "application/json", 400, "invalid_json"),
        ('{"signature": "a", "signature": "b"}', "application/json", 400, "invalid_json"),
        ('{"signature": NaN}', "application/json", 400, "invalid_json"),
        ("[1, 2]", "application/json", 400, "invalid_json"),
        (b"\xff\xfe{}", "application/json", 400, "invalid_json"),
        ('{"signatur": "本店提供外卖服务"}', "application/json", 400, "unknown_parameter"),
        ("signature=本店提供外卖服务", "application/x-www-form-urlencoded", 400, "invalid_json"),
        ("本店提供外卖服务", "text/plain", 400, "invalid_json"),
    ],
    ids=["deep", "deep-field", "repeated", "nan", "array", "not-utf8", "unknown", "form", "text"],
)
def test_malformed_bodies_are_400(client, db, writer, sub, setup, body, content_type, status, code):
    response = call(client, "put", url(sub, "/intro"), writer, data=body, content_type=content_type)
    refused(response, status, code)
    untouched(db, setup["id"], st.INTRO)


def test_nested_qualifications_are_refused(client, db, writer, sub, setup):
    nested = {
        "first": 304,
        "second": 1094,
        "qualifications": {"食品经营许可证": {"a": {"b": ["c"]}}},
    }
    response = call(client, "put", url(sub, "/category"), writer, json=nested)
    assert field_message(response, "qualification:食品经营许可证") == bodies.NOT_A_STRING
    flat = {"first": 304, "second": 1094, "qualifications": ["食品经营许可证"]}
    response = call(client, "put", url(sub, "/category"), writer, json=flat)
    assert "对象" in field_message(response, "qualifications")
    untouched(db, setup["id"], st.CATEGORY)


def test_broken_or_repeated_multipart_is_400(client, db, writer, sub, setup):
    broken = call(client, "put", url(sub, "/avatar"), writer,
                  data=b"--xyz\r\nContent-Disposition: form-data; name=\"avatar\"\r\n\r\n\xff",
                  content_type="multipart/form-data; boundary=xyz")  # fmt: skip
    assert broken.status_code in (400, 422), broken.get_data()[:200]
    assert broken.get_json()["error"]["message"]
    twice = call(client, "put", url(sub, "/name"), writer, content_type=MULTIPART,
                 data={"nickname": ["沙箱一号小店", "沙箱二号小店"]})  # fmt: skip
    refused(twice, 400, "invalid_parameter")
    stray = call(client, "put", url(sub, "/avatar"), writer, content_type=MULTIPART,
                 data={"avatar": (io.BytesIO(jpeg()), "a.jpg"), "exe": (io.BytesIO(b"MZ"), "x.exe")})  # fmt: skip
    refused(stray, 400, "unknown_parameter")
    untouched(db, setup["id"], st.AVATAR)
    untouched(db, setup["id"], st.NAME)


JSON_VALUES = hs.recursive(
    hs.none() | hs.booleans() | hs.integers() | hs.floats(allow_nan=False) | hs.text(max_size=40),
    lambda inner: (
        hs.lists(inner, max_size=3) | hs.dictionaries(hs.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
ROUTES = {
    "/name": ("nickname", "licence"),
    "/intro": ("signature",),
    "/category": ("first", "second", "qualifications"),
    "/testers": ("wechat_ids",),
    "/audit/resubmit": ("feedback_info",),
}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=hs.sampled_from(sorted(ROUTES)),
    values=hs.lists(JSON_VALUES, min_size=1, max_size=3),
    extra=hs.booleans(),
)
def test_any_json_is_answered_never_a_500(client, writer, sub, setup, route, values, extra):
    body = dict(zip(ROUTES[route], values, strict=False))
    if extra:
        body["bogus"] = values[0]
    method = "post" if route == "/audit/resubmit" else "put"
    response = call(client, method, url(sub, route), writer, json=body)
    assert response.status_code in (202, 400, 409, 413, 422), response.get_data()[:300]
    assert "error" in response.get_json() or response.status_code == 202


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=hs.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"BM", b"RIFF\0\0\0\0WEBP"]),
       tail=hs.binary(max_size=400))  # fmt: skip
def test_any_bytes_as_a_photo_are_answered_never_a_500(client, writer, sub, setup, head, tail):
    data = {"avatar": (io.BytesIO(head + tail), "a.jpg")}
    response = call(client, "put", url(sub, "/avatar"), writer, data=data, content_type=MULTIPART)
    assert response.status_code in (202, 422), response.get_data()[:300]
