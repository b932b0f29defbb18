"""The sandbox's faults apply to every go-live call, and the client reads each as it
should: an injected errcode -1 ("system busy") is a WeChatError the catalogue knows as
transient, and a 5xx is WeChatUnavailable (no errcode, transient). A fault answers
before the call's own rules, so each call is made here with any arguments."""

from __future__ import annotations

import pytest

from portal.wechat import codes
from portal.wechat.client import WeChatError, WeChatUnavailable
from portal.wechat.miniprogram.audit import AuditItem
from portal.wechat.miniprogram.categories import CategoryChoice
from portal.wechat.miniprogram.privacy import OwnerSetting
from tests.contract.steps import image
from tests.contract.test_journey import CALLS

#: Every method with arguments WeChat would take (a fault answers before it reads them).
INVOKE = {
    "basic.get_account_basic_info": lambda b: b.basic.get_account_basic_info(),
    "basic.check_wx_verify_nickname": lambda b: b.basic.check_wx_verify_nickname("沙箱云店"),
    "basic.set_nickname": lambda b: b.basic.set_nickname("沙箱云店", license="m"),
    "basic.query_nickname": lambda b: b.basic.query_nickname(1),
    "basic.upload_media": lambda b: b.basic.upload_media(image()),
    "basic.modify_head_image": lambda b: b.basic.modify_head_image("m"),
    "basic.modify_signature": lambda b: b.basic.modify_signature("沙箱云店的简介"),
    "categories.get_all_categories": lambda b: b.categories.get_all_categories(),
    "categories.get_categories_by_type": lambda b: b.categories.get_categories_by_type(1),
    "categories.add_category": lambda b: b.categories.add_category([CategoryChoice(8, 801)]),
    "categories.get_category": lambda b: b.categories.get_category(),
    "categories.delete_category": lambda b: b.categories.delete_category(8, 801),
    "categories.modify_category": lambda b: b.categories.modify_category(CategoryChoice(8, 801)),
    "categories.get_audit_category": lambda b: b.categories.get_audit_category(),
    "privacy.get_privacy_setting": lambda b: b.privacy.get_privacy_setting(),
    "privacy.set_privacy_setting": lambda b: b.privacy.set_privacy_setting(OwnerSetting()),
    "privacy.get_code_privacy_info": lambda b: b.privacy.get_code_privacy_info(),
    "domains.modify_wxa_server_domain": lambda b: b.domains.modify_wxa_server_domain("get"),
    "domains.modify_wxa_jump_domain": lambda b: b.domains.modify_wxa_jump_domain("get"),
    "domains.get_domain_confirmfile": lambda b: b.domains.get_domain_confirmfile(),
    "domains.modify_domain": lambda b: b.domains.modify_domain("get"),
    "domains.modify_domain_directly": lambda b: b.domains.modify_domain_directly("get"),
    "domains.set_webview_domain": lambda b: b.domains.set_webview_domain("get"),
    "domains.set_webview_domain_directly": lambda b: b.domains.set_webview_domain_directly("get"),
    "domains.get_webviewdomain_confirmfile": lambda b: b.domains.get_webviewdomain_confirmfile(),
    "domains.get_effective_domain": lambda b: b.domains.get_effective_domain(),
    "domains.get_effective_webviewdomain": lambda b: b.domains.get_effective_webviewdomain(),
    "templates.get_template_draft_list": lambda b: b.templates.get_template_draft_list(),
    "templates.add_to_template": lambda b: b.templates.add_to_template(2),
    "templates.get_template_list": lambda b: b.templates.get_template_list(),
    "templates.delete_template": lambda b: b.templates.delete_template(1),
    "code.commit": lambda b: b.code.commit(1, {"extAppid": "wx"}, "1.0.0", "首个版本"),
    "code.get_page": lambda b: b.code.get_page(),
    "code.get_qrcode": lambda b: b.code.get_qrcode(),
    "code.release": lambda b: b.code.release(),
    "code.revert_code_release": lambda b: b.code.revert_code_release(),
    "code.get_history_versions": lambda b: b.code.get_history_versions(),
    "code.get_version_info": lambda b: b.code.get_version_info(),
    "audit.upload_audit_media": lambda b: b.audit.upload_audit_media(image()),
    "audit.submit_audit": lambda b: b.audit.submit_audit([AuditItem()]),
    "audit.get_audit_status": lambda b: b.audit.get_audit_status(1),
    "audit.get_latest_audit_status": lambda b: b.audit.get_latest_audit_status(),
    "audit.undo_code_audit": lambda b: b.audit.undo_code_audit(),
    "audit.speedup_audit": lambda b: b.audit.speedup_audit(1),
    "audit.get_material": lambda b: b.audit.get_material("m"),
    "quota.query_quota": lambda b: b.quota.query_quota(),
    "quota.get_wxacode_unlimit": lambda b: b.quota.get_wxacode_unlimit("a=1"),
    "testers.bind_tester": lambda b: b.testers.bind_tester("zhangsan_88"),
    "testers.unbind_tester": lambda b: b.testers.unbind_tester(wechatid="zhangsan_88"),
    "testers.get_testers": lambda b: b.testers.get_testers(),
    "icp.get_icp_entrance_info": lambda b: b.icp.get_icp_entrance_info(),
}
C_TOKEN = {"templates", "domains.modify_wxa_server_domain", "domains.modify_wxa_jump_domain"}
C_TOKEN |= {"domains.get_domain_confirmfile"}


def bound(live, method):
    with_c = method in C_TOKEN or method.split(".")[0] in C_TOKEN
    return live.c if with_c else live.a


def path_of(method: str) -> str:
    endpoint = CALLS[method].removesuffix(".get_history_version")
    return "/" + endpoint.replace(".", "/")


def test_every_method_is_here():
    assert set(INVOKE) == set(CALLS)


@pytest.mark.parametrize("method", sorted(INVOKE))
def test_an_injected_minus_1_is_a_known_transient_error(live, fault, method):
    fault(errcode={"count": 1, "errcode": -1, "match": path_of(method)})
    with pytest.raises(WeChatError) as info:
        INVOKE[method](bound(live, method))
    exc = info.value
    assert not isinstance(exc, WeChatUnavailable)
    assert (exc.errcode, exc.endpoint) == (-1, CALLS[method])
    assert exc.entry.known and exc.kind == codes.TRANSIENT


@pytest.mark.parametrize("method", sorted(INVOKE))
def test_a_5xx_is_wechat_unavailable(live, fault, method):
    fault(http_500={"count": 1, "match": path_of(method)})
    with pytest.raises(WeChatUnavailable) as info:
        INVOKE[method](bound(live, method))
    exc = info.value
    assert (exc.errcode, exc.endpoint, exc.kind) == (None, CALLS[method], codes.TRANSIENT)
