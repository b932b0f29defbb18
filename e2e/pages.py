"""Small page helpers that keep the journeys readable."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import wait_until


def fill_form(
    page: Page, *, name: str, code: str, person: str, wechat: str, code_type="统一社会信用代码"
):
    page.get_by_label("企业名称").fill(name)
    page.get_by_label("企业代码类型").select_option(label=code_type)
    page.get_by_label("企业代码", exact=True).fill(code)
    page.get_by_label("法人姓名").fill(person)
    page.get_by_label("法人微信号").fill(wechat)


def confirm_and_submit(page: Page) -> None:
    page.get_by_role("button", name="下一步：核对信息").click()
    expect(page.get_by_role("heading", name="请核对提交给微信的信息")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name="请保存本页链接")).to_be_visible()


def mark_page(page: Page) -> None:
    """Leave a marker in the page's JavaScript state; a reload would erase it."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def legal_person_task(sandbox_url: str, name: str) -> dict:
    def find():
        tasks = httpx.get(f"{sandbox_url}/sandbox/tasks").json()
        return next((t for t in tasks if t["name"] == name and t["state"] == "legal_person"), None)

    return wait_until(find, what=f"the template message for {name}")


def legal_person_decides(page: Page, sandbox_url: str, name: str, button: str) -> None:
    """Open the legal person's WeChat (the sandbox's simulator) and tap a button."""
    task = legal_person_task(sandbox_url, name)
    page.goto(f"{sandbox_url}/sandbox/legal-person/{task['id']}")
    expect(page.get_by_text("创建小程序申请")).to_be_visible()
    if button.startswith("让它过期") or "过期（" in button:
        page.get_by_text("让它过期").click()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status")).to_contain_text("本申请已结束")
