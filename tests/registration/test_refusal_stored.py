"""A classic refusal is decided once, when WeChat's word arrives, and stored: the status
page, its poll, webhooks and the JSON API, the merchant's SMS and the staff dashboard
all say "refused", never "not confirmed in 24 hours"."""

import json
import time

from portal.db import connect, migrate
from portal.migrations import MIGRATIONS
from portal.notify import consent
from portal.registration import reports, results
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS, Probe
from portal.registration.timing import Timing
from portal.registration.webhooks import represent
from portal.wechat import codes
from portal.wechat.events import RegisterResultEvent
from tests.registration.facts import facts

REFUSAL = codes.ENDED_EARLY[100003]


def waiting(db, name, phone="13800138000", deadline_in=20 * 3600.0):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), contact_phone=phone)
    consent.grant(db, sub["id"])
    now = time.time()
    row = subs.get(db, sub["id"])
    assert subs.transition(db, sub["id"], subs.SENDING, "", expect=[row["state"]])
    assert subs.transition(
        db, sub["id"], subs.AWAITING, "", expect=[subs.SENDING],
        deadline_at=now + deadline_in, next_search_at=now + 60, sent_at=now - 60,
        first_sent_at=now - 60,
    )  # fmt: skip
    return subs.get(db, sub["id"])


def sms_values(db, sub):
    rows = db.query("SELECT moment, params FROM sms_messages WHERE submission_id = ?", [sub["id"]])
    return {r["moment"]: json.loads(r["params"]) for r in rows}


def ended(db, sub, ended_in: float):
    """WeChat's 100003, stamped ``ended_in`` seconds from now (a push's CreateTime)."""
    now = time.time()
    stamp = int(now + ended_in)
    info = {k: sub[k] for k in ("name", "code", "legal_persona_wechat", "legal_persona_name")}
    event = RegisterResultEvent(
        info_type="notify_third_fasteregister",
        create_time=stamp,
        fields={},
        status=100003,
        info=info,
    )
    return results.apply_push(db, event, Timing(), now)


def test_an_early_100003_is_stored_as_a_refusal_and_everyone_says_so(client, db):
    sub = waiting(db, "拒绝存储科技有限公司")
    assert ended(db, sub, 0) == (sub["id"], "refused")
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"], row["refused"]) == (subs.EXPIRED, 100003, 1)
    assert status_view.poll(row)["label"] == status_view.REFUSED_LABEL
    represented = represent(row, row, False, "https://portal.example")
    shown = represented["result_status"]
    assert shown["title"] == REFUSAL.title and shown["code"] == 100003
    assert represented["state_label"] == status_view.REFUSED_LABEL
    assert sms_values(db, sub)["failed"] == ["被法人拒绝"]
    timeline = [e["detail"] for e in subs.timeline(db, sub["id"])]
    assert "微信推送结果：法定代表人拒绝了申请（100003）" in timeline
    [group] = [f for f in reports.dashboard(db)["failures"] if f["code"] == 100003]
    assert group["entry"].refusal and group["count"] == 1


def test_a_100003_at_the_end_of_the_24_hours_stays_an_expiry(db):
    sub = waiting(db, "超时存储科技有限公司", deadline_in=1800)
    assert ended(db, sub, 0) == (sub["id"], subs.EXPIRED)
    row = subs.get(db, sub["id"])
    assert (row["state"], row["refused"]) == (subs.EXPIRED, 0)
    assert status_view.poll(row)["label"] == status_view.STATE_LABELS[subs.EXPIRED]
    shown = represent(row, row, False, "https://portal.example")["result_status"]
    assert shown["title"] != REFUSAL.title
    assert sms_values(db, sub)["failed"] == ["已超时"]


def test_the_push_time_decides_not_when_it_arrived(db):
    """A push made at the deadline but delivered late is a timeout; WeChat's CreateTime
    is the moment the task ended."""
    sub = waiting(db, "迟到推送科技有限公司", deadline_in=7200)
    ended(db, sub, 7000)
    assert subs.get(db, sub["id"])["refused"] == 0


def test_a_query_that_finds_the_task_ended_early_stores_a_refusal_too(db):
    sub = waiting(db, "查询拒绝科技有限公司")
    entry = FLAVORS["classic"].result(100003)
    results.probed(db, sub["id"], Probe("ended", 100003, entry), Timing())
    row = subs.get(db, sub["id"])
    assert (row["state"], row["refused"]) == (subs.EXPIRED, 1)
    assert sms_values(db, sub)["failed"] == ["被法人拒绝"]


def test_migration_22_finds_the_refusals_already_stored(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    migrate(db, MIGRATIONS[:21])
    now = time.time()
    rows = (  # (push status, deadline after the end, the latest push's outcome): refused?
        (100003, 20 * 3600, None, 1),  # found ended by a query, early
        (100003, 600, None, 0),
        (100001, 20 * 3600, None, 0),
        (100003, 20 * 3600, "expired", 1),  # the push ended it, early
        (100003, 20 * 3600, "resend", 0),  # an orphan's push, then a silent expiry
    )
    for n, (status, margin, pushed, _) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO submissions (id, public_id, flavor, name, code, match_key, state, "
            "push_status, deadline_at, created_at, updated_at) "
            "VALUES (?, ?, 'classic', 'n', ?, ?, 'expired', ?, ?, ?, ?)",
            [n, f"p{n}", f"c{n}", f"k{n}", status, now + margin, now - 60, now],
        )
        if pushed:
            db.execute(
                "INSERT INTO pushes (received_at, fingerprint, info_type, create_time, xml, "
                "fields, submission_id, outcome) "
                "VALUES (?, ?, 'notify_third_fasteregister', ?, '', '{}', ?, ?)",
                [now, f"f{n}", int(now), n, pushed],
            )
    db.conn.commit()
    assert 22 in migrate(db)
    found = [r["refused"] for r in db.query("SELECT refused FROM submissions ORDER BY id")]
    assert found == [expected for *_, expected in rows]


def test_a_success_after_a_refusal_is_no_refusal(db):
    """A stale refusal, then the mini program is found: the success reads as one, and its
    SMS carries no "refused" value."""
    sub = waiting(db, "先拒后成科技有限公司")
    ended(db, sub, 0)
    results.found_success(db, sub["id"], "wx1234567890abcdef", "在已授权账号中找到新小程序")
    row = subs.get(db, sub["id"])
    assert (row["state"], row["refused"]) == (subs.SUCCEEDED, 0)
    assert status_view.poll(row)["label"] == status_view.STATE_LABELS[subs.SUCCEEDED]
    assert sms_values(db, sub)["succeeded"] == []


def test_lists_and_the_find_page_label_a_refusal_as_one(client, db):
    from portal import accounts
    from portal.registration.recovery import recoverable
    from tests.consoles.conftest import login

    sub = waiting(db, "列表拒绝科技有限公司")
    ended(db, sub, 0)
    [found] = recoverable(db, sub["code"], sub["legal_persona_wechat"])
    assert status_view.state_label(found) == status_view.REFUSED_LABEL
    accounts.create_user(db, "kefu", "correct-horse-battery", "staff")
    login(client, "kefu", "correct-horse-battery")
    listed = client.get("/staff/search", query_string={"code": sub["code"]}).get_data(as_text=True)
    rows = listed.split("<tbody>", 1)[1]
    assert status_view.REFUSED_LABEL in rows and "已过期" not in rows
