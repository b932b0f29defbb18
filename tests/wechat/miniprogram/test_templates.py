"""Code templates (C-token): drafts and templates read back."""

from __future__ import annotations

from portal.wechat.miniprogram.templates import Template, TemplateDraft
from tests.wechat.miniprogram.fake import C_TOKEN, Fake

DEV_APPID = "wx5a2f0c1d9e8b7a61"


def test_the_drafts_are_read():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "draft_list": [
            {
                "create_time": 1700000000,
                "user_version": "1.0.0",
                "user_desc": "点餐模板",
                "draft_id": 7,
                "source_miniprogram_appid": DEV_APPID,
                "source_miniprogram": "沙箱开发小程序",
                "developer": "开发者甲",
            }
        ],
    }
    assert Fake(answer).mp.templates.get_template_draft_list(C_TOKEN) == (
        TemplateDraft(7, "1.0.0", "点餐模板", 1700000000, DEV_APPID, "沙箱开发小程序", "开发者甲"),
    )


def test_the_templates_are_read():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "template_list": [
            {
                "create_time": 1700000100,
                "user_version": "1.0.0",
                "user_desc": "点餐模板",
                "template_id": 3,
                "draft_id": 7,
                "source_miniprogram_appid": DEV_APPID,
                "source_miniprogram": "沙箱开发小程序",
                "developer": "开发者甲",
                "template_type": 0,
                "category_list": [],
            }
        ],
    }
    assert Fake(answer).mp.templates.get_template_list(C_TOKEN) == (
        Template(
            template_id=3,
            draft_id=7,
            user_version="1.0.0",
            user_desc="点餐模板",
            create_time=1700000100,
            source_miniprogram_appid=DEV_APPID,
            source_miniprogram="沙箱开发小程序",
            developer="开发者甲",
            template_type=0,
            audit_status=None,
            reason="",
        ),
    )


def test_the_template_list_without_a_type_sends_only_the_token():
    fake = Fake()
    fake.mp.templates.get_template_list(C_TOKEN)
    assert dict(fake.request.url.params) == {"access_token": C_TOKEN}
    assert fake.request.method == "GET"
