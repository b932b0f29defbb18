"""Three short journeys in Chromium for features built with route tests only: the SMS
opt-in on a phone (item 4), a resubmission WeChat would refuse (89249, item 6), and the
staff search by a phone's last 4 digits and the dashboard's counters as links (item 9)."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.pages import confirm_and_submit, fill_form
from e2e.test_consoles import ensure_account, log_in, nav
from portal.db import connect
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.stack import FAST, running_stack
from tests.conftest import wait_until
from tests.registration.facts import code_for, facts

PHONE_LABEL = "联系电话（选填，可凭它找回进度页）"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """One stack for the three journeys, its SMS going to the sandbox's phones page."""
    env = {**FAST, "PORTAL_SMS_PROVIDER": "sandbox"}
    with running_stack(tmp_path_factory.mktemp("journeys"), env=env) as running:
        yield running


def test_sms_opt_in_texts_the_legal_person_moment_and_can_be_turned_off(stack, phone, browser):
    name, mobile = "广州市短信开关测试科技有限公司", "13800138000"
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name=name, code=code_for(name), person="张三", wechat="zhangsan_88")
    phone.get_by_label(PHONE_LABEL).fill(mobile)
    phone.get_by_label("接收短信通知").check()
    phone.get_by_role("button", name="下一步：核对信息").click()
    expect(phone.get_by_text("接收（可随时在进度页关闭）")).to_be_visible()
    phone.get_by_role("button", name="确认提交").click()
    expect(phone.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    sms = phone.locator("#sms")
    expect(sms).to_contain_text("短信通知：已开启")
    expect(sms).to_contain_text("138****8000")
    expect(sms).not_to_contain_text(mobile)
    screenshot(phone, "journey-sms-on-phone")

    def legal_person_text():
        texts = httpx.get(f"{stack.sandbox_url}/sandbox/sms/messages").json()
        return next(
            (t for t in texts if t["phone"] == f"+86{mobile}" and t["moment"] == "legal_person"),
            None,
        )

    text = wait_until(legal_person_text, 20, f"the legal-person text to {mobile}")
    sandbox = phone.context.new_page()
    sandbox.goto(f"{stack.sandbox_url}/sandbox/sms/")
    section = sandbox.locator(f'section.phone[data-phone="+86{mobile}"]')
    message = section.locator('[data-moment="legal_person"]')
    expect(message).to_have_count(1)
    expect(message).to_contain_text(text["text"])
    expect(message).to_contain_text("已送达微信")
    screenshot(sandbox, "journey-sms-sandbox-phone")
    sandbox.close()

    sms.get_by_role("button", name="关闭短信通知").click()
    expect(phone.get_by_text("已关闭短信通知，平台不会再给您发短信")).to_be_visible()
    expect(sms).to_contain_text("短信通知：未开启")
    expect(sms.get_by_role("button", name="关闭短信通知")).to_have_count(0)
    screenshot(phone, "journey-sms-off-phone")


def test_a_running_task_disables_resubmit_until_wechat_takes_it(stack, phone):
    name = "沙箱E89249重复任务科技有限公司"  # E89249: create answers "a task is running"
    phone.goto(stack.portal_url + "/apply")
    fill_form(phone, name=name, code=code_for(name), person="张三", wechat="zhangsan_88")
    confirm_and_submit(phone)
    expect(phone.locator(".badge").first).to_have_text("微信未受理", timeout=20_000)
    expect(phone.get_by_text("该企业已有注册任务在进行", exact=True)).to_be_visible()
    expect(phone.get_by_text("（代码 89249）")).to_be_visible()
    hint = phone.locator("#retry-hint")
    expect(hint).to_contain_text(re.compile(r"最晚可在 .+ 之后再次提交"))
    button = phone.get_by_role("button", name=re.compile(r"\d\d月\d\d日 \d\d:\d\d 之后可重新提交"))
    expect(button).to_be_disabled()
    # ...and looks it: not the green of a button that can be pressed.
    expect(button).not_to_have_css("background-color", "rgb(6, 132, 74)")
    expect(button).to_have_css("cursor", "not-allowed")
    # The hint and the button give the same moment, 24 hours after WeChat refused.
    when = re.search(r"(\d\d)月(\d\d)日 (\d\d:\d\d)", button.inner_text()).groups()
    assert f"-{when[0]}-{when[1]} {when[2]} 之后再次提交" in hint.inner_text()
    screenshot(phone, "journey-89249-resubmit-disabled-phone")


def test_staff_find_by_phone_tail_and_counters_open_filtered_lists(stack, desktop):
    name, mobile = "深圳市客服尾号测试有限公司", "13700002468"
    ensure_account(stack, "e2e_journey_staff", "staff")
    db = connect(stack.env["PORTAL_DATABASE"])
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), contact_phone=mobile)
    wait_until(
        lambda: subs.get(db, sub["id"])["state"] == subs.AWAITING, 20, "the legal person's step"
    )
    db.conn.close()

    log_in(desktop, stack, "e2e_journey_staff")
    expect(desktop.get_by_role("heading", name="客服看板")).to_be_visible()
    desktop.get_by_label("联系电话（全号或后 4 位）").fill(mobile[-4:])
    desktop.get_by_role("button", name="查找").click()
    row = desktop.get_by_role("row", name=re.compile(name))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(mobile)
    expect(row).to_contain_text("等待法定代表人核验")
    screenshot(desktop, "journey-staff-phone-tail-desktop")

    nav(desktop).get_by_role("link", name="客服看板").click()
    counter = desktop.get_by_role("link", name=re.compile(r"^今天等待法定代表人核验：\d+$"))
    count = int(counter.inner_text())
    assert count >= 1
    counter.click()
    expect(desktop.get_by_role("heading", name="查找申请")).to_be_visible()
    assert "state=awaiting_legal_person" in desktop.url and "date_from=" in desktop.url
    expect(desktop.get_by_text(f"{count} 条结果")).to_be_visible()
    expect(desktop.get_by_role("row", name=re.compile(name))).to_have_count(1)
    states = desktop.locator("tbody tr td:nth-child(4)")
    assert set(states.all_inner_texts()) == {"等待法定代表人核验"}
    screenshot(desktop, "journey-staff-counter-list-desktop")
