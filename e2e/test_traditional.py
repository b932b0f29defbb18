"""Names typed in traditional characters, in real Chromium at phone size.

The browser's converter (opencc-js, static/js/vendor/) simplifies exactly as the
server's (OpenCC, portal/names.py), and one tap on "改为简体：…" puts the simplified name
in the field; the merchant taps it, the form never changes a name by itself.

The pages come from the portal's app (classic and v2) through Playwright's routing, with
its headers (CSP included) and its static/: no processes to start for these checks.
"""

import pytest
from playwright.sync_api import Page, Route, expect

import portal
from e2e.conftest import screenshot
from e2e.test_validation_parity import python_view
from portal.names import simplified
from portal.registration.flavors import FLAVORS
from tests import test_chinese as words
from tests import test_validation as table
from tests.conftest import CREDENTIALS

TYPED = "廣州市沙箱餐飲管理有限公司"
LICENCE = "广州市沙箱餐饮管理有限公司"
ORIGIN = "http://portal.test"


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """The portal under each registration API, its test client answering the browser."""
    made = {}
    for api in sorted(FLAVORS):
        folder = tmp_path_factory.mktemp(api)
        app = portal.create_app(
            {**CREDENTIALS, "TESTING": True, "DATABASE": str(folder / "portal.sqlite"),
             "WECHAT_API_BASE": "http://sandbox", "WECHAT_REGISTER_API": api}
        )  # fmt: skip
        made[api] = app.test_client()
    return made


def serve(page: Page, client) -> None:
    def answer(route: Route) -> None:
        request = route.request
        response = client.open(
            request.url.removeprefix(ORIGIN), method=request.method,
            data=request.post_data_buffer, headers=request.headers,
        )  # fmt: skip
        body = response.get_data()
        response.close()  # a static file's handle
        route.fulfill(status=response.status_code, headers=dict(response.headers), body=body)

    page.route(ORIGIN + "/**", answer)


@pytest.fixture(scope="module")
def form_page(apps, browser):
    context = browser.new_context()
    page = context.new_page()
    serve(page, apps["classic"])
    page.goto(ORIGIN + "/apply")
    page.evaluate("() => window.fastRegisterValidate.ready")
    yield page
    context.close()


def test_the_browser_converts_the_word_list_as_the_server(form_page):
    texts = sorted(
        {*words.TRADITIONAL_WORDS, *words.WORDS, *words.NAMES, *table.TRADITIONAL_NAMES,
         *table.TRADITIONAL_PERSONS, *table.SIMPLIFIED_COMPANIES, *table.SIMPLIFIED_PERSONS}
    )  # fmt: skip
    in_browser = form_page.evaluate(
        "texts => texts.map(t => [window.fastRegisterSimplified(t, false),"
        " window.fastRegisterSimplified(t, true)])",
        texts,
    )
    on_server = [[simplified(t), simplified(t, person=True)] for t in texts]
    differ = [
        f"{t}: browser {b}, server {s}"
        for t, b, s in zip(texts, in_browser, on_server, strict=True)
        if b != s
    ]
    assert not differ, f"{len(differ)} of {len(texts)} differ:\n" + "\n".join(differ)
    assert (
        len(texts) >= 500 and sum(s[0] != t for t, s in zip(texts, on_server, strict=True)) >= 500
    )


@pytest.mark.parametrize("flavor", sorted(FLAVORS))
def test_person_and_simplified_names_are_checked_alike(form_page, flavor):
    fields = list(FLAVORS[flavor].field_names)
    changes = (
        [{"legal_persona_name": p} for p in [*table.TRADITIONAL_PERSONS, *table.SIMPLIFIED_PERSONS]]
        + [{"name": n} for n in table.SIMPLIFIED_COMPANIES]
    )  # fmt: skip
    raws = [{**table.VALID, **change} for change in changes]
    in_browser = form_page.evaluate(
        "([raws, fields]) => raws.map((raw) => window.fastRegisterValidate(raw, fields))",
        [raws, fields],
    )
    assert in_browser == [python_view(raw, fields) for raw in raws]


def tap_fix(page: Page, field: str, typed: str, licence: str) -> None:
    box = page.get_by_label(field)
    box.fill(typed)
    box.blur()
    fix = page.get_by_role("button", name=f"改为简体：{licence}")
    expect(fix).to_be_visible()
    fix.tap()
    expect(box).to_have_value(licence)
    expect(fix).to_be_hidden()


def test_one_tap_puts_the_simplified_names_in(apps, phone):
    blocked = []
    phone.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    serve(phone, apps["classic"])
    phone.goto(ORIGIN + "/apply")
    assert phone.evaluate("() => typeof window.OpenCC.Converter") == "function"
    phone.get_by_label("企业名称").fill(TYPED)
    phone.get_by_label("企业名称").blur()
    phone.get_by_label("法人姓名").fill("張偉")
    phone.get_by_label("法人姓名").blur()
    expect(phone.locator("#name-warning")).to_contain_text(f"应为“{LICENCE}”")
    expect(phone.locator("#legal_persona_name-warning")).to_contain_text("应为“张伟”")
    screenshot(phone, "traditional-name-offer")
    tap_fix(phone, "企业名称", TYPED, LICENCE)
    tap_fix(phone, "法人姓名", "張偉", "张伟")
    expect(phone.locator("#name-warning")).to_be_hidden()
    expect(phone.locator("#legal_persona_name-warning")).to_be_hidden()
    screenshot(phone, "traditional-name-fixed")
    assert not blocked


def test_the_v2_form_offers_the_fix_for_the_name(apps, phone):
    serve(phone, apps["v2"])
    phone.goto(ORIGIN + "/apply")
    expect(phone.get_by_label("法人姓名")).to_have_count(0)
    tap_fix(phone, "企业名称", "臺灣鴻海精密工業股份有限公司", "台湾鸿海精密工业股份有限公司")
    expect(phone.locator("#name-warning")).to_be_hidden()
