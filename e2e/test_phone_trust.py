"""Issue 10 at 375×812 in WeChat's browser: a merchant, a legal person and a partner
on their phones, and a sweep of every page and role for horizontal overflow."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import confirm_and_submit, fill_form
from e2e.test_consoles import ensure_account, log_in
from portal.db import connect
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.stack import FAST, running_stack
from tests.registration.facts import code_for

BRAND = {
    "PORTAL_PLATFORM_NAME": "云帆商户服务平台",
    "PORTAL_PLATFORM_SHORT_NAME": "云帆",
    "PORTAL_PLATFORM_TAGLINE": "帮门店开通小程序",
    "PORTAL_SUPPORT_PHONE": "400-123-4567",
    "PORTAL_SUPPORT_WECHAT": "yunfan_kefu",
    "PORTAL_SUPPORT_HOURS": "工作日 9:00–18:00",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("trust"), env={**FAST, **BRAND}) as running:
        yield running


def no_overflow(page: Page, what: str) -> None:
    wide = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide[0] <= wide[1], f"{what} is {wide[0]} px wide on a {wide[1]} px screen"


def submit_classic(page: Page, stack, name: str, **changes) -> str:
    page.goto(stack.portal_url + "/apply")
    fill_form(page, name=name, code=changes.get("code", code_for(name)),
              person=changes.get("person", "张三"), wechat=changes.get("wechat", "zhangsan_88"))  # fmt: skip
    if "phone" in changes:
        page.get_by_label(re.compile("联系电话")).fill(changes["phone"])
    confirm_and_submit(page)
    return page.url


def test_1_the_platform_and_its_support_are_on_every_merchant_page(stack, phone):
    phone.goto(stack.portal_url + "/")
    expect(phone.locator(".topbar")).to_contain_text("云帆商户服务平台")
    expect(phone.locator("footer")).to_contain_text("客服电话 400-123-4567")
    assert phone.title().endswith("· 云帆")
    expect(phone.get_by_text("300 元认证费")).to_have_count(0)
    screenshot(phone, "trust-landing-phone")
    phone.goto(stack.portal_url + "/guide")
    expect(phone.get_by_text(re.compile("「云帆商户服务平台」正在为贵公司注册"))).to_be_visible()
    screenshot(phone, "trust-guide-phone")


def test_3_back_and_reload_after_submitting_never_repost(stack, phone):
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name="广州市返回测试科技有限公司", code=code_for("广州市返回测试科技有限公司"),
              person="张三", wechat="zhangsan_88")  # fmt: skip
    phone.get_by_role("button", name="下一步：核对信息").click()
    expect(phone).to_have_url(re.compile(r"/apply/confirm$"))
    phone.reload()  # a GET: no "Confirm Form Resubmission"
    expect(phone.get_by_role("heading", name="请核对提交给微信的信息")).to_be_visible()
    phone.get_by_role("button", name="确认提交").click()
    expect(phone.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    phone.go_back()
    expect(phone.get_by_role("heading", name="填写企业信息")).to_be_visible()
    db = connect(stack.env["PORTAL_DATABASE"])
    count = db.execute(
        "SELECT count(*) FROM submissions WHERE name = '广州市返回测试科技有限公司'"
    ).fetchone()[0]
    db.conn.close()
    assert count == 1


def test_6_8_a_rejection_loses_the_submitted_banner_and_a_success_leads_on(stack, phone):
    submit_classic(phone, stack, "沙箱E86004横幅科技有限公司")
    expect(phone.get_by_text("法人微信号无效").first).to_be_visible(timeout=20_000)
    expect(phone.locator("[data-flash]")).to_have_count(0)
    screenshot(phone, "trust-rejected-phone")
    submit_classic(phone, stack, "沙箱S0成功页科技有限公司")
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=30_000)
    phone.get_by_role("button", name="复制", exact=True).click()
    expect(phone.get_by_text(re.compile("已复制|请长按"))).to_be_visible()
    expect(phone.get_by_text("管理员是法定代表人的微信")).to_be_visible()
    expect(phone.locator(".timeline")).not_to_contain_text("（0）")
    screenshot(phone, "trust-success-phone")


def test_10_a_lost_link_is_found_with_the_code_and_the_phone(stack, phone):
    name = "广州市找回测试科技有限公司"
    status = submit_classic(phone, stack, name, phone="13800138000")
    phone.goto(stack.portal_url + "/")
    phone.get_by_role("link", name="找回进度页").click()
    phone.get_by_label("企业代码").fill(code_for(name))
    phone.get_by_label("核对信息（任选一项）").fill("138 0013 8000")
    phone.get_by_role("button", name="找回").click()
    link = phone.get_by_role("link", name=re.compile(name))
    expect(link).to_be_visible()
    screenshot(phone, "trust-find-phone")
    link.click()
    assert phone.url == status


def test_2_v2_shows_one_qr_code_on_a_phone(browser, tmp_path):
    env = {**FAST, **BRAND, "PORTAL_WECHAT_REGISTER_API": "v2"}
    with running_stack(tmp_path / "v2", env=env) as v2:
        page = browser.new_context(**PHONE).new_page()
        page.goto(v2.portal_url + "/apply")
        page.get_by_label("企业名称").fill("杭州单码测试有限公司")
        page.get_by_label("企业代码", exact=True).fill(code_for("杭州单码测试有限公司"))
        confirm_and_submit(page)
        expect(page.get_by_role("link", name="打开验证链接")).to_be_visible(timeout=20_000)
        visible = [q for q in page.locator("img.qr").all() if q.is_visible()]
        assert len(visible) == 1  # the verification QR code only
        no_overflow(page, "the v2 status page")
        screenshot(page, "trust-v2-one-qr-phone")
        page.context.close()


def test_4_the_partner_console_works_on_a_phone(stack, phone):
    ensure_account(stack, "phone_partner", "partner", "手机代理商")
    log_in(phone, stack, "phone_partner")
    phone.goto(stack.portal_url + "/partner/links")
    phone.get_by_label("链接名称（如“3 月地推”）").fill("手机地推")
    phone.get_by_role("button", name="生成链接").click()
    expect(phone.get_by_text("链接已生成")).to_be_visible()
    no_overflow(phone, "the partner's links")
    poster = phone.get_by_role("link", name="海报图片").first
    box = poster.bounding_box()
    assert box and box["height"] >= 32  # a tap target, not a word in a crowded row
    screenshot(phone, "trust-partner-links-phone")
    poster.click()
    image = phone.locator("img.poster-image")
    expect(image).to_be_visible()
    phone.wait_for_function(
        "() => document.querySelector('img.poster-image').naturalWidth === 750"
    )  # the PNG, drawn in a CJK font, loaded
    screenshot(phone, "trust-partner-poster-phone")


PAGES = {
    None: ["/", "/apply", "/guide", "/find", "/login", "/no-such-page"],
    "staff": ["/staff/", "/staff/search?name=沙箱", "/staff/submissions/{sub}",
              "/staff/submissions/{sub}/ask", "/staff/pushes/{push}"],
    "partner": ["/partner/", "/partner/links", "/partner/links/{link}/poster"],
    "admin": ["/admin/", "/admin/users", "/admin/audit", "/admin/webhooks",
              "/admin/webhooks/{hook}", "/admin/api-keys"],
}  # fmt: skip


def test_no_page_overflows_at_375_px_for_any_role(stack, browser):
    """Every page, as every role, fits a 375 px screen (scrollWidth <= clientWidth)."""
    ensure_account(stack, "sweep_staff", "staff")
    ensure_account(stack, "sweep_admin", "admin")
    ensure_account(stack, "sweep_partner", "partner", "扫描代理商")
    db = connect(stack.env["PORTAL_DATABASE"])
    sub, _ = subs.submit(db, FLAVORS["classic"], {"name": "沙箱S103溢出检查科技有限公司",
                                         "code": code_for("溢出"), "code_type": 1,
                                         "legal_persona_name": "张三",
                                         "legal_persona_wechat": "zhangsan_88"})  # fmt: skip
    partner_id = db.execute(
        "SELECT partner_id FROM users WHERE username = 'sweep_partner'"
    ).fetchone()[0]
    from portal import links

    link = links.create(db, partner_id, "一个很长很长的推广链接名称用来检查卡片是否会撑破手机屏幕")
    db.execute("UPDATE submissions SET partner_id = ? WHERE id = ?", [partner_id, sub["id"]])
    db.conn.commit()
    from portal.registration import outbox, webhooks
    from portal.wechat.authorizers import Vault

    hook, _ = webhooks.create_endpoint(
        db,
        Vault(),
        "http://127.0.0.1:9/a-rather-long-path/that-keeps-going/webhooks/receiver",
        outbox.EVENT_TYPES,
        description="CRM（客户管理系统）",
    )  # a closed port: its deliveries fail and show their errors
    # Let the worker send it and the 103 push arrive, so a push page exists.
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        push = db.execute("SELECT id FROM pushes WHERE submission_id = ?", [sub["id"]]).fetchone()
        if push:
            break
        time.sleep(0.3)
    assert push, "no push arrived"
    db.conn.close()
    values = {"sub": sub["id"], "push": push[0], "link": link["id"], "hook": hook}
    merchant_pages = [f"/s/{sub['public_id']}", f"/s/{sub['public_id']}/guide",
                      f"/apply?from={sub['public_id']}"]  # fmt: skip
    for role, paths in PAGES.items():
        page = browser.new_context(**PHONE).new_page()
        if role:
            log_in(page, stack, f"sweep_{role}")
        for path in paths + (merchant_pages if role is None else []):
            url = stack.portal_url + path.format(**values)
            page.goto(url)
            no_overflow(page, f"{path} as {role or 'a merchant'}")
        page.context.close()
    # And the sandbox's legal-person screens.
    tasks = httpx.get(f"{stack.sandbox_url}/sandbox/tasks").json()
    page = browser.new_context(**PHONE).new_page()
    for path in ["/sandbox/", f"/sandbox/legal-person/{tasks[0]['id']}"]:
        page.goto(stack.sandbox_url + path)
        no_overflow(page, f"sandbox {path}")
    page.context.close()
