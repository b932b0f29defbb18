"""The same company, twice, on the merchant's pages and in the API; and "back" after
submitting (issue 21, items 1 and 14)."""

import re

import pytest

from portal import accounts
from portal import apikeys as keys
from portal.registration import submissions as subs
from portal.validation_codes import usci_check_char
from tests.merchant.helpers import FORM, confirm, csrf_token, post_form, submit

APPID = "wx0123456789abcdef"
MASKED = "wx01…cdef"


def usci(n: int) -> str:
    """A well-formed credit code of its own (Shenzhen's division, digits only)."""
    body = f"91440300{n:09d}"
    return body + usci_check_char(body)


def public_id(location: str) -> str:
    return location.rsplit("/", 1)[1]


def succeed(db, location: str) -> dict:
    sub = subs.get_by_public_id(db, public_id(location))
    db.execute(
        "UPDATE submissions SET state = 'succeeded', appid = ? WHERE id = ?", [APPID, sub["id"]]
    )
    db.conn.commit()
    return sub


def count(db) -> int:
    return db.execute("SELECT count(*) FROM submissions").fetchone()[0]


@pytest.fixture
def registered(app, db) -> dict:
    """FORM's company already has a mini program, submitted from another browser."""
    return succeed(db, submit(app.test_client()))


def test_the_confirmation_warns_a_stranger_without_opening_the_other_submission(client, registered):
    page = post_form(client, legal_persona_wechat="lisi_2024").get_data(as_text=True)
    assert "这家公司已通过本平台注册过小程序" in page and MASKED in page
    assert APPID not in page and registered["public_id"] not in page
    assert 'href="/find"' in page and "我确认要为同一家公司再注册一个小程序" in page


def test_nothing_is_stored_until_the_merchant_ticks_the_box(client, db, registered):
    response = confirm(client, legal_persona_wechat="lisi_2024")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and count(db) == 1
    assert "还没有提交" in page and 'aria-invalid="true"' in page and 'value="lisi_2024"' in page
    ticked = confirm(client, legal_persona_wechat="lisi_2024", same_company="yes")
    assert ticked.status_code == 302 and count(db) == 2


def test_the_same_facts_after_success_are_caught_too(client, db, registered):
    """The tester's case: the very same company resubmitted after it had succeeded."""
    assert confirm(client).status_code == 409 and count(db) == 1


def test_the_submitting_browser_is_led_to_its_own_status_page(client, db):
    location = submit(client)
    succeed(db, location)
    page = post_form(client, legal_persona_wechat="lisi_2024").get_data(as_text=True)
    assert f'href="{location}"' in page and "查看原来的小程序的进度页" in page


def test_a_company_found_by_name_alone_with_another_code(client, registered):
    page = post_form(client, code=usci(7)).get_data(as_text=True)
    assert "这家公司已通过本平台注册过小程序" in page


def test_another_company_is_not_warned(client, registered):
    page = post_form(client, name="广州市另一家科技有限公司", code=usci(8)).get_data(as_text=True)
    assert "请核对提交给微信的信息" in page and "same-company" not in page
    assert confirm(client, name="广州市另一家科技有限公司", code=usci(8)).status_code == 302


def test_identical_facts_in_flight_open_that_submission_without_a_tick(app, client, db):
    first = submit(app.test_client())
    page = post_form(client).get_data(as_text=True)
    assert "相同信息的申请正在办理中" in page and "我确认要" not in page
    response = confirm(client)
    assert response.status_code == 302 and response.headers["Location"] == first
    assert count(db) == 1


def test_other_facts_in_flight_for_the_company_need_the_tick(app, client, db):
    submit(app.test_client())
    page = post_form(client, legal_persona_name="李四").get_data(as_text=True)
    assert "这家公司已有一个申请正在办理中" in page and "我确认要" in page
    assert confirm(client, legal_persona_name="李四").status_code == 409


def test_the_form_shown_again_with_errors_warns_as_well(client, registered):
    response = post_form(client, legal_persona_wechat="13800138000")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "这家公司已通过本平台注册过小程序" in page


def test_one_tap_resubmit_goes_through_the_confirmation_when_the_company_has_one(
    client, db, registered
):
    location = submit(client, legal_persona_wechat="lisi_2024", same_company="yes")
    failed = subs.get_by_public_id(db, public_id(location))
    subs.transition(db, failed["id"], subs.EXPIRED, "", expect=[subs.QUEUED], push_status=100003)
    assert "信息无需修改，重新提交" in client.get(location).get_data(as_text=True)
    token = csrf_token(client)
    response = client.post(f"{location}/resubmit", data={"csrf_token": token})
    assert response.status_code == 302 and "/apply?from=" in response.headers["Location"]
    assert count(db) == 2


def test_the_new_status_page_says_the_company_has_one_and_what_to_do(client, db, registered):
    location = submit(client, legal_persona_wechat="lisi_2024", same_company="yes")
    page = client.get(location).get_data(as_text=True)
    assert "这家公司已通过本平台注册过小程序" in page and MASKED in page
    assert "再注册一个新的小程序" in page and "不要完成" in page and 'href="/find"' in page
    old = client.get(f"/s/{registered['public_id']}").get_data(as_text=True)
    assert "same-company" not in old  # the older one is not about the newer


# Back after submitting (item 14).


def test_back_after_submitting_shows_the_just_submitted_notice(client, db):
    location = submit(client)
    assert client.get("/apply/confirm").headers["Location"].endswith("/apply")  # draft gone
    page = client.get("/apply").get_data(as_text=True)
    notice = re.search(r'<p class="notice ok just-submitted".*?</p>', page, re.S).group(0)
    assert "您刚刚提交过（广州市示例科技有限公司）" in notice and f'href="{location}"' in notice
    with client.session_transaction() as session:
        cookie = str(dict(session))
    assert FORM["name"] not in cookie and FORM["legal_persona_wechat"] not in cookie


def test_a_fresh_browser_sees_no_just_submitted_notice(app, client):
    submit(client)
    assert "just-submitted" not in app.test_client().get("/apply").get_data(as_text=True)


def test_the_confirmation_is_never_kept_by_the_browser(client):
    post_form(client)
    assert client.get("/apply/confirm").headers["Cache-Control"] == "no-store"


# The API: 409 same_company unless allowed; a partner never sees another's id.


def api(client, key, **body):
    return client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {key}"}, json=body)


@pytest.fixture
def api_key(db) -> str:
    scopes = ("submissions:read", "submissions:write", "personal_data:read")
    return keys.create(db, "CRM", scopes, None)[1]


def api_facts(**changes):
    return {k: v for k, v in {**FORM, **changes}.items() if v}


def test_the_api_refuses_a_second_one_unless_allowed(client, db, api_key):
    partner = accounts.create_partner(db, "甲代理")
    first = api(client, api_key, **api_facts(partner_id=partner)).get_json()
    refused = api(client, api_key, **api_facts(partner_id=partner, legal_persona_name="李四"))
    error = refused.get_json()["error"]
    assert refused.status_code == 409 and error["code"] == "same_company"
    assert [s["id"] for s in error["submissions"]] == [first["id"]]
    assert error["other_submissions_exist"] is False and count(db) == 1
    allowed = api(
        client, api_key, **api_facts(partner_id=partner, legal_persona_name="李四"),
        allow_same_company=True,
    )  # fmt: skip
    assert allowed.status_code == 201 and count(db) == 2


def test_a_partner_learns_only_that_another_partners_submission_exists(client, db, api_key):
    mine = accounts.create_partner(db, "甲代理")
    theirs = accounts.create_partner(db, "乙代理")
    other = api(client, api_key, **api_facts(partner_id=theirs)).get_json()
    refused = api(client, api_key, **api_facts(partner_id=mine, legal_persona_name="李四"))
    error = refused.get_json()["error"]
    assert refused.status_code == 409 and error["submissions"] == []
    assert error["other_submissions_exist"] is True
    assert set(error) == {"status", "code", "message", "submissions", "other_submissions_exist"}
    assert other["status_url"].rsplit("/", 1)[1] not in refused.get_data(as_text=True)


# Staff see one company's submissions together.


def test_staff_see_the_companys_other_submissions_and_can_search_by_its_code(app, db):
    from tests.consoles.conftest import PASSWORD, login

    first = succeed(db, submit(app.test_client()))
    second = public_id(submit(app.test_client(), name="广州市示例餐饮有限公司", same_company="yes"))
    stranger = public_id(submit(app.test_client(), name="广州市别家科技有限公司", code=usci(9)))
    accounts.create_user(db, "staff", PASSWORD, "staff")
    staff = app.test_client()
    assert login(staff, "staff").status_code == 302
    second_id = subs.get_by_public_id(db, second)["id"]
    page = staff.get(f"/staff/submissions/{second_id}").get_data(as_text=True)
    section = page[page.index('id="same-company"') :]
    assert "同一公司的其他提交（1）" in section and APPID in section
    assert f'href="/staff/submissions/{first["id"]}"' in section
    stranger_id = subs.get_by_public_id(db, stranger)["id"]
    assert f'href="/staff/submissions/{stranger_id}"' not in section
    found = staff.get(f"/staff/search?code={FORM['code'].lower()}").get_data(as_text=True)
    assert f"/staff/submissions/{first['id']}" in found
    assert f"/staff/submissions/{second_id}" in found
