"""The whole go-live journey on a phone (375×812, WeChat's user agent), under both
registration APIs: the form, the legal person's approval in the sandbox, the status page
turning to success by itself, the checklist's four steps, a code audit rejected by
WeChat (the sandbox's 不通过 button) with its screenshots, the introduction changed and
the resubmission, its audit passed (通过) and the
released mini program with its 小程序码. Real processes: portal, sandbox and worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import DESKTOP, PHONE, screenshot
from e2e.pages import assert_not_reloaded, fill_form, mark_page
from portal.db import connect
from portal.golive import seed
from portal.sandbox.miniprograms.magic import FAIL_REASON
from portal.stack import FAST, Stack, running_stack
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e

#: Short sandbox delays, except the code audit: it waits for the sandbox page's buttons.
GOLIVE = {
    "PORTAL_SANDBOX_AUDIT_DELAY": "600",
    "PORTAL_SANDBOX_PRIVACY_SCAN": "1",
    "PORTAL_SANDBOX_NAME_AUDIT_DELAY": "1",
    "PORTAL_SANDBOX_CATEGORY_AUDIT_DELAY": "1",
    "PORTAL_SANDBOX_CHECK_DELAY": "1",
}
#: A company the sandbox's registry knows, and a mini program name without magic values.
COMPANY, CODE, PERSON = "深圳市沙箱科技有限公司", "91440300MA5DRX2K04", "李四"
NICKNAME = "李记面馆"
INTRO = "李记面馆提供手工面条的在线点餐、外卖和到店自提服务"
FOOD = "餐饮服务场所/餐饮服务管理企业"
FEEDBACK = "已补充首页的门店和菜单内容"
NEW_INTRO = "李记面馆提供手工拉面和刀削面的在线点餐与外卖服务"
LIVE = 90  # seconds: the worker's steps, each page poll and each push


@pytest.fixture(scope="module", params=["classic", "v2"])
def api(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def golive_stack(api, tmp_path_factory) -> Iterator[Stack]:
    """The three processes with the operator's setup saved (the sandbox's demo template)."""
    env = {**FAST, **GOLIVE, "PORTAL_WECHAT_REGISTER_API": api}
    with running_stack(tmp_path_factory.mktemp(f"golive-{api}"), env=env) as running:
        db = connect(running.env["PORTAL_DATABASE"])
        try:
            seed.ask(db)
            wait_until(lambda: seed.finish(db, "400-000-0000"), what="the operator's setup")
        finally:
            db.conn.close()
        yield running


@pytest.fixture
def photos(tmp_path) -> dict[str, Path]:
    """Photos as a phone's camera would give them, written to files for the file inputs."""

    def make(name: str, size: tuple[int, int], colour: tuple[int, int, int], fmt: str) -> Path:
        image = Image.new("RGB", size, (245, 245, 245))
        side = min(size) // 2
        image.paste(Image.new("RGB", (side, side), colour), ((size[0] - side) // 2, side // 2))
        path = tmp_path / name  # the name the merchant sees beside the picker
        image.save(path, fmt)
        return path

    return {
        "licence": make("licence.jpg", (1600, 1100), (200, 40, 40), "JPEG"),
        "avatar": make("avatar.png", (800, 800), (230, 120, 30), "PNG"),
        "permit": make("permit.jpg", (900, 1200), (40, 90, 200), "JPEG"),
    }


class Shots:
    """Numbered full-page screenshots: golive-journey-<api>-<n>-<stage>.png."""

    def __init__(self, api: str) -> None:
        self.api, self.n = api, 0

    def __call__(self, page: Page, stage: str) -> None:
        self.n += 1
        screenshot(page, f"golive-journey-{self.api}-{self.n:02d}-{stage}")


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide"


def card(page: Page, step: str):
    return page.locator(f"#step-{step}")


def badge(page: Page, step: str):
    return card(page, step).locator("summary .badge")


def ready(page: Page) -> None:
    expect(page.locator("#setup[data-ready=true]")).to_be_attached()


def apply(page: Page, stack: Stack, api: str) -> None:
    """The merchant fills the form, checks it and submits."""
    page.goto(stack.portal_url + "/")
    page.get_by_role("link", name="开始填写").click()
    if api == "classic":
        fill_form(page, name=COMPANY, code=CODE, person=PERSON, wechat="lisi_2024")
    else:
        expect(page.get_by_label("法人微信号")).to_have_count(0)
        page.get_by_label("企业名称").fill(COMPANY)
        page.get_by_label("企业代码", exact=True).fill(CODE)


def legal_person_approves(browser: Browser, stack: Stack, api: str) -> None:
    """On the legal person's own phone: the sandbox's list of tasks, then WeChat's page."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    link = "打开法人微信" if api == "classic" else "打开验证链接"
    row = page.locator("tr", has_text=COMPANY)

    def waiting() -> bool:
        page.goto(f"{stack.sandbox_url}/sandbox/")
        return row.filter(has_text="等待法人").count() == 1

    wait_until(waiting, what="the task to wait for the legal person")
    row.get_by_role("link", name=link).click()
    approve = "确认，并通过人脸核验" if api == "classic" else "同意，并通过人脸核验"
    page.get_by_role("button", name=approve).click()
    expect(page.get_by_role("status")).to_contain_text("本申请已结束")
    context.close()


def the_audit(browser: Browser, stack: Stack, appid: str, choice: str) -> None:
    """WeChat's reviewer: the sandbox's page for the mini program, a button on the audit."""
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    pending = page.locator("h2:has-text('代码审核') + div tr", has_text="审核中")

    def shown() -> bool:
        page.goto(f"{stack.sandbox_url}/sandbox/miniprograms/{appid}")
        return pending.count() == 1

    wait_until(shown, timeout=LIVE, what="a pending code audit on the sandbox page")
    pending.get_by_role("button", name=choice, exact=True).click()
    done = "审核不通过" if choice == "不通过" else "审核通过"
    expect(page.locator("h2:has-text('代码审核') + div tbody tr").first).to_contain_text(done)
    context.close()


def test_a_merchant_goes_live_on_a_phone(api, golive_stack, phone, browser, photos):
    stack, shot = golive_stack, Shots(api)
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.on("console", lambda m: m.type == "error" and errors.append(m.text))

    # The form, the confirmation, the status page.
    apply(phone, stack, api)
    fits_the_phone(phone)
    shot(phone, "form")
    phone.get_by_role("button", name="下一步：核对信息").click()
    expect(phone.get_by_role("heading", name="请核对提交给微信的信息")).to_be_visible()
    fits_the_phone(phone)
    shot(phone, "confirm")
    phone.get_by_role("button", name="确认提交").click()
    expect(phone.get_by_role("heading", name="请保存本页链接")).to_be_visible()
    mark_page(phone)
    if api == "v2":
        expect(phone.get_by_role("link", name="打开验证链接")).to_be_visible(timeout=20_000)
    else:
        expect(phone.locator(".badge")).to_have_text(re.compile("等待法定代表人"), timeout=20_000)
    fits_the_phone(phone)
    shot(phone, "status-waiting")

    # The legal person approves; the status page turns to success without a reload.
    legal_person_approves(browser, stack, api)
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=20_000)
    appid = phone.locator("#appid").input_value()
    entry = phone.get_by_role("link", name="开始上线设置")
    expect(entry).to_be_visible(timeout=20_000)
    assert_not_reloaded(phone)
    fits_the_phone(phone)
    shot(phone, "status-success")

    # The checklist.
    entry.click()
    expect(phone.get_by_role("heading", name="让小程序上线")).to_be_visible()
    ready(phone)
    fits_the_phone(phone)
    shot(phone, "checklist")

    name = card(phone, "name")
    name.get_by_label("小程序名称").fill(NICKNAME)
    name.get_by_label("营业执照照片").set_input_files(photos["licence"])
    expect(
        name.locator("[data-photo-field]", has=name.page.locator("#licence")).locator(
            "canvas.preview"
        )
    ).to_be_visible()
    shot(phone, "name")
    name.get_by_role("button", name="保存名称").click()
    expect(badge(phone, "name")).not_to_have_text("待填写")
    ready(phone)

    avatar = card(phone, "avatar")
    avatar.get_by_label("选择头像照片").set_input_files(photos["avatar"])
    expect(avatar.locator("canvas.preview")).to_be_visible()
    shot(phone, "avatar")
    avatar.get_by_role("button", name="保存头像").click()
    expect(card(phone, "avatar").get_by_alt_text("已保存的头像")).to_be_attached()
    ready(phone)

    intro = card(phone, "intro")
    intro.get_by_label("简介").fill(INTRO)
    intro.get_by_role("button", name="保存简介").click()
    expect(card(phone, "intro").locator(".step-value")).to_contain_text(INTRO[:10])
    ready(phone)

    category = card(phone, "category")
    expect(phone.locator("#category-filter")).to_be_attached(timeout=20_000)  # fetched by then
    category.get_by_label("搜索类目").fill("餐饮")
    category.get_by_text(FOOD).click()
    expect(category.locator("#category-chosen")).to_contain_text("餐饮 › 餐饮服务场所")
    category.get_by_label("食品经营许可证").set_input_files(photos["permit"])
    fits_the_phone(phone)
    shot(phone, "category")
    category.get_by_role("button", name="保存类目").click()
    expect(phone.locator(".overview")).to_contain_text("已保存 4 项")
    ready(phone)
    fits_the_phone(phone)
    shot(phone, "four-saved")

    # The worker sets the four steps and submits the code; WeChat's reviewer refuses it.
    mark_page(phone)
    audit = card(phone, "audit")
    expect(badge(phone, "audit")).to_have_text("微信审核中", timeout=LIVE * 1000)
    fits_the_phone(phone)
    shot(phone, "audit-waiting")
    the_audit(browser, stack, appid, "不通过")
    expect(audit).to_contain_text("微信审核未通过", timeout=20_000)
    reason = audit.locator(".pre")
    for item in re.findall(r"\d\.[^。]+。", FAIL_REASON):  # WeChat's numbered points, a line each
        expect(reason).to_contain_text(item)
    assert_not_reloaded(phone)
    # WeChat's screenshots, fetched by the worker, appear by themselves; a tap enlarges one
    first = audit.get_by_alt_text("审核问题截图 1")
    expect(first).to_be_visible(timeout=20_000)
    wait_until(lambda: first.evaluate("img => img.complete && img.naturalWidth > 0"),
               what="the audit's screenshot to load")  # fmt: skip
    audit.scroll_into_view_if_needed()
    fits_the_phone(phone)
    shot(phone, "audit-rejected")
    with phone.context.expect_page() as opened:
        first.click()
    big = opened.value
    big.wait_for_load_state()
    assert big.evaluate("document.images[0].naturalWidth") >= 300  # the full image
    big.close()

    # The merchant reopens the introduction, changes it, and resubmits with a note.
    intro = card(phone, "intro")
    intro.locator("summary").click()
    expect(intro.locator(".reopen-note")).to_be_visible()
    intro.get_by_label("简介").fill(NEW_INTRO)
    intro.get_by_role("button", name="保存简介").click()
    ready(phone)
    expect(audit).to_contain_text("您已修改：简介")
    audit.scroll_into_view_if_needed()
    shot(phone, "audit-fixed")
    audit.get_by_label("给审核人员的说明（选填）").fill(FEEDBACK)
    audit.get_by_role("button", name="重新提交审核").click()
    ready(phone)
    mark_page(phone)
    expect(badge(phone, "audit")).to_have_text("微信审核中", timeout=LIVE * 1000)
    shot(phone, "resubmitted")
    expect(card(phone, "intro").locator(".step-value")).to_contain_text(NEW_INTRO[:10])
    timeline = phone.locator("#setup-timeline")
    expect(timeline).to_contain_text("商户已修改简介并补充了说明")
    the_audit(browser, stack, appid, "通过")
    release = card(phone, "release")
    expect(release).to_contain_text("小程序已发布上线", timeout=20_000)
    code = release.get_by_alt_text("小程序码")
    expect(code).to_be_visible()
    assert_not_reloaded(phone)
    wait_until(lambda: code.evaluate("img => img.complete && img.naturalWidth > 0"),
               what="the 小程序码 to load")  # fmt: skip
    release.scroll_into_view_if_needed()
    fits_the_phone(phone)
    shot(phone, "live")

    # Back on the status link, the one the merchant saved and comes back to.
    phone.get_by_role("link", name="‹ 返回申请进度").click()
    expect(phone.locator("#appid")).to_have_value(appid)
    fits_the_phone(phone)
    shot(phone, "status-after-live")

    assert errors == []
