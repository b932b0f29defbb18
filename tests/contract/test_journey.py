"""The contract: every call of ``MiniProgramClient``, made against the sandbox with a real
A-token (through ``Context.call_authorizer``) or C-token (``Context.call``), in the order
a platform takes a fast-registered mini program live. A call added to the client (a
method or an ``ENDPOINTS`` name) without a place here fails ``test_every_call_…``."""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET

from portal.wechat.miniprogram import COMPONENT_TOKEN_ENDPOINTS, ENDPOINTS, MiniProgramClient
from portal.wechat.miniprogram.wire import Area
from tests.contract import journey

#: Every method of the client, with the endpoint name the call log gives it.
CALLS = {
    "basic.get_account_basic_info": "cgi-bin.account.getaccountbasicinfo",
    "basic.check_wx_verify_nickname": "cgi-bin.wxverify.checkwxverifynickname",
    "basic.set_nickname": "wxa.setnickname",
    "basic.query_nickname": "wxa.api_wxa_querynickname",
    "basic.upload_media": "cgi-bin.media.upload",
    "basic.modify_head_image": "cgi-bin.account.modifyheadimage",
    "basic.modify_signature": "cgi-bin.account.modifysignature",
    "categories.get_all_categories": "cgi-bin.wxopen.getallcategories",
    "categories.get_categories_by_type": "cgi-bin.wxopen.getcategoriesbytype",
    "categories.add_category": "cgi-bin.wxopen.addcategory",
    "categories.get_category": "cgi-bin.wxopen.getcategory",
    "categories.delete_category": "cgi-bin.wxopen.deletecategory",
    "categories.modify_category": "cgi-bin.wxopen.modifycategory",
    "categories.get_audit_category": "wxa.get_category",
    "privacy.get_privacy_setting": "cgi-bin.component.getprivacysetting",
    "privacy.set_privacy_setting": "cgi-bin.component.setprivacysetting",
    "privacy.get_code_privacy_info": "wxa.security.get_code_privacy_info",
    "domains.modify_wxa_server_domain": "cgi-bin.component.modify_wxa_server_domain",
    "domains.modify_wxa_jump_domain": "cgi-bin.component.modify_wxa_jump_domain",
    "domains.get_domain_confirmfile": "cgi-bin.component.get_domain_confirmfile",
    "domains.modify_domain": "wxa.modify_domain",
    "domains.modify_domain_directly": "wxa.modify_domain_directly",
    "domains.set_webview_domain": "wxa.setwebviewdomain",
    "domains.set_webview_domain_directly": "wxa.setwebviewdomain_directly",
    "domains.get_webviewdomain_confirmfile": "wxa.get_webviewdomain_confirmfile",
    "domains.get_effective_domain": "wxa.get_effective_domain",
    "domains.get_effective_webviewdomain": "wxa.get_effective_webviewdomain",
    "templates.get_template_draft_list": "wxa.gettemplatedraftlist",
    "templates.add_to_template": "wxa.addtotemplate",
    "templates.get_template_list": "wxa.gettemplatelist",
    "templates.delete_template": "wxa.deletetemplate",
    "code.commit": "wxa.commit",
    "code.get_page": "wxa.get_page",
    "code.get_qrcode": "wxa.get_qrcode",
    "code.release": "wxa.release",
    "code.revert_code_release": "wxa.revertcoderelease",
    "code.get_history_versions": "wxa.revertcoderelease.get_history_version",
    "code.get_version_info": "wxa.getversioninfo",
    "audit.upload_audit_media": "wxa.uploadmedia",
    "audit.submit_audit": "wxa.submit_audit",
    "audit.get_audit_status": "wxa.get_auditstatus",
    "audit.get_latest_audit_status": "wxa.get_latest_auditstatus",
    "audit.undo_code_audit": "wxa.undocodeaudit",
    "audit.speedup_audit": "wxa.speedupaudit",
    "audit.get_material": "cgi-bin.material.get_material",
    "quota.query_quota": "wxa.queryquota",
    "quota.get_wxacode_unlimit": "wxa.getwxacodeunlimit",
    "testers.bind_tester": "wxa.bind_tester",
    "testers.unbind_tester": "wxa.unbind_tester",
    "testers.get_testers": "wxa.memberauth",
    "icp.get_icp_entrance_info": "wxa.icp.get_icp_entrance_info",
}


def client_methods() -> set[str]:
    """Every public method of every area of ``MiniProgramClient``."""
    mp = MiniProgramClient(client=None)  # type: ignore[arg-type] - the areas only keep it
    found = set()
    for area, api in vars(mp).items():
        if isinstance(api, Area):
            for name, _member in inspect.getmembers(type(api), inspect.isfunction):
                if not name.startswith("_"):
                    found.add(f"{area}.{name}")
    return found


def test_every_call_of_the_client_has_its_contract():
    assert client_methods() == set(CALLS), "a client method without a contract here"
    assert set(CALLS.values()) == set(ENDPOINTS), "an ENDPOINTS name without a contract here"
    assert len(set(CALLS.values())) == len(CALLS)


def test_the_journey_to_a_released_mini_program(
    live, other, sandbox_http, sandbox_db, db, wechat_side
):
    journey.name_and_profile(live, sandbox_http)
    journey.categories(live, sandbox_http)
    template_id = journey.library(live)
    journey.platform_domains(live)
    journey.mini_program_domains(live, other)
    journey.code_and_privacy(live, sandbox_http, template_id)
    journey.icp_filing(live, other, sandbox_http)  # filed: release wants it
    journey.audit_and_release(live, sandbox_http)
    journey.testers(live, sandbox_http)
    journey.revert_and_undo(live, template_id)
    journey.rejected_with_screenshots(live, other)

    # Every method was called, each logged under its endpoint, with the right token.
    used = {**other.called, **live.called}
    assert set(used) == set(CALLS)
    logged = {**other.endpoints, **live.endpoints}
    assert {method: {CALLS[method]} for method in CALLS} == logged
    with_c = {CALLS[method] for method, kinds in used.items() if "C" in kinds}
    with_a = {CALLS[method] for method, kinds in used.items() if "A" in kinds}
    assert with_c == set(COMPONENT_TOKEN_ENDPOINTS) and not with_c & with_a
    rows = db.execute("SELECT DISTINCT endpoint FROM api_calls").fetchall()
    assert set(ENDPOINTS) <= {row[0] for row in rows}
    tokens = {live.token(), live.ctx.token()}
    for row in db.execute("SELECT endpoint, errmsg, error FROM api_calls").fetchall():
        assert not any(token in " ".join(map(str, row)) for token in tokens)

    # The audits' pushes reach the portal's message URL and are recorded there, each
    # once: two audits passing in the same second send the same XML (WeChat's push names
    # no audit), which the portal rightly records once.
    wechat_side()
    sent = [
        row["xml"]
        for row in sandbox_db.query(
            "SELECT xml FROM outbox WHERE channel = 'message' AND appid = ? ORDER BY id",
            [live.appid],
        )
    ]
    assert [event_of(xml) for xml in sent] == [
        "wxa_nickname_audit",
        "wxa_category_audit",  # rejected (C2)
        "wxa_category_audit",  # passed after modifycategory
        "weapp_audit_success",
        "weapp_audit_success",
        "weapp_audit_fail",  # rejected (A1), with its screenshots
    ]
    recorded = db.execute(
        "SELECT event, xml FROM message_pushes WHERE appid = ? ORDER BY id", [live.appid]
    ).fetchall()
    assert [xml for _event, xml in recorded] == list(dict.fromkeys(sent))
    assert [event for event, _xml in recorded] == [event_of(xml) for xml in dict.fromkeys(sent)]


def event_of(xml: str) -> str:
    return ET.fromstring(xml).findtext("Event") or ""
