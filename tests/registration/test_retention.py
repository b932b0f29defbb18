"""Personal data is purged PORTAL_PERSONAL_DATA_DAYS after a submission ended."""

import time

import pytest

from portal.registration import retention
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import login
from tests.registration.facts import facts

DAY = 86400


def age(db, sub, days):
    db.execute("UPDATE submissions SET updated_at = ? WHERE id = ?",
               [time.time() - days * DAY, sub["id"]])  # fmt: skip
    db.conn.commit()


def ended(db, jobs, wechat_side, name="沙箱S103保留科技有限公司", **changes):
    sub, _ = subs.submit(
        db, FLAVORS["classic"], facts(name, **changes), contact_phone="13800138000"
    )
    jobs.run_once()
    wechat_side()  # the failure push, with the legal person's facts in its XML
    return subs.get(db, sub["id"])


def test_the_worker_purges_an_ended_submission_past_retention(db, jobs, wechat_side):
    sub = ended(db, jobs, wechat_side)
    assert sub["state"] == subs.FAILED
    jobs.run_once()
    assert subs.get(db, sub["id"])["purged_at"] is None  # not old enough
    age(db, sub, 181)
    jobs.ctx.purged_at = 0
    jobs.run_once()
    after = subs.get(db, sub["id"])
    assert after["purged_at"] and after["legal_persona_name"] == "张*"
    assert after["legal_persona_wechat"] == "zh*******88" and after["contact_phone"] == ""
    assert "zhangsan_88" not in after["match_key"] and "张三" not in after["match_key"]
    push = db.execute(
        "SELECT xml, fields FROM pushes WHERE submission_id = ?", [sub["id"]]
    ).fetchone()
    assert push[0] == "" and "zhangsan_88" not in push[1] and "张三" not in push[1]
    audit = db.execute("SELECT username, action, target FROM audit_log").fetchall()
    assert ("worker", "purge personal data", "1 submissions") in [tuple(r) for r in audit]


def test_an_authorized_submission_keeps_what_the_platform_needs(db, jobs, wechat_side):
    sub, _ = subs.submit(
        db, FLAVORS["classic"], facts("沙箱S0保留科技有限公司"), contact_phone="13800138000"
    )
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    authorized = subs.get(db, sub["id"])
    assert authorized["state"] == subs.AUTHORIZED
    age(db, sub, 200)
    retention.run(db, 180, actor="test")
    after = subs.get(db, sub["id"])
    assert after["legal_persona_name"] == "张*" and after["contact_phone"] == "13800138000"
    assert (after["name"], after["code"], after["appid"]) == (
        authorized["name"], authorized["code"], authorized["appid"])  # fmt: skip
    assert db.execute("SELECT count(*) FROM authorizers WHERE appid = ?",
                      [after["appid"]]).fetchone()[0] == 1  # fmt: skip


def test_in_flight_submissions_are_never_purged(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    age(db, sub, 1000)
    assert retention.run(db, 180, actor="test") == 0
    assert subs.get(db, sub["id"])["legal_persona_name"] == "张三"


def test_a_sole_traders_name_is_masked_too(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("个体户张三"))
    subs.transition(db, sub["id"], subs.REJECTED, "", expect=[subs.QUEUED])
    age(db, sub, 365)
    retention.run(db, 180, actor="test")
    assert subs.get(db, sub["id"])["name"] == "个体户张*"


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_purges_on_demand_with_a_dry_run(app, db, dry_run):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    subs.transition(db, sub["id"], subs.EXPIRED, "", expect=[subs.QUEUED])
    age(db, sub, 181)
    args = ["purge-personal-data", *(["--dry-run"] if dry_run else [])]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0
    assert ("1 submissions would be purged" if dry_run else "1 submissions purged") in result.output
    assert (subs.get(db, sub["id"])["purged_at"] is None) is dry_run


def test_pages_say_the_data_was_purged_instead_of_breaking(app, client, db, jobs, wechat_side):
    from portal import accounts

    sub = ended(db, jobs, wechat_side)
    age(db, sub, 181)
    retention.run(db, 180, actor="test")
    accounts.create_user(db, "staff", "correct-horse-battery", "staff")
    login(client, "staff", "correct-horse-battery")
    page = client.get(f"/staff/submissions/{sub['id']}").get_data(as_text=True)
    assert "按保留期限清除" in page and "zhangsan_88" not in page
    push_id = db.execute("SELECT id FROM pushes WHERE submission_id = ?", [sub["id"]]).fetchone()[0]
    assert "推送原文已按个人信息保留期限清除" in client.get(f"/staff/pushes/{push_id}").get_data(
        as_text=True
    )
    status = app.test_client().get(f"/s/{sub['public_id']}")
    assert status.status_code == 200 and "zhangsan_88" not in status.get_data(as_text=True)
    refill = app.test_client().get(f"/apply?from={sub['public_id']}").get_data(as_text=True)
    assert "张*" not in refill and "zh*******88" not in refill
