"""The merchant's journeys in real Chromium at phone size, against real processes."""

import re

from playwright.sync_api import expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import (
    assert_not_reloaded,
    confirm_and_submit,
    fill_form,
    legal_person_decides,
    mark_page,
)

REGISTRY_COMPANY = "广州市沙箱餐饮管理有限公司"
REGISTRY_CODE = "91440101MA5CWT8Q1H"


def legal_person_phone(browser):
    return browser.new_context(**PHONE).new_page()


def test_happy_path_with_an_inline_fix(stack, phone, browser):
    phone.goto(stack.portal_url + "/")
    screenshot(phone, "merchant-landing-phone")
    phone.get_by_role("link", name="开始填写").click()
    fill_form(phone, name="深圳市沙箱科技有限公司", code="91440300MA5DRX2K04", person="李四",
              wechat="13800138000")  # fmt: skip
    phone.get_by_label("法人姓名").focus()  # leave the WeChat ID field
    error = phone.locator("#legal_persona_wechat-error")
    expect(error).to_contain_text("这是手机号，不是微信号")
    expect(phone.get_by_label("法人微信号")).to_have_attribute("aria-invalid", "true")
    screenshot(phone, "merchant-form-error-phone")
    phone.get_by_label("法人微信号").fill("lisi_2024")
    expect(error).to_be_hidden()
    phone.get_by_role("button", name="下一步：核对信息").click()
    screenshot(phone, "merchant-confirm-phone")
    phone.get_by_role("button", name="确认提交").click()
    expect(phone.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    mark_page(phone)
    expect(phone.locator(".badge")).to_have_text(
        re.compile("微信核对中|等待法定代表人核验|正在提交|资料已保存")
    )
    screenshot(phone, "merchant-status-waiting-phone")
    guide = phone.context.new_page()
    guide.goto(
        stack.portal_url + phone.get_by_role("link", name="法人操作指引").get_attribute("href")
    )
    expect(guide.get_by_text("公众平台安全助手").first).to_be_visible()
    screenshot(guide, "legal-person-guide-phone")
    guide.close()

    legal_person_decides(legal_person_phone(browser), stack.sandbox_url, "深圳市沙箱科技有限公司",
                         "确认，并通过人脸核验")  # fmt: skip
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=20_000)
    assert_not_reloaded(phone)
    screenshot(phone, "merchant-status-success-phone")


def test_a_103_failure_is_explained_then_fixed_and_resubmitted(stack, phone, browser):
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name=REGISTRY_COMPANY, code=REGISTRY_CODE, person="王晓明", wechat="wangxm_01")
    confirm_and_submit(phone)
    mark_page(phone)
    expect(phone.get_by_text("法人姓名与工商登记不一致", exact=True)).to_be_visible(timeout=20_000)
    assert_not_reloaded(phone)
    expect(phone.locator("dl.facts").first).to_contain_text("需要核对法人姓名")
    expect(phone.locator(".sent-facts")).to_contain_text("法人姓名")  # what was sent, masked
    screenshot(phone, "merchant-status-failed-103-phone")

    phone.get_by_role("link", name="修改信息并重新提交").click()
    highlighted = phone.locator(".field.highlight")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text("法人姓名")
    expect(phone.get_by_label("企业名称")).to_have_value(REGISTRY_COMPANY)
    screenshot(phone, "merchant-resubmit-form-phone")
    phone.get_by_label("法人姓名").fill("王小明")
    confirm_and_submit(phone)
    mark_page(phone)
    legal_person_decides(legal_person_phone(browser), stack.sandbox_url, REGISTRY_COMPANY,
                         "确认，并通过人脸核验")  # fmt: skip
    expect(phone.locator("#appid")).to_be_visible(timeout=20_000)
    assert_not_reloaded(phone)


def test_the_legal_person_lets_24_hours_pass(stack, phone, browser):
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name="成都市过期测试科技有限公司", code="9144030071526726XG",
              person="马六", wechat="maliu_2024")  # fmt: skip
    confirm_and_submit(phone)
    mark_page(phone)
    expect(phone.locator("[data-deadline]")).to_have_text(re.compile(r"2[34] 小时 \d\d 分$"),
                                                          timeout=20_000)  # fmt: skip
    legal_person_decides(legal_person_phone(browser), stack.sandbox_url, "成都市过期测试科技有限公司",
                         "未确认消息就过期（100003）")  # fmt: skip
    expect(phone.get_by_text("法人未在 24 小时内确认", exact=True)).to_be_visible(timeout=20_000)
    expect(phone.locator(".badge")).to_have_text("已过期")
    assert_not_reloaded(phone)
    # Nothing to fix after an expiry: the button says so and resends in one tap.
    expect(phone.get_by_role("button", name="信息无需修改，重新提交")).to_be_visible()
    expect(phone.get_by_role("link", name="修改信息并重新提交")).to_have_count(0)
    screenshot(phone, "merchant-status-expired-phone")


def test_the_status_page_works_without_javascript(stack, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(stack.portal_url + "/apply")
    fill_form(
        page,
        name="无脚本测试科技有限公司",
        code="91330100716105852F",
        person="孙七",
        wechat="sunqi_2024",
    )
    confirm_and_submit(page)
    expect(page.locator(".badge")).to_be_visible()
    assert page.locator("noscript").count() >= 1
    context.close()


def test_desktop_layout_and_guide(stack, desktop):
    desktop.goto(stack.portal_url + "/apply")
    screenshot(desktop, "merchant-form-desktop")
    desktop.goto(stack.portal_url + "/guide")
    expect(desktop.get_by_text("公众平台安全助手").first).to_be_visible()
    screenshot(desktop, "legal-person-guide-desktop")
