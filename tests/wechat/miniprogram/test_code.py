"""Code and its audit: ext_json as a string, versions, audit states, audit material."""

from __future__ import annotations

import json

from portal.wechat.miniprogram.audit import AuditItem, AuditMedia, AuditStatus
from portal.wechat.miniprogram.code import ExpInfo, HistoryVersion, ReleaseInfo, VersionInfo
from tests.wechat.miniprogram.fake import A_TOKEN, Fake

APPID = "wxf8b4f85f3a794e77"


def test_ext_json_goes_as_a_json_string_with_chinese_raw():
    fake = Fake()
    ext = {
        "extAppid": APPID,
        "ext": {"shop": "沙箱餐厅", "tables": 12},
        "window": {"navigationBarTitleText": "沙箱点餐"},
        "requiredPrivateInfos": ["getLocation"],
    }
    fake.mp.code.commit(A_TOKEN, 3, ext, "1.0.0", "首个版本")
    sent = fake.body()["ext_json"]
    assert isinstance(sent, str) and json.loads(sent) == ext
    assert "沙箱餐厅".encode() in fake.request.content and b"\\u" not in fake.request.content


def test_an_ext_json_string_is_sent_as_given():
    fake = Fake()
    fake.mp.code.commit(A_TOKEN, 3, '{"extAppid":"wx1"}', "1.0.1", "修复")
    assert fake.body()["ext_json"] == '{"extAppid":"wx1"}'


def test_commit_answers_nothing():
    assert Fake().mp.code.commit(A_TOKEN, 3, {}, "1.0.0", "x") is None


def test_the_pages_are_read():
    answer = {"errcode": 0, "errmsg": "ok", "page_list": ["pages/index/index", "pages/order/list"]}
    assert Fake(answer).mp.code.get_page(A_TOKEN) == ("pages/index/index", "pages/order/list")


def test_a_revert_to_the_previous_version_sends_only_the_token():
    fake = Fake()
    fake.mp.code.revert_code_release(A_TOKEN)
    assert dict(fake.request.url.params) == {"access_token": A_TOKEN}


def test_the_history_versions_are_read():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "version_list": [
            {"app_version": 5, "user_version": "1.0.1", "user_desc": "修复", "commit_time": 17e8},
            {"app_version": 4, "user_version": "1.0.0", "user_desc": "首版", "commit_time": 16e8},
        ],
    }
    assert Fake(answer).mp.code.get_history_versions(A_TOKEN) == (
        HistoryVersion(5, "1.0.1", "修复", 1700000000),
        HistoryVersion(4, "1.0.0", "首版", 1600000000),
    )


def test_the_version_info_reads_the_trial_and_the_live_version():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "exp_info": {"exp_time": 1700000000, "exp_version": "1.0.1", "exp_desc": "体验版"},
        "release_info": {
            "release_time": 1690000000,
            "release_version": "1.0.0",
            "release_desc": "首版",
        },
    }
    assert Fake(answer).mp.code.get_version_info(A_TOKEN) == VersionInfo(
        ExpInfo(1700000000, "1.0.1", "体验版"), ReleaseInfo(1690000000, "1.0.0", "首版")
    )


def test_nothing_released_reads_as_none():
    answer = {"errcode": 0, "exp_info": {"exp_version": "1.0.0"}}
    info = Fake(answer).mp.code.get_version_info(A_TOKEN)
    assert info.release_info is None and info.exp_info == ExpInfo(None, "1.0.0", "")


def test_submit_audit_answers_the_auditid():
    fake = Fake({"errcode": 0, "errmsg": "ok", "auditid": 1234567})
    item = AuditItem(address="pages/index/index", first_class="工具", second_class="信息查询")
    assert fake.mp.audit.submit_audit(A_TOKEN, [item]) == 1234567
    assert fake.body() == {
        "item_list": [
            {"address": "pages/index/index", "first_class": "工具", "second_class": "信息查询"}
        ]
    }


def test_a_rejected_audit_reads_its_reason_and_screenshots():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "status": 1,
        "reason": "小程序名称与内容不符",
        "screenshot": "MEDIA_1|MEDIA_2",
    }
    status = Fake(answer).mp.audit.get_audit_status(A_TOKEN, 1234567)
    assert status == AuditStatus(
        auditid=1234567,
        status=1,
        reason="小程序名称与内容不符",
        screenshots=("MEDIA_1", "MEDIA_2"),
        user_version="",
        user_desc="",
        submit_audit_time=None,
    )


def test_the_latest_audit_takes_screenshot_in_either_spelling():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "auditid": 1234567,
        "status": 4,
        "reason": "审核延后",
        "ScreenShot": "MEDIA_1",
        "user_version": "1.0.0",
        "user_desc": "首版",
        "submit_audit_time": 1700000000,
    }
    status = Fake(answer).mp.audit.get_latest_audit_status(A_TOKEN)
    assert status == AuditStatus(1234567, 4, "审核延后", ("MEDIA_1",), "1.0.0", "首版", 1700000000)


def test_a_passed_audit_has_no_screenshots():
    status = Fake({"errcode": 0, "status": 0, "screenshot": ""}).mp.audit.get_latest_audit_status
    assert status(A_TOKEN).screenshots == () and status(A_TOKEN).status == 0


def test_audit_material_is_uploaded_as_the_media_field_and_answers_mediaid():
    fake = Fake({"errcode": 0, "type": "image", "mediaid": "PREVIEW_1"})
    media = fake.mp.audit.upload_audit_media(A_TOKEN, b"\x89PNG", "p.png", "image/png")
    assert media == AuditMedia("image", "PREVIEW_1")
    assert b'name="media"; filename="p.png"' in fake.request.content
    assert dict(fake.request.url.params) == {"access_token": A_TOKEN}
