"""One notion of "the same company": the lookup, its index, and the worker's serial rule."""

import pytest

from portal.registration import same_company
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import code_for, facts

CLASSIC = FLAVORS["classic"]
NAME = "广州市沙箱餐饮管理有限公司"


def add(db, name=NAME, state=None, appid=None, **changes):
    """A submission of ``name`` (its own code unless given), moved to ``state``."""
    sub, created = subs.submit(db, CLASSIC, facts(name, **changes))
    assert created
    if state:
        db.execute(
            "UPDATE submissions SET state = ?, appid = ? WHERE id = ?", [state, appid, sub["id"]]
        )
        db.conn.commit()
    return subs.get(db, sub["id"])


def ids(rows):
    return [r["id"] for r in rows]


def test_the_same_code_is_the_same_company_whatever_the_name(db):
    old = add(db, state=subs.SUCCEEDED, appid="wx0123456789abcdef")
    found = same_company.others(db, name="广州市别的名字有限公司", code=code_for(NAME))
    assert ids(found) == [old["id"]] and found[0]["appid"] == "wx0123456789abcdef"


def test_the_same_name_is_the_same_company_whatever_the_code(db):
    old = add(db, state=subs.AUTHORIZED, appid="wx0123456789abcdef")
    assert ids(same_company.others(db, name=NAME, code=code_for("另一家有限公司"))) == [old["id"]]


@pytest.mark.parametrize(
    "name, code",
    [
        (NAME, code_for(NAME).lower()),  # case
        (NAME, " ".join(code_for(NAME))),  # spaces
        # full-width letters and digits, as a Chinese input method types them
        (NAME, "".join(chr(ord(c) + 0xFEE0) for c in code_for(NAME))),
        (" 广州市 沙箱餐饮管理有限公司\u3000", ""),  # spaces in the name, no code
    ],
)
def test_case_width_and_spaces_do_not_make_another_company(db, name, code):
    old = add(db, state=subs.CHECKING)
    assert ids(same_company.others(db, name=name, code=code)) == [old["id"]]


def test_brackets_and_latin_letters_in_a_name_fold_like_the_form(db):
    old = add(db, "深圳市ABC（南山）科技有限公司", state=subs.SUCCEEDED, appid="wx00000000000000aa")
    for typed in ("深圳市abc(南山)科技有限公司", "深圳市ＡＢＣ（南山）科技有限公司"):
        assert ids(same_company.others(db, name=typed, code="")) == [old["id"]]


def test_only_succeeded_and_in_flight_ones_newest_first_and_never_itself(db):
    ended = add(db, state=subs.EXPIRED)
    rejected = add(db, state=subs.REJECTED, legal_persona_wechat="lisi_2024")
    succeeded = add(db, state=subs.SUCCEEDED, appid="wx1111111111111111", legal_persona_name="李四")
    queued = add(db, legal_persona_name="王五")
    held_with_appid = add(
        db, state=subs.HELD, appid="wx2222222222222222", legal_persona_name="赵六"
    )
    found = same_company.of_submission(db, queued)
    assert ids(found) == [held_with_appid["id"], succeeded["id"]]
    everything = same_company.of_submission(db, queued, states=None)
    assert ids(everything) == [held_with_appid["id"], succeeded["id"], rejected["id"], ended["id"]]
    assert same_company.others(db, name="", code="") == []


def test_another_company_is_not_found(db):
    add(db, state=subs.SUCCEEDED, appid="wx0123456789abcdef")
    assert same_company.others(db, name="广州市别家餐饮有限公司", code=code_for("别家")) == []


def test_the_lookup_reads_indexes_not_the_table(db):
    add(db)
    where, params = same_company._where(NAME, code_for(NAME))
    plan = " ".join(
        str(row[-1])
        for row in db.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM submissions WHERE {where}", params
        )
    )
    assert "submissions_code_key" in plan and "submissions_name_key" in plan
    assert "SCAN submissions" not in plan


def test_identical_facts_in_flight_need_no_consent_a_success_always_does(db):
    inflight = add(db, state=subs.AWAITING)
    key = CLASSIC.match_key(facts(NAME))
    assert same_company.needing_consent(same_company.others(db, name=NAME, code=""), key) == []
    other_person = CLASSIC.match_key(facts(NAME, legal_persona_name="李四"))
    rows = same_company.others(db, name=NAME, code="")
    assert ids(same_company.needing_consent(rows, other_person)) == [inflight["id"]]
    subs.transition(db, inflight["id"], subs.SUCCEEDED, "", expect=[subs.AWAITING], appid="wx1")
    rows = same_company.others(db, name=NAME, code="")
    assert ids(same_company.needing_consent(rows, key)) == [inflight["id"]]


def test_the_appid_is_masked_for_strangers():
    assert same_company.mask_appid("wx0123456789abcdef") == "wx01…cdef"
    assert same_company.mask_appid("") == ""


# The worker: one create per company at WeChat at a time, oldest first.


def test_a_companys_second_create_waits_until_the_first_task_ended(db):
    first = add(db)
    second = add(db, legal_persona_wechat="lisi_2024")
    assert not same_company.hold_back(db, first["id"], 60, now=1000.0)
    assert same_company.hold_back(db, second["id"], 60, now=1000.0)  # the older one is queued
    waiting = subs.get(db, second["id"])
    assert waiting["state"] == subs.QUEUED and waiting["next_attempt_at"] == 1060.0
    for state in (subs.SENDING, subs.CHECKING, subs.AWAITING):
        db.execute("UPDATE submissions SET state = ? WHERE id = ?", [state, first["id"]])
        db.conn.commit()
        assert same_company.hold_back(db, second["id"], 60, now=2000.0), state
    said = [e for e in subs.timeline(db, second["id"]) if e["detail"] == same_company.WAIT_DETAIL]
    assert len(said) == 1  # the timeline says it once
    again = subs.get(db, second["id"])
    assert again["next_attempt_at"] == 2060.0  # looked at again later ...
    assert again["updated_at"] == waiting["updated_at"]  # ... without a change pages poll for
    db.execute("UPDATE submissions SET state = 'expired' WHERE id = ?", [first["id"]])
    db.conn.commit()
    assert not same_company.hold_back(db, second["id"], 60, now=3000.0)


def test_the_worker_sends_one_task_per_company(db, jobs):
    first = add(db, "广州市串行测试科技有限公司")
    second = add(db, "广州市串行测试科技有限公司", legal_persona_wechat="lisi_2024")
    jobs.run_once()
    db.execute("UPDATE submissions SET next_attempt_at = 0 WHERE id = ?", [second["id"]])
    db.conn.commit()
    jobs.run_once()
    assert subs.get(db, first["id"])["state"] == subs.CHECKING
    assert subs.get(db, second["id"])["state"] == subs.QUEUED
    creates = db.execute(
        "SELECT count(*) FROM api_calls WHERE endpoint = 'fastregisterweapp.create'"
    ).fetchone()[0]
    assert creates == 1  # no 89249 spent on the second


def test_the_waiting_one_says_why_on_its_status_page(db, jobs, client):
    first = add(db, "广州市串行说明科技有限公司")
    second = add(db, "广州市串行说明科技有限公司", legal_persona_wechat="lisi_2024")
    jobs.run_once()
    assert subs.get(db, first["id"])["state"] == subs.CHECKING
    page = client.get(f"/s/{subs.get(db, second['id'])['public_id']}").get_data(as_text=True)
    assert "同一时间只受理一家企业的一个注册任务" in page
    assert "通常只需几秒钟" not in page
