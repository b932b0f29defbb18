"""The go-live journey's stages, in the order a platform takes a fast-registered mini
program live (SETUP §12), every call made through the client with a real token. Each
stage checks the parsed answers against what the sandbox holds (its page's JSON)."""

from __future__ import annotations

import json
import time

from portal.sandbox.miniprograms.schema import DEV_APPID, DEV_NAME
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.audit import AUDITING, PASSED, REJECTED, WITHDRAWN, PreviewInfo
from portal.wechat.miniprogram.categories import SetCategory
from portal.wechat.miniprogram.code import HistoryVersion
from portal.wechat.miniprogram.domains import ConfirmFile, ServerDomains
from portal.wechat.miniprogram.privacy import LIVE, OwnerSetting
from portal.wechat.miniprogram.quota import Quota
from portal.wechat.miniprogram.testers import Member
from tests.contract import steps
from tests.contract.live import Live
from tests.contract.steps import JPEG_MAGIC, PAGES, PNG_MAGIC, PRIVACY_KEYS, SIGNATURE

PROTECTED_NAME = "沙箱合约旗舰店"  # 旗舰: proof needed, the name goes to audit
SERVER, JUMP = "api.sandbox-shop.cn", "m.sandbox-shop.cn"


def name_and_profile(live: Live, http) -> None:
    info = live.a.basic.get_account_basic_info()
    held = steps.state(http, live.appid)["mp"]
    assert (info.appid, info.principal_name) == (live.appid, held["principal_name"])
    assert (info.credential, info.nickname, info.realname_status) == (held["credential"], "", 1)
    assert (info.nickname_info.left, info.head_image_info.modify_quota) == (2, 5)

    check = live.a.basic.check_wx_verify_nickname(PROTECTED_NAME)
    assert check.hit_condition and "旗舰" in check.wording
    proof = [steps.media(live, "trademark.jpg")]
    named = live.a.basic.set_nickname(
        PROTECTED_NAME, license=steps.media(live), naming_other_stuff=proof
    )
    assert named.audit_id
    audit = live.a.basic.query_nickname(named.audit_id)
    assert (audit.nickname, audit.audit_stat, audit.audit_time) == (PROTECTED_NAME, 1, 0)
    steps.decide(http, live.appid, "name", named.audit_id, "pass")  # WeChat's reviewer
    audit = live.a.basic.query_nickname(named.audit_id)
    assert audit.audit_stat == 3 and audit.audit_time >= audit.create_time > 0

    upload = live.a.basic.upload_media(steps.image(), "head.jpg")
    assert upload.type == "image" and upload.media_id and upload.created_at
    live.a.basic.modify_head_image(upload.media_id, 0, 0, 1, 1)
    live.a.basic.modify_signature(SIGNATURE)
    info = live.a.basic.get_account_basic_info()
    held = steps.state(http, live.appid)["mp"]
    assert info.nickname == held["nickname"] == PROTECTED_NAME
    assert held["head_image_media"] == upload.media_id
    assert info.head_image_info.value.endswith(upload.media_id)
    assert info.signature_info.value == held["signature"] == SIGNATURE
    assert (info.nickname_info.modify_used_count, info.head_image_info.left) == (1, 4)
    assert info.signature_info.modify_used_count == 1


def categories(live: Live, http) -> None:
    tree = {node.id: node for node in live.a.categories.get_all_categories()}
    assert 8 in tree[0].children and tree[8].level == 1
    home, food = tree[801], tree[601]
    assert (home.name, home.father, home.level, home.sensitive_type) == ("家政服务", 8, 2, 0)
    assert food.sensitive_type == 1 and food.qualify.exter_list[0][0].name == "食品经营许可证"
    enterprise = {node.id for node in live.a.categories.get_categories_by_type(1)}
    assert 801 in enterprise and 401 not in enterprise  # 政务服务: government only

    live.a.categories.add_category([steps.PLAIN])
    live.sandbox["SANDBOX_CATEGORY_AUDIT_DELAY"] = 0  # WeChat decides the next at once
    live.a.categories.add_category([steps.food(live, key="食品经营许可证C2")])  # rejected
    rejected = live.a.categories.get_category().categories[1]
    assert (rejected.second, rejected.audit_status) == (601, 2) and rejected.audit_reason
    live.a.categories.modify_category(steps.food(live))  # back to audit, passes
    assert live.a.categories.get_category().categories[1].audit_status == 3
    live.a.categories.delete_category(6, 601)
    live.sandbox["SANDBOX_CATEGORY_AUDIT_DELAY"] = 3600

    held = steps.state(http, live.appid)["categories"]
    assert [(c["first"], c["second"], c["status"]) for c in held] == [(8, 801, 3)]
    got = live.a.categories.get_category()
    assert got.categories == (SetCategory(8, "生活服务", 801, "家政服务", 3, ""),)
    # 2 adds, a modify and a delete this month: each counts against the limit (53300)
    assert (got.limit, got.quota, got.category_limit) == (5, 1, 5)
    [usable] = live.a.categories.get_audit_category()
    assert (usable.first_class, usable.second_class) == ("生活服务", "家政服务")
    assert (usable.first_id, usable.second_id, usable.third_id) == (8, 801, 0)


def library(live: Live) -> int:
    drafts = {d.draft_id: d for d in live.c.templates.get_template_draft_list()}
    assert set(drafts) == {1, 2}
    demo = drafts[2]
    assert (demo.source_miniprogram_appid, demo.source_miniprogram) == (DEV_APPID, DEV_NAME)
    template_id = steps.template(live, 2)
    plain = steps.template(live, 1)
    live.c.templates.delete_template(plain)
    [kept] = live.c.templates.get_template_list()
    assert (kept.template_id, kept.draft_id, kept.template_type) == (template_id, 2, 0)
    assert (kept.user_version, kept.user_desc) == (demo.user_version, demo.user_desc)
    assert live.c.templates.get_template_list(template_type=1) == ()
    return template_id


def platform_domains(live: Live) -> None:
    server = live.c.domains.modify_wxa_server_domain("add", [SERVER, "https://x.cn"], True)
    assert (server.published, server.testing, server.invalid) == (
        (SERVER,),
        (SERVER,),
        ("https://x.cn",),
    )
    assert live.c.domains.modify_wxa_server_domain("get").published == (SERVER,)
    jump = live.c.domains.modify_wxa_jump_domain("add", [JUMP], True)
    assert jump.published == (JUMP,) and jump.invalid == ()
    confirm = live.c.domains.get_domain_confirmfile()
    assert confirm == ConfirmFile("sandboxPlatformConfirm.txt", "a1b2c3d4e5f6")


def mini_program_domains(live: Live, other: Live) -> None:
    """Way 1 for ``live`` (the platform's lists), Way 2 for ``other`` (directly)."""
    request = f"https://{SERVER}"
    wanted = ServerDomains(requestdomain=(request, "https://other.cn"))
    answer = live.a.domains.modify_domain("add", wanted)
    assert answer.domains.requestdomain == (request,)
    assert answer.invalid.requestdomain == ("https://other.cn",)
    assert live.a.domains.modify_domain("get").domains.requestdomain == (request,)
    web = f"https://shop.{JUMP}"
    assert live.a.domains.set_webview_domain("add", [web]) == (web,)
    assert live.a.domains.set_webview_domain("get") == (web,)
    effective = live.a.domains.get_effective_domain()
    assert effective.third_domain.requestdomain == effective.effective_domain.requestdomain
    assert effective.third_domain.requestdomain == (request,)
    assert effective.direct_domain == ServerDomains()
    views = live.a.domains.get_effective_webviewdomain()
    assert views.third_webviewdomain == views.effective_webviewdomain == (web,)
    confirm = live.a.domains.get_webviewdomain_confirmfile()
    assert confirm == ConfirmFile(f"{live.appid[-10:]}.txt", live.appid[::-1])

    own = "https://api.own-shop.cn"
    direct = other.a.domains.modify_domain_directly("add", ServerDomains(requestdomain=(own,)))
    assert direct.domains.requestdomain == (own,)
    assert other.a.domains.set_webview_domain_directly("set", ["https://h5.own-shop.cn"]) == (
        "https://h5.own-shop.cn",
    )
    effective = other.a.domains.get_effective_domain()
    assert effective.direct_domain.requestdomain == (own,)
    assert effective.effective_domain.requestdomain == ()  # effective after the next commit
    views = other.a.domains.get_effective_webviewdomain()
    assert views.direct_webviewdomain == ("https://h5.own-shop.cn",)
    assert other.a.domains.modify_domain_directly("get").domains.requestdomain == (own,)


def code_and_privacy(live: Live, http, template_id: int) -> None:
    live.sandbox["SANDBOX_PRIVACY_SCAN"] = 1.0
    steps.commit(live, template_id)
    live.sandbox["SANDBOX_PRIVACY_SCAN"] = 0
    steps.refused(61039, live.a.privacy.get_code_privacy_info)
    deadline = time.monotonic() + 10
    while True:  # wait out the scan, as a platform polls
        try:
            scan = live.a.privacy.get_code_privacy_info()
            break
        except WeChatError as exc:
            assert exc.errcode == 61039 and time.monotonic() < deadline, exc
            time.sleep(0.1)
    assert scan.without_conf_list == PRIVACY_KEYS and scan.without_auth_list == ()
    found = live.a.privacy.get_privacy_setting()
    assert (found.code_exist, found.privacy_list, found.setting_list) == (1, PRIVACY_KEYS, ())
    steps.set_privacy(live)
    found = live.a.privacy.get_privacy_setting()
    assert [(i.privacy_key, i.privacy_text) for i in found.setting_list] == [
        (i.privacy_key, i.privacy_text) for i in steps.PRIVACY
    ]
    assert found.setting_list[0].privacy_label == "位置信息" and found.owner_setting == steps.OWNER
    assert ("Location", "位置信息") in {(d.privacy_key, d.privacy_desc) for d in found.privacy_desc}
    assert found.update_time and live.a.privacy.get_code_privacy_info().without_conf_list == ()

    [version] = steps.state(http, live.appid)["versions"]
    assert live.a.code.get_page() == PAGES == tuple(json.loads(version["pages"]))
    qrcode = live.a.code.get_qrcode("pages/shop/shop?from=qr")
    assert qrcode.startswith(JPEG_MAGIC) and qrcode.endswith(b"\xff\xd9")
    assert live.a.code.get_qrcode().startswith(JPEG_MAGIC)


def audit_and_release(live: Live, http) -> None:
    assert live.a.quota.query_quota() == Quota(rest=20, limit=20, speedup_rest=3, speedup_limit=3)
    shot = live.a.audit.upload_audit_media(steps.image("PNG"), "shot.png", "image/png")
    assert shot.type == "image" and shot.mediaid
    auditid = live.a.audit.submit_audit(
        steps.items(live),
        version_desc="首个版本，门店自提",
        preview_info=PreviewInfo(pic_id_list=[shot.mediaid]),
    )
    assert auditid == steps.state(http, live.appid)["audits"][0]["auditid"]
    assert live.a.audit.get_audit_status(auditid).status == AUDITING
    latest = live.a.audit.get_latest_audit_status()
    assert (latest.auditid, latest.status, latest.user_version) == (auditid, AUDITING, "1.0.0")
    assert latest.user_desc == "首个版本" and latest.submit_audit_time
    assert live.a.quota.query_quota().rest == 19
    live.a.audit.speedup_audit(auditid)  # expedited: WeChat answers at once here
    assert live.a.audit.get_audit_status(auditid).status == PASSED
    assert live.a.quota.query_quota().speedup_rest == 2

    live.a.code.release()
    info = live.a.code.get_version_info()
    assert info.exp_info is not None and info.exp_info.exp_version == "1.0.0"
    assert info.release_info is not None and info.release_info.release_desc == "首个版本"
    assert steps.state(http, live.appid)["releases"][0]["auditid"] == auditid
    owner = OwnerSetting(contact_email="shop@example.com", notice_method="弹窗")
    live.a.privacy.set_privacy_setting(owner, privacy_ver=LIVE)
    live_setting = live.a.privacy.get_privacy_setting(LIVE)
    assert live_setting.owner_setting == owner and len(live_setting.setting_list) == 3
    code = live.a.quota.get_wxacode_unlimit(
        "shop=1", page="pages/shop/shop", check_path=True, env_version="release", width=280,
        auto_color=False, line_color=(0, 0, 0), is_hyaline=False,
    )  # fmt: skip
    assert code.startswith(PNG_MAGIC)


def testers(live: Live, http) -> None:
    userstr = live.a.testers.bind_tester("zhangsan_88")
    assert len(userstr) == 32 and live.a.testers.bind_tester("lisi_2024")
    held = {t["wechatid"]: t["userstr"] for t in steps.state(http, live.appid)["testers"]}
    assert held["zhangsan_88"] == userstr
    assert set(live.a.testers.get_testers()) == {Member(u) for u in held.values()}
    live.a.testers.unbind_tester(userstr=userstr)
    live.a.testers.unbind_tester(wechatid="lisi_2024")
    assert live.a.testers.get_testers() == ()


def revert_and_undo(live: Live, template_id: int) -> None:
    steps.commit(live, template_id, "第二版")
    steps.audited(live, version_desc="第二版")
    live.a.code.release()
    [first] = live.a.code.get_history_versions()
    assert isinstance(first, HistoryVersion) and (first.user_version, first.user_desc) == (
        "1.0.0",
        "首个版本",
    )
    assert first.commit_time
    live.a.code.revert_code_release(app_version=first.app_version)
    info = live.a.code.get_version_info()
    assert info.release_info is not None and info.release_info.release_desc == "首个版本"

    steps.commit(live, template_id, "第三版")
    auditid = steps.submit(live)
    live.a.audit.undo_code_audit()
    assert live.a.audit.get_audit_status(auditid).status == WITHDRAWN


def rejected_with_screenshots(live: Live, other: Live) -> None:
    """A rejected audit (A1): its reason and screenshot media ids, each a PNG fetched
    with the permanent-media API, and no one else's to fetch (40007)."""
    delay = live.sandbox["SANDBOX_AUDIT_DELAY"]
    live.sandbox["SANDBOX_AUDIT_DELAY"] = 0  # WeChat decides at once
    try:
        auditid = steps.submit(live, version_desc="第三版 A1")
    finally:
        live.sandbox["SANDBOX_AUDIT_DELAY"] = delay
    found = live.a.audit.get_audit_status(auditid)
    assert found.status == REJECTED and found.reason and len(found.screenshots) == 2
    latest = live.a.audit.get_latest_audit_status()  # its sample spells it ScreenShot
    assert (latest.auditid, latest.screenshots) == (auditid, found.screenshots)
    for media_id in found.screenshots:
        assert live.a.audit.get_material(media_id).startswith(PNG_MAGIC)
    steps.refused(40007, lambda: other.a.audit.get_material(found.screenshots[0]))
    steps.refused(40007, lambda: live.a.audit.get_material("no-such-media"))


def icp_filing(live: Live, other: Live, http) -> None:
    """The filing state (ICP 备案): not filed until the sandbox's control moves it along,
    a rejection with its reason, filed; 61007 without permission sets 18 and 156."""
    assert other.a.icp.get_icp_entrance_info().status == 1027  # nothing filled in yet
    found = live.a.icp.get_icp_entrance_info()
    assert (found.status, found.available, found.audit_data) == (1024, 1, ())
    steps.icp(http, live.appid, status="3", reason="主体负责人证件照片不清晰")
    found = live.a.icp.get_icp_entrance_info()
    assert found.status == 3 and found.audit_data[0].error == "主体负责人证件照片不清晰"
    steps.icp(http, live.appid, status="4")
    found = live.a.icp.get_icp_entrance_info()
    assert (found.status, found.sms_verify_status, found.audit_data) == (4, 1, ())
    steps.icp(http, live.appid, status="6")
    assert live.a.icp.get_icp_entrance_info().status == 6
    assert steps.state(http, live.appid)["icp"]["label"] == "已备案"
    steps.icp(http, other.appid, revoked="1")
    steps.refused(61007, other.a.icp.get_icp_entrance_info)
    steps.icp(http, other.appid, revoked="0")
