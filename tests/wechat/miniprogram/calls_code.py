"""The call table, second half: templates, code, audit, quota and testers."""

from __future__ import annotations

from portal.wechat.miniprogram.audit import AuditItem, PreviewInfo, UgcDeclare
from tests.wechat.miniprogram.fake import A_TOKEN, C_TOKEN, JPEG, Call

APPID = "wxf8b4f85f3a794e77"

CODE_CALLS = [
    # code templates (C-token)
    Call(
        "wxa.gettemplatedraftlist",
        lambda mp: mp.templates.get_template_draft_list(C_TOKEN),
        "GET",
        "/wxa/gettemplatedraftlist",
        token=C_TOKEN,
    ),
    Call(
        "wxa.addtotemplate",
        lambda mp: mp.templates.add_to_template(C_TOKEN, 7),
        "POST",
        "/wxa/addtotemplate",
        token=C_TOKEN,
        body={"draft_id": 7, "template_type": 0},
    ),
    Call(
        "wxa.gettemplatelist",
        lambda mp: mp.templates.get_template_list(C_TOKEN, template_type=0),
        "GET",
        "/wxa/gettemplatelist",
        token=C_TOKEN,
        query={"template_type": "0"},
    ),
    Call(
        "wxa.deletetemplate",
        lambda mp: mp.templates.delete_template(C_TOKEN, 3),
        "POST",
        "/wxa/deletetemplate",
        token=C_TOKEN,
        body={"template_id": 3},
    ),
    # code
    Call(
        "wxa.commit",
        lambda mp: mp.code.commit(
            A_TOKEN, 3, {"extAppid": APPID, "ext": {"shop": "沙箱餐厅"}}, "1.0.0", "首个版本"
        ),
        "POST",
        "/wxa/commit",
        body={
            "template_id": 3,
            "ext_json": '{"extAppid":"wxf8b4f85f3a794e77","ext":{"shop":"沙箱餐厅"}}',
            "user_version": "1.0.0",
            "user_desc": "首个版本",
        },
    ),
    Call("wxa.get_page", lambda mp: mp.code.get_page(A_TOKEN), "GET", "/wxa/get_page"),
    Call(
        "wxa.get_qrcode",
        lambda mp: mp.code.get_qrcode(A_TOKEN, "pages/index/index?from=qr"),
        "GET",
        "/wxa/get_qrcode",
        query={"path": "pages/index/index?from=qr"},
        image=True,
    ),
    Call("wxa.release", lambda mp: mp.code.release(A_TOKEN), "POST", "/wxa/release", body={}),
    Call(
        "wxa.revertcoderelease",
        lambda mp: mp.code.revert_code_release(A_TOKEN, app_version=5),
        "GET",
        "/wxa/revertcoderelease",
        query={"app_version": "5"},
    ),
    Call(
        "wxa.revertcoderelease.get_history_version",
        lambda mp: mp.code.get_history_versions(A_TOKEN),
        "GET",
        "/wxa/revertcoderelease",
        query={"action": "get_history_version"},
    ),
    Call(
        "wxa.getversioninfo",
        lambda mp: mp.code.get_version_info(A_TOKEN),
        "POST",
        "/wxa/getversioninfo",
        body={},
    ),
    # audit
    Call(
        "wxa.uploadmedia",
        lambda mp: mp.audit.upload_audit_media(A_TOKEN, JPEG),
        "POST",
        "/wxa/uploadmedia",
        multipart=True,
    ),
    Call(
        "wxa.submit_audit",
        lambda mp: mp.audit.submit_audit(
            A_TOKEN,
            [
                AuditItem(
                    address="pages/index/index",
                    tag="点餐 外卖",
                    title="首页",
                    first_class="餐饮服务",
                    second_class="点餐平台",
                    first_id=304,
                    second_id=309,
                )
            ],
            version_desc="首个版本：在线点餐",
            feedback_info="已按要求修改",
            feedback_stuff=["F1", "F2"],
            preview_info=PreviewInfo(pic_id_list=("P1", "P2")),
            ugc_declare=UgcDeclare(
                scene=(1, 2), method=(1,), has_audit_team=1, audit_desc="人工审核"
            ),
            privacy_api_not_use=True,
            order_path="pages/order/list",
        ),
        "POST",
        "/wxa/submit_audit",
        body={
            "item_list": [
                {
                    "address": "pages/index/index",
                    "tag": "点餐 外卖",
                    "title": "首页",
                    "first_class": "餐饮服务",
                    "second_class": "点餐平台",
                    "first_id": 304,
                    "second_id": 309,
                }
            ],
            "version_desc": "首个版本：在线点餐",
            "feedback_info": "已按要求修改",
            "feedback_stuff": "F1|F2",
            "preview_info": {"video_id_list": [], "pic_id_list": ["P1", "P2"]},
            "ugc_declare": {
                "scene": [1, 2],
                "method": [1],
                "has_audit_team": 1,
                "audit_desc": "人工审核",
            },
            "privacy_api_not_use": True,
            "order_path": "pages/order/list",
        },
    ),
    Call(
        "wxa.get_auditstatus",
        lambda mp: mp.audit.get_audit_status(A_TOKEN, 1234567),
        "POST",
        "/wxa/get_auditstatus",
        body={"auditid": 1234567},
    ),
    Call(
        "wxa.get_latest_auditstatus",
        lambda mp: mp.audit.get_latest_audit_status(A_TOKEN),
        "GET",
        "/wxa/get_latest_auditstatus",
    ),
    Call(
        "wxa.undocodeaudit",
        lambda mp: mp.audit.undo_code_audit(A_TOKEN),
        "GET",
        "/wxa/undocodeaudit",
    ),
    Call(
        "wxa.speedupaudit",
        lambda mp: mp.audit.speedup_audit(A_TOKEN, 1234567),
        "POST",
        "/wxa/speedupaudit",
        body={"auditid": 1234567},
    ),
    Call(
        "cgi-bin.material.get_material",
        lambda mp: mp.audit.get_material(A_TOKEN, "SHOT_MEDIA_ID"),
        "POST",
        "/cgi-bin/material/get_material",
        body={"media_id": "SHOT_MEDIA_ID"},
        image=True,
    ),
    # quota and the code image
    Call("wxa.queryquota", lambda mp: mp.quota.query_quota(A_TOKEN), "GET", "/wxa/queryquota"),
    Call(
        "wxa.getwxacodeunlimit",
        lambda mp: mp.quota.get_wxacode_unlimit(
            A_TOKEN, "shop=1", page="pages/index/index", check_path=False, width=430
        ),
        "POST",
        "/wxa/getwxacodeunlimit",
        body={"scene": "shop=1", "page": "pages/index/index", "check_path": False, "width": 430},
        image=True,
    ),
    # testers
    Call(
        "wxa.bind_tester",
        lambda mp: mp.testers.bind_tester(A_TOKEN, "wx_staff_01"),
        "POST",
        "/wxa/bind_tester",
        body={"wechatid": "wx_staff_01"},
    ),
    Call(
        "wxa.unbind_tester",
        lambda mp: mp.testers.unbind_tester(A_TOKEN, userstr="USERSTR"),
        "POST",
        "/wxa/unbind_tester",
        body={"userstr": "USERSTR"},
    ),
    Call(
        "wxa.memberauth",
        lambda mp: mp.testers.get_testers(A_TOKEN),
        "POST",
        "/wxa/memberauth",
        body={"action": "get_experiencer"},
    ),
    # ICP filing state
    Call(
        "wxa.icp.get_icp_entrance_info",
        lambda mp: mp.icp.get_icp_entrance_info(A_TOKEN),
        "GET",
        "/wxa/icp/get_icp_entrance_info",
    ),
]
