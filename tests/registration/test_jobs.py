"""The worker's jobs against the in-process sandbox: a submission's whole life."""

import time
from dataclasses import replace

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.sandbox import pusher
from portal.sandbox.state import LEGAL_PERSON, one
from portal.tasks import upkeep
from tests.registration.facts import facts


def state(db, sub):
    return subs.get(db, sub["id"])["state"]


def test_a_submission_goes_from_queued_to_authorized(
    db, jobs, wechat_side, sandbox_app, sandbox_db
):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(), component_phone="020-1")
    jobs.run_once()
    assert state(db, sub) == subs.CHECKING
    wechat_side()  # WeChat's check ends; the message goes to the legal person
    task = one(sandbox_db, "SELECT * FROM tasks", [])
    assert task["state"] == LEGAL_PERSON
    pusher.finish_task(sandbox_db, sandbox_app.config, task, 0)  # face check passed
    wechat_side()
    after = subs.get(db, sub["id"])
    assert after["state"] == subs.SUCCEEDED and after["appid"].startswith("wx")
    jobs.run_once()
    assert state(db, sub) == subs.AUTHORIZED
    authorizer = one(db, "SELECT * FROM authorizers", [])
    assert authorizer["appid"] == after["appid"] and authorizer["refresh_token"]
    path = [e["to_state"] for e in subs.timeline(db, sub["id"])]
    assert path == [subs.QUEUED, subs.SENDING, subs.CHECKING, subs.SUCCEEDED, subs.AUTHORIZED]


def test_a_failure_push_ends_the_submission_with_its_status(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S103科技有限公司"))
    jobs.run_once()
    wechat_side()
    after = subs.get(db, sub["id"])
    assert (after["state"], after["push_status"]) == (subs.FAILED, 103)


def test_an_expiry_status_ends_as_expired(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S100002科技有限公司"))
    jobs.run_once()
    wechat_side()
    assert state(db, sub) == subs.EXPIRED


def test_a_merchant_fixable_errcode_rejects(db, jobs):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱E86004科技有限公司"))
    jobs.run_once()
    after = subs.get(db, sub["id"])
    assert (after["state"], after["errcode"]) == (subs.REJECTED, 86004)


def test_a_transient_errcode_keeps_the_submission_queued(db, jobs, sandbox_http):
    sandbox_http.post(
        "/sandbox/faults", json={"errcode": {"count": 1, "errcode": -1, "match": "action=create"}}
    )
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    after = subs.get(db, sub["id"])
    assert (after["state"], after["errcode"]) == (subs.QUEUED, -1)
    jobs.run_once()
    assert state(db, sub) == subs.CHECKING


def test_an_operator_problem_holds_the_submission_for_staff(db, jobs):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱E61004科技有限公司"))
    jobs.run_once()
    jobs.run_once()
    after = subs.get(db, sub["id"])
    assert (after["state"], after["held_from"], after["errcode"]) == (subs.HELD, subs.QUEUED, 61004)
    assert after["attempts"] == 1  # not retried by itself


def test_an_expired_token_is_refreshed_and_the_call_retried_once(db, jobs, sandbox_http):
    upkeep.run(jobs.ctx, {"id": None})
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    assert state(db, sub) == subs.CHECKING
    calls = [
        r["errcode"]
        for r in db.query(
            "SELECT errcode FROM api_calls WHERE endpoint = 'fastregisterweapp.create'"
        )
    ]
    assert calls == [42001, 0]


def test_a_crash_after_claiming_neither_loses_nor_duplicates(db, jobs, sandbox_db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    # The worker claimed it and died before (or after) calling create.
    subs.transition(db, sub["id"], subs.SENDING, "", expect=[subs.QUEUED], claimed_until=0)
    jobs.run_once()  # probe: WeChat has no task → back to queued
    jobs.run_once()  # … and sent
    assert state(db, sub) == subs.CHECKING
    assert sandbox_db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1


def test_a_crash_after_the_create_call_does_not_create_twice(db, jobs, sandbox_db, sandbox_http):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    # Pretend the worker died before recording WeChat's answer.
    db.execute(
        "UPDATE submissions SET state = 'sending', claimed_until = 0 WHERE id = ?", [sub["id"]]
    )
    db.conn.commit()
    jobs.run_once()
    assert state(db, sub) == subs.CHECKING
    assert sandbox_db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1


def test_a_timeout_leaves_the_create_uncertain_then_probes(db, jobs, sandbox_http, sandbox_db):
    sandbox_http.post("/sandbox/faults", json={"http_500": {"count": 1, "match": "action=create"}})
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.ctx.timing = replace(jobs.ctx.timing, retry_delay=3600)
    jobs.run_once()
    assert state(db, sub) == subs.SENDING  # WeChat may or may not have it
    subs.update(db, sub["id"], claimed_until=0)
    jobs.run_once()  # probe: no task at WeChat → queued again
    jobs.ctx.timing = replace(jobs.ctx.timing, retry_delay=0)
    jobs.run_once()
    assert state(db, sub) == subs.CHECKING
    assert sandbox_db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1


def test_reconcile_searches_on_schedule_and_notices_the_legal_person_step(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    wechat_side()  # task now waits for the legal person; no push for that
    jobs.run_once()
    after = subs.get(db, sub["id"])
    assert after["state"] == subs.AWAITING and after["last_search_errcode"] == 89251


def test_reconcile_stops_at_the_daily_search_budget(db, jobs):
    jobs.ctx.daily_budget = 0
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    jobs.run_once()
    assert subs.get(db, sub["id"])["searches"] == 0


def test_identical_facts_in_flight_are_not_submitted_twice(db):
    first, created = subs.submit(db, FLAVORS["classic"], facts())
    again, created_again = subs.submit(
        db, FLAVORS["classic"], facts(name=" 广州市示例科技有限公司 ")
    )
    assert created and not created_again and again["id"] == first["id"]


def test_api_calls_never_store_tokens_or_secrets(db, jobs, app):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    dump = "\n".join(str(tuple(r)) for r in db.execute("SELECT * FROM api_calls").fetchall())
    token = db.execute(
        "SELECT value FROM credentials WHERE name = 'component_access_token'"
    ).fetchone()[0]
    assert token not in dump
    assert app.config["WECHAT_COMPONENT_APPSECRET"] not in dump


def test_failed_calls_log_no_token(db, jobs, sandbox_http, caplog):
    upkeep.run(jobs.ctx, {"id": None})
    sandbox_http.post("/sandbox/faults", json={"http_500": {"count": 1, "match": "action=create"}})
    subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    token = db.execute(
        "SELECT value FROM credentials WHERE name = 'component_access_token'"
    ).fetchone()[0]
    assert "HTTP 503" in caplog.text
    assert token not in caplog.text


def overdue(db, sub):
    db.execute("UPDATE submissions SET deadline_at = ?, next_search_at = 0 WHERE id = ?",
               [time.time() - 2 * 3600, sub["id"]])  # fmt: skip
    db.conn.commit()


def test_a_task_silent_past_its_deadline_is_ended_so_the_merchant_can_resubmit(
    db, jobs, sandbox_db, client
):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    sandbox_db.execute("UPDATE tasks SET state = 'done'")  # WeChat ended it; the push was lost
    sandbox_db.conn.commit()
    overdue(db, sub)
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.EXPIRED, 100003)
    assert "未收到微信的结果" in subs.timeline(db, sub["id"])[-1]["detail"]
    again, created = subs.submit(db, FLAVORS["classic"], facts())
    assert created


def test_a_task_still_running_past_its_deadline_is_left_alone(db, jobs, client):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    overdue(db, sub)
    jobs.run_once()
    assert subs.get(db, sub["id"])["state"] in (subs.CHECKING, subs.AWAITING)
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "24 小时已到，平台正在向微信确认结果" in page


def test_a_v2_query_that_finds_a_final_failure_applies_it(
    db, jobs, wechat_side, sandbox_db, sandbox_app
):
    sub, _ = subs.submit(db, FLAVORS["v2"], {"name": "查询补推科技有限公司", "code": "91330100716105852F"},
                         component_phone="020-1")  # fmt: skip
    jobs.run_once()
    wechat_side()
    task = one(sandbox_db, "SELECT * FROM tasks", [])
    pusher.finish_task(sandbox_db, sandbox_app.config, task, 6)  # push queued, not yet delivered
    db.execute("UPDATE submissions SET next_search_at = 0 WHERE id = ?", [sub["id"]])
    db.conn.commit()
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.FAILED, 6)
    wechat_side()  # the late push changes nothing more
    assert subs.get(db, sub["id"])["state"] == subs.FAILED
