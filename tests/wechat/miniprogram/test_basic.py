"""Basic info: reading getaccountbasicinfo, the name calls, media upload, head image."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.basic import (
    AccountBasicInfo,
    ChangeQuota,
    Media,
    NicknameAudit,
    NicknameCheck,
    NicknameSet,
    VerifyInfo,
)
from tests.wechat.miniprogram.fake import A_TOKEN, JPEG, Fake

NAME = "广州市沙箱餐饮管理有限公司"

BASIC_INFO = {
    "errcode": 0,
    "errmsg": "ok",
    "appid": "wxf8b4f85f3a794e77",
    "account_type": 3,
    "principal_type": 1,
    "principal_name": NAME,
    "realname_status": 1,
    "wx_verify_info": {
        "qualification_verify": False,
        "naming_verify": False,
        "annual_review": False,
        "annual_review_begin_time": 0,
        "annual_review_end_time": 0,
    },
    "signature_info": {
        "signature": "沙箱餐厅的在线点餐",
        "modify_used_count": 1,
        "modify_quota": 5,
    },
    "head_image_info": {
        "head_image_url": "http://mmbiz.qpic.cn/mmbiz/abc/0",
        "modify_used_count": 0,
        "modify_quota": 5,
    },
    "nickname": "沙箱点餐",
    "nickname_info": {"nickname": "沙箱点餐", "modify_used_count": 1, "modify_quota": 2},
    "registered_country": 1017,
    "credential": "91440101MA5CWT8Q1H",
    "customer_type": 1,
}


def test_account_basic_info_reads_state_and_every_change_quota():
    info = Fake(BASIC_INFO).mp.basic.get_account_basic_info(A_TOKEN)
    assert info == AccountBasicInfo(
        appid="wxf8b4f85f3a794e77",
        account_type=3,
        principal_type=1,
        principal_name=NAME,
        realname_status=1,
        nickname="沙箱点餐",
        nickname_info=ChangeQuota("沙箱点餐", 1, 2),
        head_image_info=ChangeQuota("http://mmbiz.qpic.cn/mmbiz/abc/0", 0, 5),
        signature_info=ChangeQuota("沙箱餐厅的在线点餐", 1, 5),
        wx_verify_info=VerifyInfo(False, False, False, 0, 0),
        registered_country=1017,
        credential="91440101MA5CWT8Q1H",
        customer_type=1,
    )
    assert info.nickname_info.left == 1 and info.head_image_info.left == 5


def test_a_fresh_mini_program_has_no_name_and_unknown_states():
    info = Fake({"errcode": 0, "appid": "wx1", "nickname_info": {"modify_quota": 2}}).mp
    read = info.basic.get_account_basic_info(A_TOKEN)
    assert read.nickname == "" and read.realname_status is None
    assert read.nickname_info == ChangeQuota("", 0, 2) and read.nickname_info.left == 2
    assert read.signature_info.left == 0


def test_the_name_falls_back_to_nickname_info():
    answer = {"errcode": 0, "nickname_info": {"nickname": "沙箱点餐"}}
    assert Fake(answer).mp.basic.get_account_basic_info(A_TOKEN).nickname == "沙箱点餐"


def test_check_nickname_reads_the_hit_and_its_wording():
    answer = {"errcode": 0, "errmsg": "ok", "hit_condition": True, "wording": "请提供商标注册证书"}
    check = Fake(answer).mp.basic.check_wx_verify_nickname(A_TOKEN, "沙箱点餐")
    assert check == NicknameCheck(hit_condition=True, wording="请提供商标注册证书")
    assert Fake().mp.basic.check_wx_verify_nickname(A_TOKEN, "x") == NicknameCheck(False, "")


def test_a_name_set_at_once_has_no_audit_id():
    assert Fake().mp.basic.set_nickname(A_TOKEN, "沙箱点餐") == NicknameSet(None, "")


def test_a_name_under_audit_has_its_audit_id():
    answer = {"errcode": 0, "errmsg": "ok", "wording": "", "audit_id": 12345}
    assert Fake(answer).mp.basic.set_nickname(A_TOKEN, "沙箱点餐") == NicknameSet(12345, "")


def test_set_nickname_sends_only_the_media_given():
    fake = Fake()
    fake.mp.basic.set_nickname(A_TOKEN, "沙箱点餐", id_card="ID_MEDIA")
    assert fake.body() == {"nick_name": "沙箱点餐", "id_card": "ID_MEDIA"}


def test_query_nickname_reads_the_audit():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "nickname": "沙箱点餐",
        "audit_stat": 2,
        "fail_reason": "名称涉嫌侵权",
        "create_time": 1700000000,
        "audit_time": 1700003600,
    }
    audit = Fake(answer).mp.basic.query_nickname(A_TOKEN, 12345)
    assert audit == NicknameAudit("沙箱点餐", 2, "名称涉嫌侵权", 1700000000, 1700003600)


def test_upload_media_sends_the_image_as_the_multipart_media_field():
    answer = {"type": "image", "media_id": "MEDIA_abc", "created_at": 1700000000}
    fake = Fake(answer)
    media = fake.mp.basic.upload_media(A_TOKEN, JPEG, "logo.jpg", "image/jpeg")
    assert media == Media("image", "MEDIA_abc", 1700000000)
    request = fake.request
    assert request.url.params["type"] == "image"
    assert b'name="media"; filename="logo.jpg"' in request.content
    assert b"Content-Type: image/jpeg" in request.content and JPEG in request.content


@pytest.mark.parametrize(
    "box, sent",
    [
        ((0, 0, 1, 1), ("0", "0", "1", "1")),
        ((0.25, 0.1, 0.75, 0.9), ("0.25", "0.1", "0.75", "0.9")),
        (
            (0, 0, 0.7596899224806202, 0.49067817509927),
            ("0", "0", "0.7596899224806202", "0.49067817509927"),
        ),
    ],
)
def test_the_crop_box_goes_as_strings(box, sent):
    fake = Fake()
    fake.mp.basic.modify_head_image(A_TOKEN, "HEAD_MEDIA", *box)
    body = fake.body()
    assert (body["x1"], body["y1"], body["x2"], body["y2"]) == sent
