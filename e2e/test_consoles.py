"""The consoles in real Chromium: partner link → merchant → partner's list; staff; admin."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import confirm_and_submit, fill_form
from portal import accounts
from portal.db import connect

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
