"""Personal data is purged PORTAL_PERSONAL_DATA_DAYS after a submission ended."""

import json
import time

import pytest

from portal import audit
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


def test_in_flight_submissions_within_retention_are_not_purged(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    age(db, sub, 100)
    assert retention.run(db, 180, actor="test") == 0
    assert subs.get(db, sub["id"])["legal_persona_name"] == "张三"


def stuck(db, state, name="广州市滞留科技有限公司"):
    """A submission left in ``state`` (never finished) with the legal person's facts."""
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), contact_phone="13800138000")
    if state != subs.QUEUED:
        extra = {"held_from": subs.SENDING} if state == subs.HELD else {}
        subs.transition(db, sub["id"], state, "", expect=[subs.QUEUED], **extra)
    return subs.get(db, sub["id"])


@pytest.mark.parametrize(
    "state", [subs.HELD, subs.SENDING, subs.QUEUED, subs.CHECKING, subs.AWAITING]
)
def test_stuck_submissions_past_retention_are_purged_and_ended(db, state):
    sub = stuck(db, state)
    age(db, sub, 181)
    assert retention.run(db, 180, actor="test") == 1
    after = subs.get(db, sub["id"])
    assert after["purged_at"] and after["legal_persona_name"] == "张*"
    assert after["legal_persona_wechat"] == "zh*******88" and after["contact_phone"] == ""
    assert "zhangsan_88" not in after["match_key"]
    # Ended, so the masked facts are never sent to WeChat (or released by staff).
    assert after["state"] == subs.EXPIRED
    assert "保留期限" in subs.timeline(db, sub["id"])[-1]["detail"]
    # The same company may apply again: the purged row blocks nothing.
    again, created = subs.submit(db, FLAVORS["classic"], facts("广州市滞留科技有限公司"))
    assert created


def test_a_stuck_success_keeps_its_state_and_what_the_platform_needs(db):
    sub = stuck(db, subs.CHECKING)
    subs.transition(db, sub["id"], subs.SUCCEEDED, "", expect=[subs.CHECKING], appid="wx1")
    subs.transition(db, sub["id"], subs.HELD, "", expect=[subs.SUCCEEDED],
                    held_from=subs.SUCCEEDED)  # fmt: skip
    age(db, sub, 181)
    assert retention.run(db, 180, actor="test") == 1
    after = subs.get(db, sub["id"])
    assert after["purged_at"] and after["legal_persona_name"] == "张*"
    assert after["state"] == subs.HELD and after["contact_phone"] == "13800138000"


PUSH_XML = (
    "<xml><AppId>wx0123456789abcdef</AppId><InfoType>notify_third_fasteregister</InfoType>"
    "<info><name>广州市孤儿推送科技有限公司</name><legal_persona_name>张三</legal_persona_name>"
    "<legal_persona_wechat>zhangsan_88</legal_persona_wechat></info></xml>"
)


def unmatched_push(db, days, fingerprint):
    fields = {"legal_persona_name": "张三", "legal_persona_wechat": "zhangsan_88", "status": 0}
    db.execute(
        "INSERT INTO pushes (received_at, fingerprint, info_type, xml, fields, submission_id) "
        "VALUES (?, ?, 'notify_third_fasteregister', ?, ?, NULL)",
        [time.time() - days * DAY, fingerprint, PUSH_XML, json.dumps(fields, ensure_ascii=False)],
    )
    db.conn.commit()


def test_unmatched_pushes_lose_their_xml_past_retention(db):
    unmatched_push(db, 181, "old")
    unmatched_push(db, 10, "recent")
    retention.run(db, 180, actor="test")
    rows = {r["fingerprint"]: r for r in db.query("SELECT * FROM pushes")}
    assert rows["old"]["xml"] == ""
    assert "张三" not in rows["old"]["fields"] and "zhangsan_88" not in rows["old"]["fields"]
    assert json.loads(rows["old"]["fields"])["status"] == 0
    assert rows["recent"]["xml"] == PUSH_XML


def search_audit(db, days, detail):
    db.execute(
        "INSERT INTO audit_log (at, username, action, target, detail, address) "
        "VALUES (?, 'staff', 'search submissions', '', ?, '10.0.0.1')",
        [time.time() - days * DAY, detail],
    )
    db.conn.commit()


def test_staff_search_terms_leave_the_audit_log_past_retention(db):
    search_audit(db, 181, "name=个体户张三&legal_name=张三&wechat=zhangsan_88&state=failed")
    search_audit(db, 10, "legal_name=李四")
    retention.run(db, 180, actor="test")
    old, recent = [
        audit.shown(r)
        for r in db.query("SELECT * FROM audit_log WHERE action = 'search submissions' ORDER BY at")
    ]
    for secret in ("张三", "zhangsan_88"):
        assert secret not in old["detail"]
    assert "状态：failed" in old["detail"] and "已按保留期限清除" in old["detail"]
    assert (old["username"], old["address"]) == ("staff", "10.0.0.1")  # who searched stays
    assert recent["detail"] == "法人姓名：李四"
    assert audit.SEARCH_PURGED == retention.SEARCH_PURGED  # one mark, two layers


def test_kept_idempotent_answers_are_erased(db):
    from portal import apikeys

    key_id, _ = apikeys.create(db, "CRM", ["submissions:write"], None)
    for key, days in (("old", 181), ("day-old", 2), ("fresh", 0)):
        db.execute(
            "INSERT INTO idempotency_keys VALUES (?, ?, 'h', 201, ?, ?)",
            [key_id, key, '{"legal_person": {"name": "张三"}}', time.time() - days * DAY - 1],
        )
    db.conn.commit()
    retention.run(db, 180, actor="test")
    left = [r[0] for r in db.execute("SELECT key FROM idempotency_keys")]
    assert left == ["fresh"]  # past its 24 hours a kept answer is never replayed again


def test_the_purge_is_audited_and_its_own_line_stays(db):
    unmatched_push(db, 181, "old")
    search_audit(db, 181, "legal_name=张三")
    retention.run(db, 180, actor="test")
    lines = list(db.query("SELECT * FROM audit_log WHERE action = 'purge personal data'"))
    assert len(lines) == 1 and lines[0]["username"] == "test"
    assert "1 pushes" in lines[0]["detail"] and "1 searches" in lines[0]["detail"]
    db.execute("UPDATE audit_log SET at = ?", [time.time() - 400 * DAY])
    db.conn.commit()
    retention.run(db, 180, actor="test")
    kept = list(db.query("SELECT * FROM audit_log WHERE action = 'purge personal data'"))
    assert kept[0] == lines[0] | {"at": kept[0]["at"]}


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


def test_message_pushes_lose_their_xml_past_retention(db):
    now = time.time()
    for event, fields in (
        ("weapp_audit_fail", '{"Reason": "页面空白"}'),
        ("", '{"Content": "你好"}'),
    ):
        db.execute(
            "INSERT INTO message_pushes (received_at, fingerprint, appid, to_user, msg_type, "
            "event, create_time, xml, fields, outcome) VALUES (?, ?, 'wx0', 'gh_1', 'event', ?, 1, "
            "'<xml>openid</xml>', ?, 'recorded')",
            [now - 200 * 86400, event + "x", event, fields],
        )
    db.conn.commit()
    retention.run(db, 180, actor="test")
    rows = db.execute("SELECT event, xml, fields FROM message_pushes ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("weapp_audit_fail", "", '{"Reason": "页面空白"}'),
        ("", "", "{}"),
    ]
