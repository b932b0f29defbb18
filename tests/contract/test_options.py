"""The client's optional fields and answers the journey does not meet, against the
sandbox: what the client sends is taken, and what the sandbox answers is read."""

from __future__ import annotations

from portal.wechat.miniprogram.audit import REJECTED, AuditItem, UgcDeclare
from portal.wechat.miniprogram.categories import CategoryChoice
from portal.wechat.miniprogram.domains import ServerDomains
from portal.wechat.miniprogram.templates import STANDARD
from tests.contract import steps
from tests.contract.steps import PNG_MAGIC, media


def test_a_social_category_is_submitted_with_its_ugc_declaration(live):
    steps.ready(live)
    live.a.categories.add_category([CategoryChoice(12, 1201)])
    social = next(c for c in live.a.categories.get_audit_category() if c.second_id == 1201)
    item = AuditItem.of(social, address=steps.PAGES[0], tag="社区 分享", title="社区首页")
    declare = UgcDeclare(scene=[1, 2], method=[1], has_audit_team=1, audit_desc="人工审核")
    auditid = live.a.audit.submit_audit([item], ugc_declare=declare, order_path="pages/order/order")
    assert live.a.audit.get_audit_status(auditid).status == 2


def test_privacy_api_not_use_is_taken_and_the_audit_then_fails_for_privacy(live):
    steps.ready(live)
    steps.set_privacy(live, steps.PRIVACY[:1])  # PhoneNumber and Album uncovered
    assert live.a.privacy.get_code_privacy_info().without_conf_list == ("PhoneNumber", "Album")
    live.sandbox["SANDBOX_AUDIT_DELAY"] = 0
    auditid = live.a.audit.submit_audit(steps.items(live), privacy_api_not_use=True)
    status = live.a.audit.get_audit_status(auditid)
    assert status.status == REJECTED and "隐私" in status.reason


def test_a_failed_audit_reads_the_same_through_both_status_calls(live):
    steps.ready(live)
    live.sandbox["SANDBOX_AUDIT_DELAY"] = 0
    auditid = steps.submit(live, version_desc="A1")
    status = live.a.audit.get_audit_status(auditid)
    latest = live.a.audit.get_latest_audit_status()  # its sample's ScreenShot spelling
    assert status.status == latest.status == REJECTED and latest.auditid == auditid
    assert status.reason == latest.reason and status.reason
    assert status.screenshots == latest.screenshots and len(status.screenshots) == 2
    # Resubmitting after a rejection, with the feedback WeChat reads then.
    feedback = [media(live), media(live)]
    again = steps.submit(live, feedback_info="已补充门店照片", feedback_stuff=feedback)
    assert again != auditid


def test_an_undeclared_location_api_is_named_by_the_scan(live):
    steps.set_basics(live)
    steps.commit(live, steps.template(live), requiredPrivateInfos=[])
    scan = live.a.privacy.get_code_privacy_info()
    assert scan.without_auth_list == ("getLocation",)


def test_a_cropped_head_image_and_an_id_card(live):
    live.a.basic.modify_head_image(media(live), 0.25, 0, 0.75, 0.5)
    live.a.basic.set_nickname("沙箱合约小店", license=media(live), id_card=media(live))
    info = live.a.basic.get_account_basic_info()
    assert info.nickname == "沙箱合约小店" and info.head_image_info.modify_used_count == 1


def test_a_standard_template_reads_its_audit_fields(live):
    live.c.templates.add_to_template(1, STANDARD)
    [standard] = live.c.templates.get_template_list(STANDARD)
    assert (standard.template_type, standard.audit_status, standard.reason) == (1, 0, "")
    assert live.c.templates.get_template_list() == (standard,)  # the only one there is


def test_the_code_image_for_a_page_the_live_version_lacks_unchecked(live):
    steps.released(live)
    code = live.a.quota.get_wxacode_unlimit("a=1", page="pages/new/new", check_path=False)
    assert code.startswith(PNG_MAGIC)


def test_a_set_and_a_delete_of_the_domains(live):
    host = "api.sandbox-shop.cn"
    live.c.domains.modify_wxa_server_domain("set", [host, "img.sandbox-shop.cn"], True)
    removed = live.c.domains.modify_wxa_server_domain("delete", ["img.sandbox-shop.cn"], True)
    assert removed.published == (host,)
    urls = (f"https://{host}",)
    live.a.domains.modify_domain("set", ServerDomains(requestdomain=urls, uploaddomain=urls))
    gone = live.a.domains.modify_domain("delete", ServerDomains(uploaddomain=urls))
    assert (gone.domains.requestdomain, gone.domains.uploaddomain) == (urls, ())
