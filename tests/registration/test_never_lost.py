"""Issue 18's registration findings, one test each: no submission stranded, no success
lost, no second task. The worker's tasks run against the in-process sandbox; WeChat's
side acts through ``pusher.tick``, with result pushes delivered or lost for good."""

import json
import time
from dataclasses import replace

from portal import health
from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.sandbox import pusher
from portal.wechat import codes
from portal.wechat.calllog import CallLog
from portal.wechat.client import WeChatUnavailable
from tests.callbacks.test_events_route import post
from tests.registration.facts import facts
from tests.registration.test_resilience import fault, row, run_due, tasks
from tests.registration.test_v2 import v2_push


def lose_results(sandbox_db, sandbox_app):
    """WeChat acts and believes it delivered every push; none reached the portal."""
    pusher.tick(sandbox_db, sandbox_app.config, lambda url, params, body: "success")


def v2_facts(name):
    return {"name": name, "code": facts(name)["code"]}


def lose_the_answer(jobs, method):
    """The next ``method`` call reaches WeChat, but its answer is lost on the way back."""
    original = getattr(jobs.ctx.client, method)

    def call(token, app):
        original(token, app)
        setattr(jobs.ctx.client, method, original)
        raise WeChatUnavailable(f"{method}.create", None, "ReadTimeout")

    setattr(jobs.ctx.client, method, call)


def search_due(db, sub):
    db.execute("UPDATE submissions SET next_search_at = 0 WHERE id = ?", [sub["id"]])
    db.conn.commit()


# 1. A held submission keeps its task's success, and is never sent a second time.


def test_a_submission_held_after_an_unanswered_create_keeps_its_success(
    db, jobs, sandbox_http, sandbox_db, wechat_side
):
    name = "沙箱S0扣留成功科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    lose_the_answer(jobs, "enterprise_create")
    jobs.run_once()  # WeChat made the task; the answer was lost
    fault(sandbox_http, errcode={"count": 20, "errcode": 61004, "match": "action=create"})
    jobs.run_once()  # settled at once in tests: sent again, refused with an operator error
    assert row(db, sub)["state"] == subs.HELD
    wechat_side()  # the first task succeeds; its push arrives while the submission is held
    run_due(jobs, db, sub)
    assert row(db, sub)["state"] == subs.AUTHORIZED
    assert tasks(sandbox_db, name) == 1


def test_releasing_a_held_submission_whose_success_push_was_lost_sends_nothing(
    db, jobs, sandbox_http, sandbox_db, sandbox_app
):
    name = "沙箱S0恢复处理科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    lose_the_answer(jobs, "enterprise_create")
    jobs.run_once()
    fault(sandbox_http, errcode={"count": 20, "errcode": 61004, "match": "action=create"})
    jobs.run_once()
    lose_results(sandbox_db, sandbox_app)  # succeeded at WeChat; the push is lost for good
    sandbox_http.post("/sandbox/faults", json={})
    assert subs.release(db, sub["id"])  # staff: 恢复处理
    run_due(jobs, db, sub)
    after = row(db, sub)
    assert after["state"] == subs.AUTHORIZED and after["appid"]
    assert tasks(sandbox_db, name) == 1


# 2. A progress push that overtakes the create's answer does not wipe the answer.


def test_a_v2_progress_push_before_the_answer_keeps_the_answer(db, jobs, client):
    name = "杭州抢先推送科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    original = jobs.ctx.client.enterprise_create

    def answer_after_a_push(token, app):
        task = original(token, app)
        post(client, v2_push(13, taskid=task.taskid, name=name, code=sub["code"]))
        return task

    jobs.ctx.client.enterprise_create = answer_after_a_push
    jobs.run_once()
    after = row(db, sub)
    assert after["state"] == subs.AWAITING
    assert after["taskid"] and after["authorize_url"].startswith("http")
    assert after["deadline_at"] and after["next_search_at"] is not None


# 3 and 5. A success whose push was lost is found by asking WeChat.


def test_v2_query_saying_created_finds_the_mini_program(db, jobs, sandbox_db, sandbox_app, client):
    name = "沙箱S0查询成功科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    jobs.run_once()
    lose_results(sandbox_db, sandbox_app)
    search_due(db, sub)
    run_due(jobs, db, sub)
    after = row(db, sub)
    assert after["state"] == subs.AUTHORIZED and after["appid"]
    assert "已授权账号中找到" in " ".join(e["detail"] for e in subs.timeline(db, sub["id"]))


def test_a_lost_classic_success_push_is_not_taken_for_an_expiry(db, jobs, sandbox_db, sandbox_app):
    name = "沙箱S0丢失推送科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name))
    jobs.run_once()
    lose_results(sandbox_db, sandbox_app)  # search now answers 89250, as after an expiry
    db.execute(
        "UPDATE submissions SET deadline_at = ? WHERE id = ?", [time.time() - 9e4, sub["id"]]
    )
    db.conn.commit()
    search_due(db, sub)
    run_due(jobs, db, sub)
    after = row(db, sub)
    assert after["state"] == subs.AUTHORIZED, subs.timeline(db, sub["id"])
    again, created = subs.submit(db, FLAVORS["classic"], facts(name))
    assert created  # a new submission may be made, but the company has its mini program
    assert tasks(sandbox_db, name) == 1


# 4. Searches go on until WeChat gives a final answer; classic's 24 hours start after the check.


def test_searches_go_on_a_tail_after_the_schedule(db, jobs, wechat_side):
    jobs.ctx.timing = replace(jobs.ctx.timing, schedule=(0.0,), tail=600.0)
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市长尾搜索科技有限公司"))
    jobs.run_once()  # created: WeChat checks
    wechat_side()  # the check passes: the legal person's step
    for _ in range(4):
        search_due(db, sub)
        jobs.run_once()
        after = row(db, sub)
        assert after["state"] == subs.AWAITING
        assert after["next_search_at"] > time.time() + 500  # the tail, never None
    assert after["searches"] >= 4


def test_classic_legal_person_window_starts_after_wechats_check(db, jobs, sandbox_db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市核对之后科技有限公司"))
    jobs.run_once()
    assert row(db, sub)["state"] == subs.CHECKING
    # WeChat's check took two hours: the legal person's 24 hours start only now.
    db.execute("UPDATE submissions SET deadline_at = deadline_at - 7200 WHERE id = ?", [sub["id"]])
    db.conn.commit()
    sandbox_db.execute(
        "UPDATE tasks SET state = 'legal_person', expire_at = ?", [time.time() + 9e4]
    )
    sandbox_db.conn.commit()
    before = time.time()
    search_due(db, sub)
    jobs.run_once()
    after = row(db, sub)
    assert after["state"] == subs.AWAITING
    assert after["deadline_at"] >= before + jobs.ctx.timing.window - 1


# 6. A predecessor's late push never lands on its resubmission.


def test_a_classic_predecessors_late_push_stays_with_the_predecessor(db, client):
    old, _ = subs.submit(db, FLAVORS["classic"], facts())
    made = int(time.time()) - 30
    subs.transition(db, old["id"], subs.FAILED, "", expect=[subs.QUEUED], first_sent_at=made - 600)
    new, _ = subs.submit(db, FLAVORS["classic"], facts(), previous_id=old["id"])
    subs.transition(db, new["id"], subs.CHECKING, "", expect=[subs.QUEUED], first_sent_at=made + 20)
    from tests.callbacks.test_events_route import result_xml

    post(client, result_xml(103, created=made))  # the old task's push, re-sent late
    assert row(db, new)["state"] == subs.CHECKING
    pushed = db.execute("SELECT submission_id FROM pushes ORDER BY id DESC").fetchone()[0]
    assert pushed == old["id"]


def test_a_v2_resubmission_without_its_taskid_is_not_requeued_by_an_old_push(db, client):
    old, _ = subs.submit(db, FLAVORS["v2"], v2_facts("杭州前任任务科技有限公司"))
    subs.transition(db, old["id"], subs.EXPIRED, "", expect=[subs.QUEUED], taskid="t-old",
                    first_sent_at=time.time() - 900)  # fmt: skip
    new, _ = subs.submit(db, FLAVORS["v2"], v2_facts("杭州前任任务科技有限公司"))
    subs.transition(db, new["id"], subs.SENDING, "", expect=[subs.QUEUED], maybe_sent=1,
                    claimed_until=time.time() + 60, first_sent_at=time.time())  # fmt: skip
    post(client, v2_push(2, taskid="t-old", name=old["name"], code=old["code"]))
    assert row(db, new)["state"] == subs.SENDING
    post(client, v2_push(2, taskid="t-unknown", name=old["name"], code=old["code"],
                         created=int(time.time()) - 600))  # fmt: skip
    assert row(db, new)["state"] == subs.SENDING  # made before the resubmission was sent


# 7. A component-token outage spends nobody's tries.


def test_no_ticket_holds_nothing_and_spends_no_tries(db, jobs, sandbox_http, client):
    db.execute("DELETE FROM credentials")
    db.conn.commit()
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    for _ in range(12):
        run_due(jobs, db, sub, rounds=1)
    after = row(db, sub)
    assert after["state"] == subs.QUEUED and after["waiting_for"] == "platform"
    assert after["attempts"] == 0 and json.loads(after["retry_counts"]) == {}
    report = health.operator_report(db)
    assert report["waiting_for_platform"] == 1 and report["held_submissions"] == 0
    page = client.get(f"/s/{after['public_id']}").get_data(as_text=True)
    assert "正在重新连接微信" in page
    waits = [e for e in subs.timeline(db, sub["id"]) if "调用凭证" in e["detail"]]
    assert len(waits) == 1  # said once, not every round


def test_a_failing_token_endpoint_holds_nothing(db, jobs, sandbox_http):
    db.execute("UPDATE credentials SET expires_at = 0 WHERE name = 'component_access_token'")
    db.conn.commit()
    fault(sandbox_http, errcode={"count": 50, "errcode": 61005, "match": "api_component_token"})
    jobs.ctx.tokens.backoff = 0
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    for _ in range(10):
        jobs.ctx.tokens._retry_at = 0
        run_due(jobs, db, sub, rounds=1)
    after = row(db, sub)
    assert after["state"] == subs.QUEUED and after["attempts"] == 0


# 8. Retries are counted per failure class.


def test_transient_answers_do_not_spend_the_quota_classes_tries(db, jobs, sandbox_http):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    fault(sandbox_http, errcode={"count": 2, "errcode": -1, "match": "action=create"})
    run_due(jobs, db, sub, rounds=2)
    fault(sandbox_http, errcode={"count": 1, "errcode": 45009, "match": "action=create"})
    run_due(jobs, db, sub, rounds=1)
    after = row(db, sub)
    assert after["state"] == subs.QUEUED  # waits for Beijing midnight, not held
    assert after["next_attempt_at"] > time.time() + 60
    assert json.loads(after["retry_counts"]) == {retry.TRANSIENT: 2, retry.QUOTA: 1}


# 9. An answer that says nothing about the task is never taken as "no task".


def test_classic_search_answering_0_is_not_no_task(db, jobs, sandbox_http, sandbox_db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    fault(sandbox_http, errcode={"count": 20, "errcode": 0, "match": "action=search"})
    lose_the_answer(jobs, "fastregister_create")
    run_due(jobs, db, sub, rounds=3)
    creates = db.execute(
        "SELECT count(*) FROM api_calls WHERE endpoint = 'fastregisterweapp.create'"
    ).fetchone()[0]
    assert creates == 1 and row(db, sub)["state"] in (subs.SENDING, subs.HELD)


# 10. A decision is made on the row as it is now, never on a stale copy.


def test_an_answer_after_a_push_moved_the_row_overwrites_nothing(db, jobs, client, sandbox_db):
    name = "杭州过期读取科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    lose_the_answer(jobs, "enterprise_create")
    jobs.run_once()  # WeChat made the task; the answer was lost; the create is sent again
    taskid = sandbox_db.execute("SELECT taskid FROM tasks").fetchone()[0]
    original = jobs.ctx.client.enterprise_create

    def running_then_success(token, app):
        try:
            return original(token, app)
        finally:  # the first task's success arrives before the 89249 is handled
            post(client, v2_push(0, taskid=taskid, name=name, code=sub["code"]))

    jobs.ctx.client.enterprise_create = running_then_success
    run_due(jobs, db, sub, rounds=1)
    after = row(db, sub)
    assert subs.SUCCEEDED in (after["state"], after["held_from"])  # its auth_code is fake
    assert after["errcode"] != codes.TASK_RUNNING
    events = subs.timeline(db, sub["id"])
    success = next(i for i, e in enumerate(events) if e["to_state"] == subs.SUCCEEDED)
    assert all(e["from_state"] != subs.SENDING for e in events[success + 1 :])


# 11. A failed call-log write never loses WeChat's answer.


def test_a_failing_call_log_keeps_the_creates_answer(db, jobs, monkeypatch):
    def broken(self, record):
        raise OSError("disk full")

    monkeypatch.setattr(CallLog, "__call__", broken)
    sub, _ = subs.submit(
        db, FLAVORS["v2"], v2_facts("杭州日志失败科技有限公司"), component_phone="1"
    )
    jobs.run_once()
    after = row(db, sub)
    assert after["state"] == subs.AWAITING and after["taskid"] and after["authorize_url"]


def test_a_progress_push_teaches_an_orphan_its_taskid_and_a_query_its_link(
    db, jobs, client, sandbox_db
):
    name = "杭州孤儿学链接科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["v2"], v2_facts(name), component_phone="1")
    jobs.ctx.timing = replace(jobs.ctx.timing, settle=3600)  # the create is not resent
    lose_the_answer(jobs, "enterprise_create")
    jobs.run_once()
    taskid = sandbox_db.execute("SELECT taskid FROM tasks").fetchone()[0]
    post(client, v2_push(13, taskid=taskid, name=name, code=sub["code"]))
    learnt = row(db, sub)
    assert (learnt["state"], learnt["taskid"], learnt["authorize_url"]) == (
        subs.AWAITING,
        taskid,
        None,
    )
    search_due(db, sub)
    jobs.run_once()
    assert row(db, sub)["authorize_url"].startswith("http")


def test_migrating_an_older_database_resumes_quiet_tasks(tmp_path):
    from portal.db import connect, migrate
    from portal.migrations import MIGRATIONS

    db = connect(str(tmp_path / "old.sqlite"))
    migrate(db, MIGRATIONS[:9])
    now = time.time()
    for state, sent in ((subs.AWAITING, now - 9e4), (subs.QUEUED, None)):
        db.execute(
            "INSERT INTO submissions (public_id, flavor, name, code, match_key, state, sent_at, "
            "searches, created_at, updated_at) VALUES (?, 'classic', 'n', 'c', 'k', ?, ?, 7, ?, ?)",
            [state, state, sent, now - 9e4, now - 60],
        )
    db.conn.commit()
    assert 10 in migrate(db)
    awaiting, queued = db.query("SELECT * FROM submissions ORDER BY id")
    assert awaiting["first_sent_at"] == awaiting["sent_at"]
    assert awaiting["next_search_at"] is not None and awaiting["deadline_at"] is not None
    assert queued["first_sent_at"] is None and queued["retry_counts"] == "{}"
