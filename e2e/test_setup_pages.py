"""The go-live checklist in real Chromium on a phone (375×812, WeChat's user agent):
the four merchant steps filled in, the worker's results arriving without a reload, and
the browser's rules saying exactly what the server's say (portal/golive/rules.py)."""

from __future__ import annotations

import io
from dataclasses import asdict

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE, screenshot
from e2e.pages import assert_not_reloaded, mark_page
from portal.db import connect
from portal.golive import audits, outcomes, rules
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.sandbox.miniprograms import catalog
from portal.stack import FAST, running_stack
from tests.merchant.test_setup_rules import BROWSER, png_header
from tests.registration.facts import facts


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Portal and sandbox, no worker: the test plays the worker's part through the
    domain, so each result arrives exactly when the test says."""
    with running_stack(tmp_path_factory.mktemp("setup"), env=FAST, worker=False) as running:
        yield running


@pytest.fixture(scope="module")
def db(stack):
    yield (database := connect(stack.env["PORTAL_DATABASE"]))
    database.conn.close()


def choices() -> list[dict]:
    """The sandbox's categories for an enterprise, as the worker stores them (groups)."""
    nodes = {node["id"]: node for node in catalog.tree(catalog.ENTERPRISE)}
    groups = lambda n: [[i["name"] for i in g["inner_list"]] for g in n["qualify"]["exter_list"]]  # noqa: E731
    return [{"first": n["father"], "first_name": nodes[n["father"]]["name"], "second": n["id"],
             "second_name": n["name"], "sensitive": n["sensitive_type"] == 1, "groups": groups(n),
             "qualifications": [name for g in groups(n) for name in g]}
            for n in nodes.values() if n["level"] == 2]  # fmt: skip


def offer(db, setup) -> None:
    """The worker has fetched the categories this mini program may add."""
    outcomes.progress(db, setup["id"], st.CATEGORY, "choices", {"choices": choices()}, "")


def authorized(db, name: str, appid: str) -> tuple[dict, dict]:
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name))
    subs.transition(db, sub["id"], subs.AUTHORIZED, "", expect=[subs.QUEUED], appid=appid)
    return subs.get(db, sub["id"]), st.open_setup(db, sub["id"], appid)


def photo(size=(1600, 1000), fmt="JPEG") -> bytes:
    """A grey photo with a red square in its middle (what a centred crop keeps)."""
    image, side = Image.new("RGB", size, (245, 245, 245)), size[1] // 2
    image.paste(Image.new("RGB", (side, side), (220, 60, 40)), ((size[0] - side) // 2, side // 2))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes, mime="image/jpeg") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


SAVED = "已保存，等待提交"


def card(page: Page, step: str):
    return page.locator(f"#step-{step}")


def badge(page: Page, step: str):
    return card(page, step).locator("summary .badge")


def ready(page: Page) -> None:  # the script wired the forms (a test is quicker than a person)
    expect(page.locator("#setup[data-ready=true]")).to_be_attached()


def fits_the_phone(page: Page) -> None:
    """Nothing wider than the screen, and every control big enough for a thumb."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    small = page.evaluate("""() => [...document.querySelectorAll(
        '#setup button, #setup summary, #setup label.choice, #setup input[type=file], .overview a')]
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
        .map(e => e.textContent.trim().slice(0, 30) || e.outerHTML.slice(0, 60))""")
    assert small == []


def test_a_merchant_fills_the_four_steps_on_a_phone(stack, db, phone):
    errors = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sub, setup = authorized(db, "广州市上线清单科技有限公司", "wx00000000000000a1")
    phone.goto(f"{stack.portal_url}/s/{sub['public_id']}")
    screenshot(phone, "setup-status-entry-phone")
    phone.get_by_role("link", name="开始上线设置").click()
    expect(phone.get_by_role("heading", name="让小程序上线")).to_be_visible()
    ready(phone)
    expect(card(phone, "category")).to_contain_text("正在向微信获取可选类目，请稍候刷新")
    fits_the_phone(phone)
    screenshot(phone, "setup-start-phone")

    # The worker fetches the categories: the card shows the picker without a reload.
    mark_page(phone)
    offer(db, setup)
    expect(phone.locator("#category-filter")).to_be_attached(timeout=20_000)
    assert_not_reloaded(phone)

    # 1. Name: the browser says what the server would, before anything is sent.
    name = card(phone, "name")
    name.get_by_label("小程序名称").fill("张记小程序")
    name.get_by_label("小程序名称").blur()
    expect(name.locator("#nickname-error")).to_have_text(rules.check_nickname("张记小程序").error)
    expect(name.locator("#nickname-counter")).to_contain_text("长度 10/30")
    name.get_by_label("小程序名称").fill("张记面馆")
    expect(name.locator("#nickname-error")).to_be_hidden()
    name.get_by_role("button", name="保存名称").click()
    expect(name.locator("#licence-error")).to_contain_text("请上传营业执照照片")
    name.get_by_label("营业执照照片").set_input_files(upload("licence.jpg", photo()))
    expect(
        name.locator("[data-photo-field]", has=name.page.locator("#licence")).locator(
            "canvas.preview"
        )
    ).to_be_visible()
    screenshot(phone, "setup-name-phone")
    name.get_by_role("button", name="保存名称").click()
    expect(badge(phone, "name")).to_have_text(SAVED)
    ready(phone)
    phone.go_back()  # back never posts again: the page as it was, with the name kept
    expect(badge(phone, "name")).to_have_text(SAVED)
    phone.go_forward()
    ready(phone)

    # 2. Avatar: a file that is not a photo is refused at once; a photo is previewed square.
    avatar = card(phone, "avatar")
    expect(avatar.locator("details")).to_have_attribute("open", "")
    choose = avatar.get_by_label("选择头像照片").set_input_files
    choose(upload("menu.txt", b"not a photo", "text/plain"))
    expect(avatar.locator("#avatar-error")).to_have_text(rules.NOT_A_PHOTO)
    choose(upload("bomb.png", png_header(1, 10**9), "image/png"))
    expect(avatar.locator("#avatar-error")).to_have_text(rules.TOO_MANY_PIXELS)
    choose(upload("shop.png", photo(fmt="PNG"), "image/png"))
    expect(avatar.locator("#avatar-error")).to_be_hidden()
    expect(avatar.locator("canvas.preview")).to_be_visible()
    screenshot(phone, "setup-avatar-preview-phone")
    avatar.get_by_role("button", name="保存头像").click()
    expect(badge(phone, "avatar")).to_have_text(SAVED)
    expect(card(phone, "avatar").get_by_alt_text("已保存的头像")).to_be_attached()
    ready(phone)

    # 3. Introduction: a live counter; what is typed survives a reload before it is saved.
    intro = card(phone, "intro")
    intro.get_by_label("简介").fill("本店最好吃")
    expect(intro.locator("#signature-counter")).to_contain_text("5/120 字，其中汉字 5 个")
    phone.reload()
    ready(phone)
    intro = card(phone, "intro")
    expect(intro.get_by_label("简介")).to_have_value("本店最好吃")
    intro.get_by_role("button", name="保存简介").click()
    refused = rules.check_introduction("本店最好吃").error
    expect(intro.locator("#signature-error")).to_have_text(refused)
    intro.get_by_label("简介").fill("张记面馆提供手工面条的在线点餐、外卖和到店自提服务")
    intro.get_by_role("button", name="保存简介").click()
    expect(badge(phone, "intro")).to_have_text(SAVED)
    ready(phone)

    # 4. Category: the filter finds it; its permit is asked for before it is sent.
    category = card(phone, "category")
    category.get_by_label("搜索类目").fill("餐饮")
    expect(category.get_by_text("家政服务")).to_be_hidden()
    category.get_by_text("餐饮服务场所/餐饮服务管理企业").click()
    expect(category.locator("#category-chosen")).to_contain_text("餐饮 › 餐饮服务场所")
    screenshot(phone, "setup-category-phone")
    category.get_by_role("button", name="保存类目").click()
    expect(category.locator("#documents-error")).to_contain_text("请上传“食品经营许可证”的照片")
    category.get_by_label("食品经营许可证").set_input_files(upload("p.jpg", photo((900, 1200))))
    category.get_by_role("button", name="保存类目").click()
    expect(badge(phone, "category")).to_have_text(SAVED)

    expect(phone.locator(".overview")).to_contain_text("已保存 4 项")
    fits_the_phone(phone)
    screenshot(phone, "setup-four-saved-phone")
    saved = st.steps(db, setup["id"])
    assert saved["name"]["input"] == {"nickname": "张记面馆"}
    assert saved["category"]["input"]["qualifications"] == ["食品经营许可证"]
    assert errors == []


def test_the_worker_results_arrive_without_a_reload(stack, db, phone):
    sub, setup = authorized(db, "深圳市上线进度科技有限公司", "wx00000000000000a2")
    offer(db, setup)
    for step in st.MERCHANT_STEPS:
        st.give(db, setup["id"], step, {"nickname": "进度面馆", "signature": "提供面条外卖服务"})
    phone.goto(f"{stack.portal_url}/s/{sub['public_id']}/setup")
    ready(phone)
    mark_page(phone)
    outcomes.working(db, setup["id"], st.NAME, 60)
    expect(badge(phone, "name")).to_have_text("正在提交给微信", timeout=20_000)
    for step in st.MERCHANT_STEPS:
        outcomes.done(db, setup["id"], step, {}, "已设置")
    outcomes.working(db, setup["id"], st.DEPLOY, 60, phase="commit")
    st.give_file(db, setup["id"], st.RELEASE, "trial_qr", "image/jpeg", photo((430, 430)))
    outcomes.progress(db, setup["id"], st.DEPLOY, "privacy", {}, "代码已上传，微信正在做隐私检测")
    expect(card(phone, "deploy")).to_contain_text("最新进展：代码已上传", timeout=20_000)
    expect(card(phone, "release").get_by_alt_text("体验版二维码")).to_be_visible()
    screenshot(phone, "setup-deploying-phone")

    outcomes.done(db, setup["id"], st.DEPLOY, {"auditid": 7}, "已提交微信审核")
    audits.submitted(db, setup["id"], 7)
    reason = "1.小程序页面存在功能不完整或内容空白的情况，请完善后再提交。2.服务类目与实际提供的服务不符。"
    audits.apply(db, setup["id"], audits.REJECTED, reason, ("s1",), auto_release=False)
    audit = card(phone, "audit")
    expect(audit).to_contain_text("微信审核未通过", timeout=20_000)
    expect(audit.get_by_role("button", name="重新提交审核")).to_be_visible()
    assert_not_reloaded(phone)
    fits_the_phone(phone)
    screenshot(phone, "setup-audit-rejected-phone")
    audit.get_by_label("给审核人员的说明（选填）").fill("已补充商品详情页")
    audit.get_by_role("button", name="重新提交审核").click()
    expect(badge(phone, "deploy")).to_have_text("即将开始")
    ready(phone)

    outcomes.done(db, setup["id"], st.DEPLOY, {"auditid": 8}, "已提交微信审核")
    audits.submitted(db, setup["id"], 8)
    audits.apply(db, setup["id"], audits.PASSED, auto_release=True)
    st.give_file(db, setup["id"], st.RELEASE, "wxacode", "image/png", photo((430, 430), "PNG"))
    outcomes.done(db, setup["id"], st.RELEASE, {}, "小程序码已生成，可长按保存分享")
    release = card(phone, "release")
    expect(release).to_contain_text("小程序已发布上线", timeout=20_000)
    expect(release.get_by_alt_text("小程序码")).to_be_visible()
    release.scroll_into_view_if_needed()
    screenshot(phone, "setup-live-phone")


def test_without_javascript_the_steps_are_plain_forms(stack, db, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    sub, setup = authorized(db, "广州市无脚本科技有限公司", "wx00000000000000a4")
    offer(db, setup)
    page.goto(f"{stack.portal_url}/s/{sub['public_id']}/setup")
    page.get_by_label("小程序名称").fill("无脚本面馆")
    page.get_by_label("营业执照照片").set_input_files(upload("licence.jpg", photo()))
    page.get_by_role("button", name="保存名称").click()
    expect(badge(page, "name")).to_have_text(SAVED)
    card(page, "category").locator("summary").click()
    page.get_by_text("餐饮服务场所/餐饮服务管理企业").click()
    page.get_by_role("button", name="保存类目").click()  # the server asks for the permit
    expect(page.locator("#documents-error")).to_contain_text("请上传“食品经营许可证”的照片")
    expect(page.locator("input[value='6:601']")).to_be_checked()
    page.get_by_label("食品经营许可证").set_input_files(upload("permit.jpg", photo((1200, 1600))))
    screenshot(page, "setup-no-script-phone")
    page.get_by_role("button", name="保存类目").click()
    expect(badge(page, "category")).to_have_text(SAVED)
    assert st.step(db, setup["id"], st.CATEGORY)["input"]["qualifications"] == ["食品经营许可证"]
    context.close()


LISTED = choices()
FOOD = rules.find_choice(LISTED, "6:601")[0]
PHARMACY = rules.find_choice(LISTED, "3:303")[0]  # two groups: a photo of each
COURIER = rules.find_choice(LISTED, "1:101")[0]  # one group of two alternatives
OLD_SHAPE = {"second_name": "旧类目", "qualifications": ["甲证", "乙证"]}  # flat: one group
#: Each rule of portal/golive/rules.py, as the browser's window.setupRules answers it.
SERVER = {
    "nickname": lambda raw: asdict(rules.check_nickname(raw)),
    "introduction": lambda raw: asdict(rules.check_introduction(raw)),
    "feedback": lambda raw: asdict(rules.check_feedback(raw)),
    "testers": lambda raw: dict(zip(("value", "error"), rules.check_testers(raw), strict=True)),
    "photoProblem": lambda size, head, *rest: rules.photo_problem(size, bytes(head), *rest),
    "findChoice": lambda *a: dict(zip(("choice", "error"), rules.find_choice(*a), strict=True)),
    "missingDocuments": rules.missing_documents,
}
TEXTS = ("nickname", "introduction", "feedback", "testers")
CASES = (
    [(rule, (raw,)) for rule in TEXTS for raw in BROWSER[rule]]
    + [("photoProblem", (size, list(head), *rest)) for size, head, *rest in BROWSER["photo"]]
    + [("findChoice", (LISTED, raw)) for raw in ("6:601", "8:801", "", "9:1", "601")]
    + [("missingDocuments", (FOOD, have)) for have in ([], ["食品经营许可证"], ["别的证"])]
    + [("missingDocuments", (PHARMACY, have))
       for have in ([], ["药品经营许可证"], ["互联网药品信息服务资格证书", "药品经营许可证"])]
    + [("missingDocuments", (COURIER, have)) for have in ([], ["道路运输经营许可证"])]
    + [("missingDocuments", (OLD_SHAPE, have)) for have in ([], ["乙证"])]
)  # fmt: skip


@pytest.fixture(scope="module")
def rules_page(stack, db, browser):
    sub, _ = authorized(db, "广州市规则一致科技有限公司", "wx00000000000000a3")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{stack.portal_url}/s/{sub['public_id']}/setup")
    ready(page)
    yield page
    context.close()


@pytest.mark.parametrize(("rule", "args"), CASES, ids=lambda c: repr(c)[:40])
def test_the_browser_checks_each_input_as_the_server_does(rules_page, rule, args):
    in_browser = rules_page.evaluate(f"(args) => window.setupRules.{rule}(...args)", list(args))
    assert in_browser == SERVER[rule](*args)
