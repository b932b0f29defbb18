"""The newer API (PORTAL_WECHAT_REGISTER_API=v2) in real Chromium at phone size.

The legal person's verification link is opened on the phone (scanning a QR code from
one's own screen is not possible; long-press 识别二维码 in WeChat opens the same link).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import screenshot
from portal.stack import FAST, running_stack


@pytest.fixture(scope="module")
def v2_stack(tmp_path_factory):
    env = {**FAST, "PORTAL_WECHAT_REGISTER_API": "v2"}
    with running_stack(tmp_path_factory.mktemp("v2"), env=env) as running:
        yield running


def submit_v2(page: Page, stack, name: str, code: str) -> str:
    page.goto(stack.portal_url + "/apply")
    expect(page.get_by_label("法人微信号")).to_have_count(0)
    page.get_by_label("企业名称").fill(name)
    page.get_by_label("企业代码", exact=True).fill(code)
    page.get_by_role("button", name="下一步：核对信息").click()
    expect(page.get_by_text("专属验证链接")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    return page.url


def legal_person_opens_the_link(page: Page, status_url: str, button: str) -> None:
    link = page.get_by_role("link", name="打开验证链接")
    expect(link).to_be_visible(timeout=20_000)
    link.click()
    page.get_by_role("button", name=button).click()  # waits while WeChat checks the company
    expect(page.get_by_role("status")).to_contain_text("本申请已结束")
    page.goto(status_url)


def test_v2_happy_path_through_the_verification_link(v2_stack, phone):
    status_url = submit_v2(phone, v2_stack, "杭州市新版接口测试有限公司", "91330100716105852F")
    expect(phone.get_by_role("img", name=re.compile("验证链接的二维码"))).to_be_visible(
        timeout=20_000
    )
    expect(phone.locator("[data-deadline]")).to_have_text(re.compile(r"2[34] 小时"))
    screenshot(phone, "v2-status-verification-link-phone")
    legal_person_opens_the_link(phone, status_url, "同意，并通过人脸核验")
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=20_000)
    expect(phone.get_by_role("link", name="打开验证链接")).to_have_count(0)
    screenshot(phone, "v2-status-success-phone")


def test_v2_face_check_failure_then_resubmit(v2_stack, phone):
    status_url = submit_v2(phone, v2_stack, "成都市新版人脸测试有限公司", "9144030071526726XG")
    legal_person_opens_the_link(phone, status_url, "人脸核验失败（状态 6）")
    expect(phone.get_by_text("人脸核验未通过", exact=True)).to_be_visible(timeout=20_000)
    expect(phone.locator("dl.facts")).to_contain_text("法定代表人")
    screenshot(phone, "v2-status-face-failed-phone")
    # Nothing to fix: one tap sends the same facts again, for a new link.
    phone.get_by_role("button", name="信息无需修改，重新提交").click()
    expect(phone.get_by_text("已重新提交")).to_be_visible()
    new_status = phone.url
    assert new_status != status_url
    legal_person_opens_the_link(phone, new_status, "同意，并通过人脸核验")
    expect(phone.locator("#appid")).to_be_visible(timeout=20_000)
