"""The legal person approves in the sandbox's simulator; the portal sees it authorized."""

from playwright.sync_api import expect

from e2e.conftest import screenshot
from portal.db import connect
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.conftest import wait_until
from tests.registration.facts import facts


def test_legal_person_approves_in_the_simulator_at_phone_size(stack, phone):
    db = connect(stack.env["PORTAL_DATABASE"])
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("浏览器测试科技有限公司"))
    wait_until(lambda: subs.get(db, sub["id"])["state"] != subs.QUEUED, what="sent to WeChat")
    phone.goto(f"{stack.sandbox_url}/sandbox/")
    expect(phone.get_by_text("浏览器测试科技有限公司")).to_be_visible()
    screenshot(phone, "sandbox-index-phone")
    phone.get_by_role("link", name="打开法人微信").first.click()
    approve = phone.get_by_role("button", name="确认，并通过人脸核验")
    expect(approve).to_be_visible()  # the page refreshes itself while WeChat checks
    expect(phone.get_by_text("公众平台安全助手")).to_be_visible()
    screenshot(phone, "sandbox-legal-person-phone")
    approve.click()
    expect(phone.get_by_role("status")).to_contain_text("新小程序 AppID")
    authorized = wait_until(
        lambda: (row := subs.get(db, sub["id"]))["state"] == subs.AUTHORIZED and row,
        what="authorized",
    )
    assert authorized["appid"] in phone.get_by_role("status").inner_text()
    db.conn.close()
