"""Item 15: ``/apply?from=<public_id>`` prefills the legal person's facts only for
someone who proved they may see them.

The public id is the status link's secret, and status links travel (partner links,
logs, a forwarded chat). Whoever has one gets the company's facts, which are public
(the business licence, the national credit system), but not the legal person's name,
WeChat ID or the contact phone. The browser that submitted, or staff (audited), gets
the whole form back, so the fix-and-resubmit journey stays one tap for the merchant.
"""

from portal.registration import submissions as subs
from tests.consoles.conftest import login
from tests.merchant.helpers import submit

SECRETS = ('value="张三"', 'value="zhangsan_88"', 'value="13912345678"')


def failed(client, db):
    location = submit(client, contact_phone="13912345678")
    sub = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    subs.transition(
        db, sub["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=103, push_msg="x"
    )
    return sub


def test_a_stranger_with_the_status_link_gets_only_the_companys_public_facts(app, client, db):
    sub = failed(client, db)
    stranger = app.test_client()
    response = stranger.get(f"/apply?from={sub['public_id']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="广州市示例科技有限公司"' in page and 'value="9144030071526726XG"' in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert "为保护个人信息" in page  # the merchant reads why those fields are empty
    # The resubmission is still linked to the one it fixes.
    assert f'value="{sub["public_id"]}"' in page


def test_the_browser_that_submitted_gets_the_whole_form_back(client, db):
    sub = failed(client, db)
    page = client.get(f"/apply?from={sub['public_id']}").get_data(as_text=True)
    for secret in SECRETS:
        assert secret in page, secret
    assert "为保护个人信息" not in page


def test_a_resubmission_from_the_submitting_browser_stays_prefilled(client, db):
    sub = failed(client, db)
    again = submit(client, legal_persona_name="张叁", previous=sub["public_id"])
    new = subs.get_by_public_id(db, again.rsplit("/", 1)[1])
    subs.transition(
        db, new["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=103, push_msg="x"
    )
    page = client.get(f"/apply?from={new['public_id']}").get_data(as_text=True)
    assert 'value="张叁"' in page and 'value="zhangsan_88"' in page


def test_staff_resubmitting_on_the_merchants_behalf_get_the_facts_audited(app, client, db):
    from portal import accounts

    sub = failed(client, db)
    accounts.create_user(db, "staff", "correct-horse-battery", "staff")
    accounts.create_user(db, "partner", "correct-horse-battery", "partner",
                         accounts.create_partner(db, "甲代理"))  # fmt: skip
    staff = app.test_client()
    login(staff, "staff", "correct-horse-battery")
    page = staff.get(f"/apply?from={sub['public_id']}").get_data(as_text=True)
    assert 'value="张三"' in page and 'value="zhangsan_88"' in page
    audit = db.execute(
        "SELECT username, action, target FROM audit_log WHERE action = 'view submission'"
    ).fetchall()
    assert ("staff", "view submission", f"submission {sub['id']}") in [tuple(r) for r in audit]
    partner = app.test_client()
    login(partner, "partner", "correct-horse-battery")
    page = partner.get(f"/apply?from={sub['public_id']}").get_data(as_text=True)
    assert 'value="张三"' not in page and 'value="zhangsan_88"' not in page


def test_a_succeeded_or_running_submission_is_not_a_form_to_resubmit(client, db):
    location = submit(client)
    sub = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    running = client.get(f"/apply?from={sub['public_id']}")
    assert running.status_code == 303 and running.headers["Location"].endswith(location)
    subs.transition(
        db, sub["id"], subs.SUCCEEDED, "", expect=[subs.QUEUED], appid="wx0123456789abcdef"
    )
    done = client.get(f"/apply?from={sub['public_id']}")
    assert done.status_code == 303
    page = client.get(location).get_data(as_text=True)
    assert "不需要重新提交" in page
