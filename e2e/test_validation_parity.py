"""The browser's instant checks say exactly what the server's authoritative checks say.

Every case of tests/test_validation.py's tables runs in one page.evaluate per flavor (a
call per case took most of the time); a failure lists each case that differs.
"""

import pytest

from portal.registration.flavors import FLAVORS
from portal.validation import validate
from tests import test_validation as table

BASE = table.VALID
CASES = (
    [{}]
    + [{"code_type": t, "code": c} for t, c in table.VALID_CODES]
    + [{"code_type": t, "code": c} for t, c, _ in table.CODE_MISTAKES]
    + [{"legal_persona_wechat": w} for w, _ in table.WECHAT_MISTAKES]
    + [{f: raw} for f, raw, _ in table.NORMALIZATIONS]
    + [{"legal_persona_name": p} for p, _, _ in table.PERSON_CHECKS]
    + [{"name": n} for n in table.REAL_NAMES]
    + [{"name": n} for n, _ in table.NAME_MISTAKES]
    + [{"name": n} for n in table.BRAND_NAMES + table.TRADITIONAL_NAMES]
    + [{"contact_phone": p} for p, _ in table.PHONES]
    + [{"code_type": "2", "code": c} for c in table.ORG_CODE_PASTES]
    + [{"code": c} for c in table.STRUCTURED_CODES]
    + [{"code": c} for c, _, _ in table.CODE_STRUCTURE]
    + [{"name": n} for n, _, _ in table.NAME_STRUCTURE]
    + [{"name": n} for n in table.WELL_FORMED_NAMES]
    + [{"legal_persona_wechat": w} for w, _ in table.WECHAT_QUESTIONS]
    + [{"name": "个体户李四"}, {"name": "Tencent"}, {"code_type": "3", "code": "110108000000017"},
       {"code_type": "2", "code": "80210043－3"}, {"name": "", "code": "", "legal_persona_name": ""}]
)  # fmt: skip


def python_view(raw, fields):
    result = validate(raw, fields)
    return {
        "values": result.values,
        "errors": result.errors,
        "warnings": result.warnings,
        "changes": {k: list(v) for k, v in result.changes.items()},
    }


@pytest.fixture(scope="module")
def form_page(stack, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(stack.portal_url + "/apply")
    page.evaluate("() => window.fastRegisterValidate.ready")  # the GB/T 2260 data is in
    yield page
    context.close()


@pytest.mark.parametrize("flavor", sorted(FLAVORS))
def test_browser_and_server_agree(form_page, flavor):
    fields = list(FLAVORS[flavor].field_names)
    raws = [{**BASE, **change} for change in CASES]
    in_browser = form_page.evaluate(
        "([raws, fields]) => raws.map((raw) => window.fastRegisterValidate(raw, fields))",
        [raws, fields],
    )
    differ = [
        f"{change!r}:\n  browser {got!r}\n  server  {want!r}"
        for change, raw, got in zip(CASES, raws, in_browser, strict=True)
        if got != (want := python_view(raw, fields))
    ]
    assert not differ, f"{len(differ)} of {len(CASES)} cases differ:\n" + "\n".join(differ)
