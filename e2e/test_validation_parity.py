"""The browser's instant checks say exactly what the server's authoritative checks say."""

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
    yield page
    context.close()


@pytest.mark.parametrize("flavor", sorted(FLAVORS))
@pytest.mark.parametrize("change", CASES, ids=lambda c: repr(c)[:60])
def test_browser_and_server_agree(form_page, change, flavor):
    raw, fields = {**BASE, **change}, list(FLAVORS[flavor].field_names)
    in_browser = form_page.evaluate("([raw, fields]) => window.fastRegisterValidate(raw, fields)",
                                    [raw, fields])  # fmt: skip
    assert in_browser == python_view(raw, fields)
