"""The consoles in real Chromium: partner link → merchant → partner's list; staff; admin."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import confirm_and_submit, fill_form
from portal import accounts, links
from portal.db import connect
from portal.registration import outbox

PASSWORD = "e2e-console-password"


def ensure_account(stack, username, role, partner=None):
    db = connect(stack.env["PORTAL_DATABASE"])
    if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone() is None:
        partner_id = accounts.create_partner(db, partner) if partner else None
        accounts.create_user(db, username, PASSWORD, role, partner_id)
    db.conn.close()


def nav(page: Page):
    return page.get_by_role("navigation", name="控制台")


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.portal_url + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_partner_link_brings_a_merchant_the_partner_then_sees(stack, desktop, browser):
    ensure_account(stack, "e2e_partner", "partner", "端到端代理商")
    log_in(desktop, stack, "e2e_partner")
    nav(desktop).get_by_role("link", name="推广链接").click()
    desktop.get_by_label("链接名称（如“3 月地推”）").fill("门店地推")
    desktop.get_by_label("您的联系电话（选填，显示给商户）").fill("13900002222")
    desktop.get_by_role("button", name="生成链接").click()
    expect(desktop.get_by_text("链接已生成")).to_be_visible()
    signup = (
        desktop.get_by_role("row", name=re.compile("门店地推"))
        .get_by_role("link")
        .first.inner_text()
    )
    screenshot(desktop, "partner-links-desktop")

    merchant = browser.new_context(**PHONE).new_page()
    merchant.goto(signup)
    merchant.get_by_role("link", name="开始填写").click()
    # The partner's phone is shown as the partner's, not put in the merchant's field.
    expect(merchant.get_by_text("推荐您的服务商：端到端代理商")).to_be_visible()
    expect(merchant.get_by_label("联系电话（选填，可凭它找回进度页）")).to_have_value("")
    fill_form(merchant, name="广州市代理测试餐饮有限公司", code="91330100716105852F", person="钱八",
              wechat="qianba_2024")  # fmt: skip
    confirm_and_submit(merchant)

    nav(desktop).get_by_role("link", name="我的商户").click()
    row = desktop.get_by_role("row", name=re.compile("广州市代理测试餐饮有限公司"))
    expect(row).to_contain_text("钱*")
    expect(row).to_contain_text("qi*******24")
    expect(desktop.locator(".stat").filter(has_text="已提交")).to_contain_text("1")
    screenshot(desktop, "partner-dashboard-desktop")
    nav(desktop).get_by_role("link", name="推广链接").click()
    desktop.get_by_role("row", name=re.compile("门店地推")).get_by_role("link", name="海报").click()
    expect(desktop.locator("img.poster-image")).to_be_visible()
    desktop.wait_for_function("() => document.querySelector('img.poster-image').naturalWidth > 0")
    screenshot(desktop, "partner-poster-desktop")


def test_staff_find_a_submission_read_its_history_and_add_a_note(stack, desktop):
    ensure_account(stack, "e2e_staff", "staff")
    merchant = desktop.context.new_page()
    merchant.goto(stack.portal_url + "/apply")
    fill_form(merchant, name="深圳市客服查找测试有限公司", code="91110000802100433B", person="周九",
              wechat="zhoujiu_2024")  # fmt: skip
    confirm_and_submit(merchant)
    merchant.close()

    log_in(desktop, stack, "e2e_staff")
    desktop.get_by_label("企业名称（部分即可）").fill("客服查找")
    desktop.get_by_role("button", name="查找").click()
    desktop.get_by_role("link", name="深圳市客服查找测试有限公司").click()
    expect(desktop.get_by_role("heading", name="完整记录")).to_be_visible()
    history = desktop.locator("table").last
    expect(history).to_contain_text("fastregisterweapp.create", timeout=15_000)
    desktop.get_by_label("备注").fill("已电话联系法人，今晚处理")
    desktop.get_by_role("button", name="添加备注").click()
    expect(desktop.get_by_text("已电话联系法人，今晚处理")).to_be_visible()
    screenshot(desktop, "staff-submission-desktop")
    nav(desktop).get_by_role("link", name="客服看板").click()
    screenshot(desktop, "staff-dashboard-desktop")


def test_admin_sees_the_ticket_age_on_the_health_page(stack, desktop, phone):
    ensure_account(stack, "e2e_admin", "admin")
    log_in(desktop, stack, "e2e_admin")
    expect(desktop.get_by_role("heading", name="平台状态")).to_be_visible()
    expect(desktop.locator("#ticket-age")).to_have_text(re.compile(r"^\d+ 分钟前$"))
    screenshot(desktop, "admin-health-desktop")
    log_in(phone, stack, "e2e_admin")
    screenshot(phone, "admin-health-phone")


WIDE_URL = "https://hooks.example.com/portal/fast-register/events/receiver-with-a-long-path"


def _seed_every_console_page(stack) -> dict[str, list[str]]:
    """One of each row the consoles list, and the console pages by the role that sees them."""
    from portal.registration import submissions as subs
    from portal.registration import webhooks
    from portal.registration.flavors import FLAVORS
    from portal.wechat.authorizers import Vault
    from tests.registration.facts import facts

    ensure_account(stack, "e2e_width_admin", "admin")
    ensure_account(stack, "e2e_width_partner", "partner", "宽度测试代理商")
    db = connect(stack.env["PORTAL_DATABASE"])
    (partner_id,) = db.execute(
        "SELECT partner_id FROM users WHERE username = 'e2e_width_partner'"
    ).fetchone()
    link = links.create(db, partner_id, "宽度测试链接", contact_phone="13900003333")
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市宽度测试餐饮管理有限公司"),
                         contact_phone="13800001234", partner_id=partner_id,
                         link_id=link["id"])  # fmt: skip
    endpoint_id, _ = webhooks.create_endpoint(
        db, Vault(stack.env.get("PORTAL_TOKEN_KEY", "")), WIDE_URL, outbox.SUBSCRIBABLE
    )
    db.conn.close()
    staff = [
        "/staff/",
        "/staff/search?phone=1234",
        f"/staff/submissions/{sub['id']}",
        f"/staff/submissions/{sub['id']}/ask",
        "/staff/held/release?errcode=61007",
        "/staff/held/golive/release?errcode=61007",
    ]
    admin = ["/admin/", "/admin/users", "/admin/webhooks", f"/admin/webhooks/{endpoint_id}",
             "/admin/golive", "/admin/api-keys", "/admin/audit"]  # fmt: skip
    partner = ["/partner/", "/partner/links", f"/partner/links/{link['id']}/poster"]
    return {"e2e_width_admin": staff + admin, "e2e_width_partner": partner}


def test_no_console_page_is_wider_than_a_320_px_phone(stack, browser):
    too_wide = {}
    for username, paths in _seed_every_console_page(stack).items():
        # A context per user: clearing cookies races a page's in-flight poll, whose
        # response would set the last user's refreshed session cookie again.
        narrow = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}})
        page = narrow.new_page()
        log_in(page, stack, username)
        for path in paths:
            response = page.goto(stack.portal_url + path)
            assert response.status == 200, path
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                too_wide[path] = scroll - client
                screenshot(page, "too-wide" + path.replace("/", "-").replace("?", "-"))
        narrow.close()
    assert too_wide == {}, f"pages wider than 320 px (by px): {too_wide}"


def test_a_partner_on_a_phone_copies_a_merchants_status_link(stack, phone):
    from portal.registration import submissions as subs
    from portal.registration.flavors import FLAVORS
    from tests.registration.facts import facts

    ensure_account(stack, "e2e_phone_partner", "partner", "手机代理商")
    db = connect(stack.env["PORTAL_DATABASE"])
    (partner_id,) = db.execute(
        "SELECT partner_id FROM users WHERE username = 'e2e_phone_partner'"
    ).fetchone()
    link = links.create(db, partner_id, "手机地推", contact_phone="13900004444")
    subs.submit(db, FLAVORS["classic"], facts("佛山市手机代理测试有限公司"),
                contact_phone="13800005678", partner_id=partner_id, link_id=link["id"])  # fmt: skip
    db.conn.close()
    log_in(phone, stack, "e2e_phone_partner")
    card = phone.locator("tr").filter(has_text="佛山市手机代理测试有限公司")
    expect(card.get_by_role("link", name="13800005678")).to_be_visible()
    screenshot(phone, "partner-dashboard-phone")
    card.get_by_role("button", name="复制链接").click()
    expect(phone.locator("#status-link")).to_have_value(re.compile(r"/s/[\w-]+$"))
    phone.get_by_role("button", name="复制链接").click()
    # Copied, or (no clipboard, as in WeChat) selected for a long-press: either way, said.
    expect(phone.locator("[data-copy-note]")).to_have_text(re.compile("已复制|已选中"))
    screenshot(phone, "partner-status-link-phone")
    nav(phone).get_by_role("link", name="推广链接").click()
    # WeChat's browser has no clipboard API: the link is selected for a long-press.
    phone.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    phone.locator(f'[data-copy-from="#link-url-{link["id"]}"]').click()
    expect(phone.locator("[data-copy-note]")).to_have_text(re.compile("已复制|已选中"))
    selected = phone.evaluate("window.getSelection().toString()")
    assert selected.endswith("/r/" + link["slug"])
    screenshot(phone, "partner-links-phone")
    phone.get_by_role("link", name="海报图片").click()
    expect(phone.get_by_text("服务商电话：13900004444")).to_be_visible()
    phone.wait_for_function("() => document.querySelector('img.poster-image').naturalWidth > 0")
    screenshot(phone, "partner-poster-phone")
