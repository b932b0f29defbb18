"""Media, head image and introduction (SETUP §1.5–§1.7, §6 uploadmedia)."""

import pytest

from tests.sandbox.golive.helpers import image

HEAD = "/cgi-bin/account/modifyheadimage"
SIGN = "/cgi-bin/account/modifysignature"
BASIC = "/cgi-bin/account/getaccountbasicinfo"
WHOLE = {"x1": 0, "y1": 0, "x2": 1, "y2": 1}


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "GIF", "BMP"])
def test_temporary_images_in_wechats_formats(mp, kind):
    answer = mp.upload(image(kind), name=f"a.{kind.lower()}")
    assert answer["errcode"] == 0 and answer["type"] == "image"
    assert answer["media_id"] and isinstance(answer["created_at"], int)


def test_upload_refusals(sandbox_http, mp):
    assert mp.upload(b"%PDF-1.7 not an image", name="a.jpg")["errcode"] == 40005
    big = image() + b"\0" * (2 * 1024 * 1024)
    assert mp.upload(big)["errcode"] == 40006  # 2 MB, the stricter of the doc's two sizes
    params = {"access_token": mp.token, "type": "image"}
    assert sandbox_http.post("/cgi-bin/media/upload", params=params).json()["errcode"] == 41005
    params["type"] = "voice"
    files = {"media": ("a.jpg", image(), "image/jpeg")}
    answer = sandbox_http.post("/cgi-bin/media/upload", params=params, files=files).json()
    assert answer["errcode"] == 40004


def test_audit_material_upload(mp):
    answer = mp.upload(path="/wxa/uploadmedia")
    assert answer["errcode"] == 0 and answer["type"] == "image" and answer["mediaid"]
    mp4 = b"\0\0\0\x18ftypmp42" + b"\0" * 100
    assert mp.upload(mp4, name="a.mp4", path="/wxa/uploadmedia")["type"] == "video"
    assert mp.upload(image("BMP"), path="/wxa/uploadmedia")["errcode"] == 40005


def test_the_head_image_is_set_from_a_temporary_image(mp, sandbox_http):
    assert mp.post(HEAD, {"head_img_media_id": mp.media(), **WHOLE})["errcode"] == 0
    info = mp.post(BASIC, raw=b"")["head_image_info"]
    assert info["modify_used_count"] == 1 and info["modify_quota"] == 5
    assert sandbox_http.get(info["head_image_url"]).content[:3] == b"\xff\xd8\xff"


def test_audit_material_is_refused_for_the_head_image(mp):
    """media_ids from /wxa/uploadmedia do not work for the head image (§1.5, 40007)."""
    audit_media = mp.upload(path="/wxa/uploadmedia")["mediaid"]
    assert mp.post(HEAD, {"head_img_media_id": audit_media, **WHOLE})["errcode"] == 40007
    assert mp.post(HEAD, {"head_img_media_id": "made-up", **WHOLE})["errcode"] == 40007


def test_an_expired_media_is_refused(mp, sandbox_db):
    media_id = mp.media()
    sandbox_db.execute("UPDATE media SET created_at = created_at - 3 * 86400")
    sandbox_db.conn.commit()
    assert mp.post(HEAD, {"head_img_media_id": media_id, **WHOLE})["errcode"] == 40007


@pytest.mark.parametrize(
    "box",
    [
        {"x1": 0, "y1": 0, "x2": 0, "y2": 0},  # the community's -1
        {"x1": 0.5, "y1": 0, "x2": 0.4, "y2": 1},  # x1 after x2
        {"x1": 0, "y1": 0, "x2": 1.2, "y2": 1},  # outside [0, 1]
        {"x1": 0, "y1": 0, "x2": 1},  # y2 missing
        {"x1": "a", "y1": 0, "x2": 1, "y2": 1},
    ],
)
def test_a_bad_crop_box_gets_minus_1(mp, box):
    assert mp.post(HEAD, {"head_img_media_id": mp.media(), **box})["errcode"] == -1


def test_string_crop_values_as_the_doc_types_them(mp):
    box = {"x1": "0", "y1": "0", "x2": "1", "y2": "0.9"}
    assert mp.post(HEAD, {"head_img_media_id": mp.media(), **box})["errcode"] == 0


def test_five_head_images_a_month(mp):
    for _ in range(5):
        assert mp.post(HEAD, {"head_img_media_id": mp.media(), **WHOLE})["errcode"] == 0
    assert mp.post(HEAD, {"head_img_media_id": mp.media(), **WHOLE})["errcode"] == 53202


@pytest.mark.parametrize(
    "text, errcode",
    [
        ("沙箱云店", 0),  # exactly 4 Chinese characters
        ("沙箱云", 53204),  # 3 characters
        ("Sandbox shop for all", 53204),  # no Chinese
        ("沙箱" * 61, 53204),  # 122 characters
        ("沙箱云店\n自提", 53204),  # a line break
        ("沙箱云店😀", 53204),  # emoji
        ("全城最好的沙箱云店", 53201),  # a superlative
        (None, 40097),
    ],
)
def test_the_introduction_rules(mp, text, errcode):
    assert mp.post(SIGN, {"signature": text})["errcode"] == errcode


def test_five_introductions_a_month(mp):
    for n in range(5):
        assert mp.post(SIGN, {"signature": f"沙箱云店第{n}版简介"})["errcode"] == 0
    assert mp.post(SIGN, {"signature": "沙箱云店第六版简介"})["errcode"] == 53200
    info = mp.post(BASIC, raw=b"")["signature_info"]
    assert (info["signature"], info["modify_used_count"]) == ("沙箱云店第4版简介", 5)


def test_the_basic_info_of_a_fresh_mini_program(mp):
    info = mp.post(BASIC, raw=b"")
    assert info["principal_type"] == 1 and info["realname_status"] == 1
    assert info["principal_name"] == "沙箱S0上线科技有限公司" and info["account_type"] == 3
    assert info["nickname"] == "" and info["signature_info"]["signature"] == ""
    assert set(info["wx_verify_info"]) >= {"qualification_verify", "naming_verify"}


def test_audit_material_size_and_presence(mp, sandbox_http):
    big_image = image() + b"\0" * (2 * 1024 * 1024)
    assert mp.upload(big_image, path="/wxa/uploadmedia")["errcode"] == 40006
    big_video = b"\0\0\0\x18ftypmp42" + b"\0" * (10 * 1024 * 1024)
    assert mp.upload(big_video, name="a.mp4", path="/wxa/uploadmedia")["errcode"] == 40006
    params = {"access_token": mp.token}
    assert sandbox_http.post("/wxa/uploadmedia", params=params).json()["errcode"] == 41005
