"""Driving the go-live steps through the API: each call checked by the merchant's
rules, stored as ``given`` for the worker with the input converted as the page does,
422 in Chinese storing nothing, 409 while a step is with WeChat, scoped."""

import io

import pytest
from PIL import Image

from portal import apikeys as keys
from portal.golive import outcomes
from portal.golive import steps as st
from tests.api.setup_helpers import (
    authorize,
    b64,
    call,
    jpeg,
    png,
    stored,
    untouched,
    url,
)


def name_body(**changes):
    return {"nickname": "沙箱接口小店", "licence": b64(jpeg()), **changes}


# -- driving the steps -------------------------------------------------------------


def test_name_is_stored_as_given_with_the_licence(client, db, writer, sub, setup):
    response = call(
        client, "put", url(sub, "/name"), writer, json=name_body(nickname=" 沙箱  接口小店 ")
    )
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["steps"][st.NAME]["state"] == st.GIVEN
    state, given, roles = stored(db, setup["id"], st.NAME)
    assert (state, given, roles) == (st.GIVEN, {"nickname": "沙箱 接口小店"}, {"licence"})
    kept = st.files(db, setup["id"], st.NAME)[0]
    assert kept["content"].startswith(b"\xff\xd8\xff") and kept["content_type"] == "image/jpeg"
    # the licence is kept: a new name alone is enough now
    again = call(client, "put", url(sub, "/name"), writer, json={"nickname": "沙箱另一小店"})
    assert again.status_code == 202 and stored(db, setup["id"], st.NAME)[1] == {
        "nickname": "沙箱另一小店"
    }


def test_name_by_multipart(client, db, writer, sub, setup):
    data = {"nickname": "沙箱表单小店", "licence": (io.BytesIO(png()), "licence.png")}
    response = call(
        client, "put", url(sub, "/name"), writer, data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 202, response.get_json()
    assert stored(db, setup["id"], st.NAME) == (st.GIVEN, {"nickname": "沙箱表单小店"}, {"licence"})


def test_avatar_is_converted_like_the_merchant_page_does(client, db, writer, sub, setup):
    response = call(
        client,
        "put",
        url(sub, "/avatar"),
        writer,
        json={"avatar": "data:image/png;base64," + b64(png((900, 500)))},
    )
    assert response.status_code == 202, response.get_json()
    kept = st.files(db, setup["id"], st.AVATAR)[0]["content"]
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG" and image.size == (500, 500)
    data = {"avatar": (io.BytesIO(jpeg(size=(800, 800))), "a.jpg")}
    again = call(
        client, "put", url(sub, "/avatar"), writer, data=data, content_type="multipart/form-data"
    )
    assert again.status_code == 202
    kept = st.files(db, setup["id"], st.AVATAR)
    assert len(kept) == 1 and Image.open(io.BytesIO(kept[0]["content"])).size == (640, 640)


def test_intro_and_testers(client, db, writer, sub, setup):
    response = call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "本店提供在线点餐和外卖服务"}
    )
    assert response.status_code == 202
    assert stored(db, setup["id"], st.INTRO)[:2] == (
        st.GIVEN,
        {"signature": "本店提供在线点餐和外卖服务"},
    )
    response = call(
        client,
        "put",
        url(sub, "/testers"),
        writer,
        json={"wechat_ids": ["tester_one", "Tester_Two"]},
    )
    assert response.status_code == 202, response.get_json()
    assert stored(db, setup["id"], st.TESTERS)[1] == {"wechat_ids": ["tester_one", "Tester_Two"]}


def test_category_plain_and_with_its_qualification(client, db, writer, sub, setup):
    plain = call(client, "put", url(sub, "/category"), writer, json={"first": 304, "second": 305})
    assert plain.status_code == 202, plain.get_json()
    state, given, _ = stored(db, setup["id"], st.CATEGORY)
    assert state == st.GIVEN and given == {
        "first": 304, "first_name": "餐饮服务", "second": 305,
        "second_name": "餐饮服务场所/餐饮服务管理企业", "qualifications": [],
    }  # fmt: skip
    missing = call(
        client, "put", url(sub, "/category"), writer, json={"first": "304", "second": "1094"}
    )
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"][0]["field"] == "qualifications"
    assert "食品经营许可证" in missing.get_json()["error"]["fields"][0]["message"]
    body = {"first": 304, "second": 1094, "qualifications": {"食品经营许可证": b64(jpeg())}}
    permit = call(client, "put", url(sub, "/category"), writer, json=body)
    assert permit.status_code == 202, permit.get_json()
    state, given, roles = stored(db, setup["id"], st.CATEGORY)
    assert given["second"] == 1094 and given["qualifications"] == ["食品经营许可证"]
    assert roles == {"qualification:食品经营许可证"}


def test_category_documents_by_multipart(client, db, writer, sub, setup):
    data = {
        "first": "304",
        "second": "1094",
        "qualification:小餐饮登记证": (io.BytesIO(jpeg()), "p.jpg"),
    }
    response = call(
        client, "put", url(sub, "/category"), writer, data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 202, response.get_json()
    assert stored(db, setup["id"], st.CATEGORY)[2] == {"qualification:小餐饮登记证"}


@pytest.mark.parametrize(
    ("tail", "body", "field", "words"),
    [
        ("/name", name_body(nickname="沙箱小程序店"), "nickname", "小程序"),
        ("/name", name_body(nickname="微信小店铺"), "nickname", "微信"),
        ("/name", {"nickname": "沙箱接口小店"}, "licence", "营业执照"),
        ("/name", name_body(licence=b64(b"%PDF-1.4 not a photo")), "licence", "不是照片"),
        ("/name", name_body(nickname=12345), "nickname", "字符串"),
        ("/avatar", {"avatar": b64(jpeg(size=(60, 60)))}, "avatar", "太小"),
        ("/avatar", {}, "avatar", "请选择"),
        ("/intro", {"signature": "最好的餐厅，提供外卖"}, "signature", "最好"),
        ("/intro", {"signature": "ab"}, "signature", "4–120"),
        ("/intro", {"signature": "本店提供外卖\U0001f600服务"}, "signature", "表情"),
        ("/category", {"first": 1, "second": 2}, "category", "列表"),
        ("/category", {"first": True, "second": 305}, "first", "类目编号"),
        (
            "/category",
            {"first": 304, "second": 305, "qualifications": {"假证": b64(jpeg())}},
            "qualification:假证",
            "不是这个类目需要的资质",
        ),
        ("/testers", {"wechat_ids": ["13800138000"]}, "wechat_ids", "手机号"),
        ("/testers", {"wechat_ids": [f"tester_{n:02}" for n in range(11)]}, "wechat_ids", "最多"),
        ("/testers", {"wechat_ids": [{"id": "x"}]}, "wechat_ids", "列表"),
    ],
)
def test_bad_input_is_422_in_chinese_and_stores_nothing(
    client, db, writer, sub, setup, tail, body, field, words
):
    step = {"/name": st.NAME, "/avatar": st.AVATAR, "/intro": st.INTRO,
            "/category": st.CATEGORY, "/testers": st.TESTERS}[tail]  # fmt: skip
    before = st.step(db, setup["id"], step)
    response = call(client, "put", url(sub, tail), writer, json=body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and error["step"] == step
    fields = {f["field"]: f for f in error["fields"]}
    assert field in fields and words in fields[field]["message"], fields
    assert fields[field]["label"]
    assert st.step(db, setup["id"], step) == before
    assert st.files(db, setup["id"], step) == []


def test_a_step_with_wechat_is_409_and_unchanged(client, db, writer, sub, setup):
    call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "本店提供在线点餐和外卖服务"}
    )
    outcomes.working(db, setup["id"], st.INTRO, 60)
    response = call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "本店提供到店自提和外卖"}
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (
        error["code"] == "step_closed"
        and error["step"] == st.INTRO
        and error["state"] == st.WORKING
    )
    assert "正在提交给微信" in error["message"]
    assert stored(db, setup["id"], st.INTRO)[:2] == (
        st.WORKING,
        {"signature": "本店提供在线点餐和外卖服务"},
    )
    outcomes.done(db, setup["id"], st.NAME, {}, "名称已设置")
    done = call(client, "put", url(sub, "/name"), writer, json=name_body())
    assert done.status_code == 409 and done.get_json()["error"]["state"] == st.DONE


def test_without_setup_write_the_scope_is_refused(client, db, sub, setup):
    _, reader = keys.create(db, "只读", ("submissions:read", "submissions:write"), None)
    for method, tail, body in (("put", "/name", name_body()), ("put", "/intro", {"signature": "本店提供外卖服务哦"}),
                               ("post", "/release", {}), ("post", "/audit/resubmit", {})):  # fmt: skip
        response = call(client, method, url(sub, tail), reader, json=body)
        assert response.status_code == 403, tail
        assert response.get_json()["error"]["required_scope"] == "setup:write"
    untouched(db, setup["id"], st.NAME)
    untouched(db, setup["id"], st.INTRO)
    assert call(client, "get", url(sub), reader).status_code == 200
    _, blind = keys.create(db, "只写", ("setup:write",), None)
    assert (
        call(client, "get", url(sub), blind).get_json()["error"]["required_scope"]
        == "submissions:read"
    )


def test_an_authorized_submission_without_a_setup_yet_is_opened_by_a_drive_call(client, db, writer):
    sub = authorize(db, "广州市接口开启科技有限公司")
    response = call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "本店提供在线点餐和外卖服务"}
    )
    assert response.status_code == 202 and response.get_json()["opened"] is True
    assert st.for_submission(db, sub["id"])["appid"] == sub["appid"]
    assert (
        call(client, "put", "/api/v1/submissions/999/setup/intro", writer, json={}).status_code
        == 404
    )
