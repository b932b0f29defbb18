"""The merchant's opt-in: off by default, a mobile number needed, kept with its time,
shown on the status page and turned off there."""

import re

from portal.notify import consent
from portal.registration import submissions as subs
from tests.merchant.helpers import confirm, csrf_token, post_form, submit


def sub_of(db, location):
    return subs.get_by_public_id(db, location.rsplit("/", 1)[1])


def test_the_checkbox_is_off_by_default_and_says_what_comes(client):
    page = client.get("/apply").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="sms_opt_in"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert "接收短信通知" in page and consent.WHAT_YOU_GET in page


def test_no_tick_no_consent(client, db):
    sub = sub_of(db, submit(client, contact_phone="13800138000"))
    assert consent.get(db, sub["id"]) is None
    assert "短信通知：未开启" in client.get(f"/s/{sub['public_id']}").get_data(as_text=True)


def test_a_tick_without_a_mobile_number_is_explained_beside_the_phone(client):
    response = post_form(client, contact_phone="020-12345678", sms_opt_in="y")
    assert response.status_code == 422
    assert consent.NEEDS_MOBILE in response.get_data(as_text=True)


def test_the_tick_is_carried_through_the_confirmation_and_kept_with_its_time(client, db):
    page = post_form(client, contact_phone="13800138000", sms_opt_in="y").get_data(as_text=True)
    assert 'name="sms_opt_in" value="y"' in page and "接收（可随时在进度页关闭）" in page
    sub = sub_of(db, submit(client, contact_phone="13800138000", sms_opt_in="y"))
    row = consent.get(db, sub["id"])
    assert row["granted_at"] > 0 and row["revoked_at"] is None
    status = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "短信通知：<strong>已开启</strong>" in status and "138****8000" in status


def test_the_merchant_turns_sms_off_on_the_status_page(client, db):
    sub = sub_of(db, submit(client, contact_phone="13800138000", sms_opt_in="y"))
    url = f"/s/{sub['public_id']}"
    response = client.post(f"{url}/sms/off", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert consent.get(db, sub["id"])["revoked_at"] is not None
    page = client.get(url).get_data(as_text=True)
    assert "已关闭短信通知" in page and "短信通知：未开启" in page


def test_turning_off_needs_the_pages_token(client, db):
    sub = sub_of(db, submit(client, contact_phone="13800138000", sms_opt_in="y"))
    client.post(f"/s/{sub['public_id']}/sms/off", data={})
    assert consent.active(db, sub["id"])


def test_a_resubmission_from_the_status_page_keeps_the_choice(client, db):
    sub = sub_of(db, submit(client, contact_phone="13800138000", sms_opt_in="y"))
    subs.transition(db, sub["id"], subs.EXPIRED, "", expect=[subs.QUEUED], push_status=100003)
    url = f"/s/{sub['public_id']}"
    response = client.post(f"{url}/resubmit", data={"csrf_token": csrf_token(client, url)})
    successor = sub_of(db, response.headers["Location"])
    assert successor["id"] != sub["id"] and consent.active(db, successor["id"])


def test_a_status_page_without_sms_sets_no_cookie(app, client, db):
    """No off button, no CSRF token: a stranger's look at a status link writes no session."""
    location = submit(client)
    stranger = app.test_client()
    page = stranger.get(location)
    assert page.status_code == 200 and "短信通知：未开启" in page.get_data(as_text=True)
    assert "Set-Cookie" not in page.headers


def test_a_submission_and_its_consent_are_saved_together_or_not_at_all(
    app, client, db, monkeypatch
):
    """A crash between the two would leave a merchant who asked for texts without them."""

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(consent, "grant", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = confirm(client, contact_phone="13800138000", sms_opt_in="y")
    assert response.status_code == 500
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
