"""Privacy: reading the setting and the scan, and the live version's rule."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.privacy import (
    CodePrivacyInfo,
    OwnerSetting,
    PrivacyDesc,
    PrivacyItem,
    PrivacySetting,
)
from tests.wechat.miniprogram.fake import A_TOKEN, Fake

SETTING = {
    "errcode": 0,
    "errmsg": "ok",
    "code_exist": 1,
    "privacy_list": ["UserInfo", "Location", "Album"],
    "setting_list": [
        {
            "privacy_key": "UserInfo",
            "privacy_text": "展示你的头像和昵称",
            "privacy_label": "用户信息（微信昵称、头像）",
        }
    ],
    "update_time": 1700000000,
    "owner_setting": {
        "contact_phone": "020-12345678",
        "contact_email": "",
        "contact_qq": "",
        "contact_weixin": "",
        "notice_method": "弹窗",
        "store_expire_timestamp": "",
        "ext_file_media_id": "",
    },
    "privacy_desc": {
        "privacy_desc_list": [
            {"privacy_key": "UserInfo", "privacy_desc": "用户信息（微信昵称、头像）"}
        ]
    },
}


def test_the_privacy_setting_reads_the_keys_the_code_uses_and_what_covers_them():
    setting = Fake(SETTING).mp.privacy.get_privacy_setting(A_TOKEN)
    assert setting == PrivacySetting(
        code_exist=1,
        privacy_list=("UserInfo", "Location", "Album"),
        setting_list=(PrivacyItem("UserInfo", "展示你的头像和昵称", "用户信息（微信昵称、头像）"),),
        update_time=1700000000,
        owner_setting=OwnerSetting(contact_phone="020-12345678", notice_method="弹窗"),
        privacy_desc=(PrivacyDesc("UserInfo", "用户信息（微信昵称、头像）"),),
    )


def test_nothing_committed_reads_as_an_empty_setting():
    setting = Fake({"errcode": 0, "code_exist": 0}).mp.privacy.get_privacy_setting(A_TOKEN)
    assert setting.code_exist == 0 and setting.privacy_list == () and setting.update_time is None


def test_the_live_version_changes_the_owner_setting_alone():
    fake = Fake()
    owner = OwnerSetting(contact_email="help@shop.example.cn", notice_method="弹窗")
    fake.mp.privacy.set_privacy_setting(A_TOKEN, owner, privacy_ver=1)
    assert fake.body() == {
        "privacy_ver": 1,
        "owner_setting": {"contact_email": "help@shop.example.cn", "notice_method": "弹窗"},
    }


def test_a_setting_list_for_the_live_version_is_refused_before_it_is_sent():
    fake = Fake()
    with pytest.raises(ValueError):
        fake.mp.privacy.set_privacy_setting(
            A_TOKEN, OwnerSetting(contact_qq="10001"), [PrivacyItem("UserInfo", "x")], 1
        )
    assert fake.sent == []


def test_the_code_privacy_info_lists_the_apis_without_permission_or_declaration():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "without_auth_list": ["wx.getLocation"],
        "without_conf_list": ["wx.chooseAddress", "wx.getFuzzyLocation"],
    }
    assert Fake(answer).mp.privacy.get_code_privacy_info(A_TOKEN) == CodePrivacyInfo(
        ("wx.getLocation",), ("wx.chooseAddress", "wx.getFuzzyLocation")
    )
