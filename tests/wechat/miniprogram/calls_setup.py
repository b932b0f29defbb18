"""The call table, first half: basic info, categories, privacy and domains."""

from __future__ import annotations

from portal.wechat.miniprogram.categories import CategoryChoice, Certificate
from portal.wechat.miniprogram.domains import ServerDomains
from portal.wechat.miniprogram.privacy import OwnerSetting, PrivacyItem
from tests.wechat.miniprogram.fake import A_TOKEN, C_TOKEN, JPEG, Call

EMPTY_LISTS = {
    "requestdomain": [],
    "wsrequestdomain": [],
    "uploaddomain": [],
    "downloaddomain": [],
    "udpdomain": [],
    "tcpdomain": [],
}

SETUP_CALLS = [
    # basic info
    Call(
        "cgi-bin.account.getaccountbasicinfo",
        lambda mp: mp.basic.get_account_basic_info(A_TOKEN),
        "POST",
        "/cgi-bin/account/getaccountbasicinfo",
        body={},
    ),
    Call(
        "cgi-bin.wxverify.checkwxverifynickname",
        lambda mp: mp.basic.check_wx_verify_nickname(A_TOKEN, "沙箱点餐"),
        "POST",
        "/cgi-bin/wxverify/checkwxverifynickname",
        body={"nick_name": "沙箱点餐"},
    ),
    Call(
        "wxa.setnickname",
        lambda mp: mp.basic.set_nickname(
            A_TOKEN, "沙箱点餐", license="LICENSE_MEDIA", naming_other_stuff=["S1", "S2"]
        ),
        "POST",
        "/wxa/setnickname",
        body={
            "nick_name": "沙箱点餐",
            "license": "LICENSE_MEDIA",
            "naming_other_stuff_1": "S1",
            "naming_other_stuff_2": "S2",
        },
    ),
    Call(
        "wxa.api_wxa_querynickname",
        lambda mp: mp.basic.query_nickname(A_TOKEN, 12345),
        "POST",
        "/wxa/api_wxa_querynickname",
        body={"audit_id": 12345},
    ),
    Call(
        "cgi-bin.media.upload",
        lambda mp: mp.basic.upload_media(A_TOKEN, JPEG, "logo.jpg", "image/jpeg"),
        "POST",
        "/cgi-bin/media/upload",
        query={"type": "image"},
        multipart=True,
    ),
    Call(
        "cgi-bin.account.modifyheadimage",
        lambda mp: mp.basic.modify_head_image(A_TOKEN, "HEAD_MEDIA"),
        "POST",
        "/cgi-bin/account/modifyheadimage",
        body={"head_img_media_id": "HEAD_MEDIA", "x1": "0", "y1": "0", "x2": "1", "y2": "1"},
    ),
    Call(
        "cgi-bin.account.modifysignature",
        lambda mp: mp.basic.modify_signature(A_TOKEN, "沙箱餐厅的在线点餐小程序"),
        "POST",
        "/cgi-bin/account/modifysignature",
        body={"signature": "沙箱餐厅的在线点餐小程序"},
    ),
    # categories
    Call(
        "cgi-bin.wxopen.getallcategories",
        lambda mp: mp.categories.get_all_categories(A_TOKEN),
        "GET",
        "/cgi-bin/wxopen/getallcategories",
    ),
    Call(
        "cgi-bin.wxopen.getcategoriesbytype",
        lambda mp: mp.categories.get_categories_by_type(A_TOKEN, 1),
        "POST",
        "/cgi-bin/wxopen/getcategoriesbytype",
        body={"verify_type": 1},
    ),
    Call(
        "cgi-bin.wxopen.addcategory",
        lambda mp: mp.categories.add_category(
            A_TOKEN,
            [
                CategoryChoice(304, 309, (Certificate("食品经营许可证", "CERT_MEDIA"),)),
                CategoryChoice(7, 8),
            ],
        ),
        "POST",
        "/cgi-bin/wxopen/addcategory",
        body={
            "categories": [
                {
                    "first": 304,
                    "second": 309,
                    "certicates": [{"key": "食品经营许可证", "value": "CERT_MEDIA"}],
                },
                {"first": 7, "second": 8, "certicates": []},
            ]
        },
    ),
    Call(
        "cgi-bin.wxopen.getcategory",
        lambda mp: mp.categories.get_category(A_TOKEN),
        "GET",
        "/cgi-bin/wxopen/getcategory",
    ),
    Call(
        "cgi-bin.wxopen.deletecategory",
        lambda mp: mp.categories.delete_category(A_TOKEN, 304, 309),
        "POST",
        "/cgi-bin/wxopen/deletecategory",
        body={"first": 304, "second": 309},
    ),
    Call(
        "cgi-bin.wxopen.modifycategory",
        lambda mp: mp.categories.modify_category(
            A_TOKEN, CategoryChoice(304, 309, (Certificate("食品经营许可证", "NEW_MEDIA"),))
        ),
        "POST",
        "/cgi-bin/wxopen/modifycategory",
        body={
            "first": 304,
            "second": 309,
            "certicates": [{"key": "食品经营许可证", "value": "NEW_MEDIA"}],
        },
    ),
    Call(
        "wxa.get_category",
        lambda mp: mp.categories.get_audit_category(A_TOKEN),
        "GET",
        "/wxa/get_category",
    ),
    # privacy
    Call(
        "cgi-bin.component.getprivacysetting",
        lambda mp: mp.privacy.get_privacy_setting(A_TOKEN),
        "POST",
        "/cgi-bin/component/getprivacysetting",
        body={"privacy_ver": 2},
    ),
    Call(
        "cgi-bin.component.setprivacysetting",
        lambda mp: mp.privacy.set_privacy_setting(
            A_TOKEN,
            OwnerSetting(contact_phone="020-12345678", notice_method="弹窗"),
            [
                PrivacyItem("UserInfo", "展示你的头像和昵称"),
                PrivacyItem("Location", "推荐附近门店"),
            ],
        ),
        "POST",
        "/cgi-bin/component/setprivacysetting",
        body={
            "privacy_ver": 2,
            "owner_setting": {"contact_phone": "020-12345678", "notice_method": "弹窗"},
            "setting_list": [
                {"privacy_key": "UserInfo", "privacy_text": "展示你的头像和昵称"},
                {"privacy_key": "Location", "privacy_text": "推荐附近门店"},
            ],
        },
    ),
    Call(
        "wxa.security.get_code_privacy_info",
        lambda mp: mp.privacy.get_code_privacy_info(A_TOKEN),
        "GET",
        "/wxa/security/get_code_privacy_info",
    ),
    # domains: the platform's (C-token)
    Call(
        "cgi-bin.component.modify_wxa_server_domain",
        lambda mp: mp.domains.modify_wxa_server_domain(
            C_TOKEN, "add", ["api.shop.example.cn", "img.shop.example.cn"], True
        ),
        "POST",
        "/cgi-bin/component/modify_wxa_server_domain",
        token=C_TOKEN,
        body={
            "action": "add",
            "wxa_server_domain": "api.shop.example.cn;img.shop.example.cn",
            "is_modify_published_together": True,
        },
    ),
    Call(
        "cgi-bin.component.modify_wxa_jump_domain",
        lambda mp: mp.domains.modify_wxa_jump_domain(C_TOKEN, "get"),
        "POST",
        "/cgi-bin/component/modify_wxa_jump_domain",
        token=C_TOKEN,
        body={"action": "get"},
    ),
    Call(
        "cgi-bin.component.get_domain_confirmfile",
        lambda mp: mp.domains.get_domain_confirmfile(C_TOKEN),
        "POST",
        "/cgi-bin/component/get_domain_confirmfile",
        token=C_TOKEN,
        body={},
    ),
    # domains: the mini program's (A-token)
    Call(
        "wxa.modify_domain",
        lambda mp: mp.domains.modify_domain(
            A_TOKEN, "add", ServerDomains(requestdomain=("https://api.shop.example.cn",))
        ),
        "POST",
        "/wxa/modify_domain",
        body={"action": "add", **EMPTY_LISTS, "requestdomain": ["https://api.shop.example.cn"]},
    ),
    Call(
        "wxa.modify_domain_directly",
        lambda mp: mp.domains.modify_domain_directly(A_TOKEN, "get"),
        "POST",
        "/wxa/modify_domain_directly",
        body={"action": "get"},
    ),
    Call(
        "wxa.setwebviewdomain",
        lambda mp: mp.domains.set_webview_domain(A_TOKEN, "set", ["https://h5.shop.example.cn"]),
        "POST",
        "/wxa/setwebviewdomain",
        body={"action": "set", "webviewdomain": ["https://h5.shop.example.cn"]},
    ),
    Call(
        "wxa.setwebviewdomain_directly",
        lambda mp: mp.domains.set_webview_domain_directly(A_TOKEN, "get"),
        "POST",
        "/wxa/setwebviewdomain_directly",
        body={"action": "get"},
    ),
    Call(
        "wxa.get_webviewdomain_confirmfile",
        lambda mp: mp.domains.get_webviewdomain_confirmfile(A_TOKEN),
        "POST",
        "/wxa/get_webviewdomain_confirmfile",
        body={},
    ),
    Call(
        "wxa.get_effective_domain",
        lambda mp: mp.domains.get_effective_domain(A_TOKEN),
        "POST",
        "/wxa/get_effective_domain",
        body={},
    ),
    Call(
        "wxa.get_effective_webviewdomain",
        lambda mp: mp.domains.get_effective_webviewdomain(A_TOKEN),
        "POST",
        "/wxa/get_effective_webviewdomain",
        body={},
    ),
]
