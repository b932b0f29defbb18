"""Pages that tell the truth (issue 21), at 375 px in WeChat's user agent: a classic
refusal reads as one, and under v2 the verification QR code is a sharp PNG and a lost
link is found again by the company's name."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import confirm_and_submit, fill_form, legal_person_task, mark_page
from e2e.test_v2_journeys import submit_v2
from portal.stack import FAST, running_stack


def test_a_refusal_reads_as_a_refusal(stack, phone, browser):
    name = "深圳市沙箱科技有限公司"  # in the sandbox registry with this code and 李四
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name=name, code="91440300MA5DRX2K04", person="李四", wechat="lisi_2024")
    confirm_and_submit(phone)
    mark_page(phone)
    legal = browser.new_context(**PHONE).new_page()
    task = legal_person_task(stack.sandbox_url, name)
    legal.goto(f"{stack.sandbox_url}/sandbox/legal-person/{task['id']}")
    expect(legal.get_by_text(re.compile("第三方平台「.+」为以下企业申请"))).to_be_visible()
    expect(legal.get_by_text(re.compile("你的微信为管理员"))).to_be_visible()
    screenshot(legal, "truth-legal-person-message-phone")
    legal.get_by_role("button", name="拒绝（不是我申请的）").click()
    legal.context.close()

    expect(phone.locator(".badge").first).to_have_text("法定代表人已拒绝", timeout=20_000)
    expect(phone.get_by_text("请先与法定代表人沟通", exact=False).first).to_be_visible()
    button = phone.get_by_role("button", name="已与法定代表人确认，重新提交")
    expect(button).to_have_class(re.compile("secondary"))
    expect(phone.get_by_text("24 小时内确认")).to_have_count(0)
    screenshot(phone, "truth-refused-phone")


@pytest.fixture(scope="module")
def v2_stack(tmp_path_factory):
    env = {**FAST, "PORTAL_WECHAT_REGISTER_API": "v2"}
    with running_stack(tmp_path_factory.mktemp("truth-v2"), env=env) as running:
        yield running


def test_v2_qr_code_is_a_sharp_png_and_a_lost_link_is_found(v2_stack, phone):
    name, code = "杭州沙箱找回科技有限公司", "91330100716105852F"
    status_url = submit_v2(phone, v2_stack, name, code)
    qr = phone.locator(".verify img.qr")
    expect(qr).to_be_visible(timeout=20_000)
    assert qr.get_attribute("src").endswith("/verify.png")
    size = qr.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
    assert size[0] >= 660 and size[1] == 220  # 3x the shown size: sharp on a 375 px phone
    expect(phone.get_by_text("请勿转发给他人")).to_have_count(0)
    screenshot(phone, "truth-v2-verify-png-phone")

    phone.goto(v2_stack.portal_url + "/find")
    phone.get_by_label("企业代码").fill(code)
    phone.get_by_label("核对信息（任选一项）").fill(name)
    phone.get_by_role("button", name="找回").click()
    found = phone.locator(".found-list li")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(re.compile("等待法定代表人核验|微信核对中|资料已保存|正在提交"))
    screenshot(phone, "truth-v2-find-phone")
    found.get_by_role("link").click()
    assert phone.url == status_url
