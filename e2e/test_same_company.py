"""Issue 21 at 375×812 in WeChat's browser: "back" after submitting says so, and a
company that already has a mini program is warned before a second one is sent."""

import re

from playwright.sync_api import expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import confirm_and_submit, fill_form
from portal.validation_codes import usci_check_char

COMPANY = "沙箱S0同名测试科技有限公司"  # S0: the sandbox approves it by itself
CODE_BODY = "91440300715267260"
CODE = CODE_BODY + usci_check_char(CODE_BODY)


def test_back_after_submitting_and_a_second_mini_program_on_purpose(stack, phone, browser):
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name=COMPANY, code=CODE, person="张三", wechat="zhangsan_88")
    confirm_and_submit(phone)
    status_url = phone.url
    phone.go_back()
    notice = phone.locator("#just-submitted")
    expect(notice).to_contain_text(f"您刚刚提交过（{COMPANY}）")
    screenshot(phone, "same-company-back-notice-phone")
    notice.get_by_role("link", name="查看进度").click()
    assert phone.url == status_url
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=30_000)
    appid = phone.locator("#appid").input_value()

    stranger = browser.new_context(**PHONE).new_page()  # another phone: not the submitter
    stranger.goto(stack.portal_url + "/apply")
    fill_form(stranger, name=COMPANY, code=CODE, person="张三", wechat="lisi_2024")
    stranger.get_by_role("button", name="下一步：核对信息").click()
    warning = stranger.locator("#same-company")
    expect(warning).to_contain_text("这家公司已通过本平台注册过小程序")
    expect(warning).to_contain_text(f"{appid[:4]}…{appid[-4:]}")
    expect(warning).not_to_contain_text(appid)
    expect(warning.get_by_role("link", name="找回进度页")).to_have_attribute("href", "/find")
    screenshot(stranger, "same-company-confirm-phone")
    stranger.get_by_role("button", name="确认提交").click()
    expect(stranger.get_by_role("alert")).to_contain_text("还没有提交")
    screenshot(stranger, "same-company-refused-phone")
    stranger.get_by_label("我确认要为同一家公司再注册一个小程序").check()
    stranger.get_by_role("button", name="确认提交").click()
    expect(stranger.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    expect(stranger.locator("#same-company")).to_contain_text("再注册一个新的小程序")
    screenshot(stranger, "same-company-status-phone")
    stranger.context.close()
