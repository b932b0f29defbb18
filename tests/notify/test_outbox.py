"""The SMS outbox: no consent no SMS, one message per moment, the hooks in the domain."""

import json
import time

from portal.golive import outcomes
from portal.golive import steps as st
from portal.notify import consent, outbox
from portal.registration import submissions as subs
from tests.notify.conftest import PHONE, move, opted_in


def messages(db, sub=None):
    where, args = ("WHERE submission_id = ?", [sub["id"]]) if sub else ("", [])
    return list(db.query(f"SELECT * FROM sms_messages {where} ORDER BY id", args))


def test_no_consent_no_sms(db):
    sub = opted_in(db, granted=False)
    move(db, sub, subs.SENDING, claimed_until=time.time() + 60)
    move(db, sub, subs.AWAITING, deadline_at=time.time() + 86400, next_search_at=time.time())
    assert messages(db, sub) == []


def test_the_legal_person_moment_is_queued_with_the_hours_left(db):
    sub = opted_in(db)
    move(db, sub, subs.SENDING, claimed_until=time.time() + 60)
    move(db, sub, subs.AWAITING, deadline_at=time.time() + 23.6 * 3600, next_search_at=time.time())
    [row] = messages(db, sub)
    assert (row["moment"], row["phone"], json.loads(row["params"])) == (
        "legal_person",
        f"+86{PHONE}",
        ["24"],
    )
    assert row["state"] == "queued" and row["audience"] == "merchant"


def test_one_moment_never_queues_twice(db):
    sub = opted_in(db)
    row = {**subs.get(db, sub["id"]), "state": "failed"}
    assert outbox.submission_changed(db, row, "awaiting_legal_person", time.time())
    assert not outbox.submission_changed(db, row, "held", time.time())
    assert [m["moment"] for m in messages(db, sub)] == ["failed"]
    assert json.loads(messages(db, sub)[0]["params"]) == ["未通过"]


def test_a_landline_or_no_phone_gets_nothing(db):
    sub = opted_in(db, phone="020-12345678")
    row = {**subs.get(db, sub["id"]), "state": "succeeded"}
    assert not outbox.submission_changed(db, row, "checking", time.time())
    assert messages(db) == []


def test_revoking_consent_drops_what_is_queued(db):
    sub = opted_in(db)
    outbox.submission_changed(db, {**subs.get(db, sub["id"]), "state": "expired"}, "checking", 1.0)
    assert consent.revoke(db, sub["id"])
    assert messages(db, sub)[0]["state"] == "dropped"
    outbox.submission_changed(db, {**subs.get(db, sub["id"]), "state": "succeeded"}, "x", 2.0)
    assert len(messages(db, sub)) == 1


def _setup(db, sub):
    move(db, sub, subs.SENDING, claimed_until=time.time() + 60)
    move(db, sub, subs.SUCCEEDED, appid="wx1111222233334444")
    return st.open_setup(db, sub["id"], "wx1111222233334444")


def test_golive_moments_come_from_golive_outcomes(db):
    sub = opted_in(db)
    setup = _setup(db, sub)
    outcomes.needs_merchant(db, setup["id"], st.NAME, 91001, "请补充商标证明", "名称需证明材料")
    outcomes.needs_merchant(db, setup["id"], st.CATEGORY, None, "资质不符", "类目未通过")
    outcomes.needs_merchant(db, setup["id"], st.AUDIT, None, "页面空白", "审核未通过")
    outcomes.done(db, setup["id"], st.RELEASE, {}, "已发布")
    moments = [(m["moment"], json.loads(m["params"])) for m in messages(db, sub)]
    assert moments == [
        ("succeeded", []),
        ("golive_fix", ["名称"]),
        ("golive_fix", ["类目"]),
        ("audit_failed", []),
        ("released", []),
    ]


def test_a_second_rejection_of_the_same_step_is_a_new_moment(db):
    sub = opted_in(db)
    setup = _setup(db, sub)
    outcomes.needs_merchant(db, setup["id"], st.NAME, 1, "a", "a")
    outcomes.working(db, setup["id"], st.NAME, 60)
    outcomes.needs_merchant(db, setup["id"], st.NAME, 1, "b", "b")
    assert [m["key"].rsplit(":", 1)[1] for m in messages(db, sub)][-2:] == ["1", "2"]


def test_a_withdrawn_audit_is_not_an_audit_failure(db):
    sub = opted_in(db)
    setup = _setup(db, sub)
    outcomes.needs_merchant(db, setup["id"], st.AUDIT, None, "已撤回", "撤回", {"status": 3})
    assert "audit_failed" not in [m["moment"] for m in messages(db, sub)]
