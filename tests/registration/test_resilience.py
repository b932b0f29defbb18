"""When WeChat misbehaves: bounded retries, unanswered creates, spent auth codes,
late pushes. The worker's jobs run against the in-process sandbox."""

import time
from dataclasses import replace

import pytest

from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.sandbox.state import one
from portal.tasks import upkeep
from portal.wechat import codes
from tests.callbacks.test_events_route import post
from tests.registration.facts import facts
from tests.registration.test_v2 import v2_push


def fault(sandbox_http, **faults):
    assert sandbox_http.post("/sandbox/faults", json=faults).status_code == 200


def row(db, sub):
    return subs.get(db, sub["id"])


def tasks(sandbox_db, name):
    return sandbox_db.execute("SELECT count(*) FROM tasks WHERE name = ?", [name]).fetchone()[0]


def run_due(jobs, db, sub, rounds=20):
    """Run worker rounds, making whatever the submission waits for due at once."""
    for _ in range(rounds):
        db.execute(
            "UPDATE submissions SET next_attempt_at = min(coalesce(next_attempt_at, 0), 0), "
            "claimed_until = min(coalesce(claimed_until, 0), 0) WHERE id = ?",
            [sub["id"]],
        )
        db.conn.commit()
        jobs.run_once()


# The retry table, walked: every class gets the action the table names.

WALK = [
    # (errcode, class, action)
    (86004, retry.FIXABLE, retry.REJECT),
    (-1, retry.TRANSIENT, retry.RETRY),
    (89247, retry.TRANSIENT, retry.RETRY),
    (45011, retry.TRANSIENT, retry.RETRY),
    (45009, retry.QUOTA, retry.RETRY),
    (61004, retry.OPERATOR, retry.HOLD),
    (40125, retry.OPERATOR, retry.HOLD),
    (40033, retry.OPERATOR, retry.HOLD),
    (4242, retry.UNKNOWN, retry.HOLD),
    (None, retry.UNANSWERED, retry.RESOLVE),
]


@pytest.mark.parametrize("errcode, failure, action", WALK)
def test_the_policy_table_classifies_every_failure(errcode, failure, action):
    assert retry.classify(errcode, codes.api_entry(errcode)) == failure
    assert retry.POLICIES[failure].action == action


@pytest.mark.parametrize("failure", sorted(retry.POLICIES))
def test_every_policy_is_bounded_and_backs_off(failure):
    policy = retry.POLICIES[failure]
    now = time.time()
    delays = [retry.delay(failure, n, 10, now) for n in range(1, 50)]
    assert delays[policy.tries - 1] is None and all(d is None for d in delays[policy.tries - 1 :])
    taken = [d for d in delays if d is not None]
    assert taken == sorted(taken)
    if failure == retry.QUOTA:
        assert all(d > 0 for d in taken)  # after the next Beijing midnight
    assert retry.upkeep_delay(1000, 10) == retry.MAX_UPKEEP_DELAY


@pytest.mark.parametrize("errcode", [-1, 45011])
def test_a_transient_create_error_is_retried_a_bounded_number_of_times_then_held(
    db, jobs, sandbox_http, errcode
):
    fault(sandbox_http, errcode={"count": 100, "errcode": errcode, "match": "action=create"})
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.ctx.timing = replace(jobs.ctx.timing, retry_delay=10)
    jobs.run_once()
    first = row(db, sub)
    assert first["state"] == subs.QUEUED and first["next_attempt_at"] > time.time() + 5
    run_due(jobs, db, sub)
    held = row(db, sub)
    assert (held["state"], held["held_from"], held["errcode"]) == (subs.HELD, subs.QUEUED, errcode)
    assert held["attempts"] == retry.POLICIES[retry.TRANSIENT].tries
    creates = db.execute(
        "SELECT count(*) FROM api_calls WHERE endpoint = 'fastregisterweapp.create'"
    ).fetchone()[0]
    assert creates == retry.POLICIES[retry.TRANSIENT].tries


def test_an_unknown_errcode_is_held_at_once_and_shown_to_the_operator(db, jobs, client, app):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱E4242科技有限公司"))
    run_due(jobs, db, sub, rounds=3)
    after = row(db, sub)
    assert (after["state"], after["attempts"]) == (subs.HELD, 1)
    from portal.health import operator_report

    report = operator_report(db)
    assert [e["errcode"] for e in report["operator_errors"]] == [4242]
    assert report["held_submissions"] == 1


def test_a_wrong_appsecret_shows_on_the_health_page(db, jobs, app):
    from portal.health import operator_report

    db.execute(
        "INSERT INTO api_calls (at, endpoint, http_status, errcode, errmsg, latency_ms) "
        "VALUES (?, 'api_component_token', 200, 40125, 'invalid appsecret', 3)",
        [time.time()],
    )
    db.conn.commit()
    shown = operator_report(db)["operator_errors"][0]
    assert shown["errcode"] == 40125 and "AppSecret" in shown["entry"].operator_text


def test_staff_release_a_held_submission_and_it_is_sent(db, jobs, sandbox_http):
    fault(sandbox_http, errcode={"count": 1, "errcode": 61004, "match": "action=create"})
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    assert row(db, sub)["state"] == subs.HELD
    assert subs.release(db, sub["id"])
    jobs.run_once()
    assert row(db, sub)["state"] == subs.CHECKING
    assert not subs.release(db, sub["id"])


# An unanswered create: never sent again before WeChat could still act on it.


def test_no_task_found_too_soon_proves_nothing(db, jobs, sandbox_http, sandbox_db):
    fault(sandbox_http, http_500={"count": 1, "match": "action=create"})
    jobs.ctx.timing = replace(jobs.ctx.timing, settle=3600)
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()
    run_due(jobs, db, sub, rounds=5)  # probes: no task at WeChat, but it is too soon
    after = row(db, sub)
    assert after["state"] == subs.SENDING and after["attempts"] == 1
    assert after["claimed_until"] >= after["sent_at"] + 3600 - 1
    assert tasks(sandbox_db, facts()["name"]) == 0
    jobs.ctx.timing = replace(jobs.ctx.timing, settle=0)
    run_due(jobs, db, sub, rounds=2)
    assert row(db, sub)["state"] == subs.CHECKING and tasks(sandbox_db, facts()["name"]) == 1


def test_a_create_wechat_acted_on_late_is_found_not_sent_again(db, jobs, sandbox_db, sandbox_app):
    """The create timed out but WeChat made the task afterwards: the probe adopts it."""
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.ctx.timing = replace(jobs.ctx.timing, settle=3600)
    original = jobs.ctx.client.fastregister_create

    def create_then_lose_the_answer(token, app):
        original(token, app)
        from portal.wechat.client import WeChatUnavailable

        raise WeChatUnavailable("fastregisterweapp.create", None, "ReadTimeout")

    jobs.ctx.client.fastregister_create = create_then_lose_the_answer
    jobs.run_once()
    jobs.ctx.client.fastregister_create = original
    run_due(jobs, db, sub, rounds=2)
    assert row(db, sub)["state"] == subs.CHECKING
    assert tasks(sandbox_db, facts()["name"]) == 1


def test_classic_89249_after_an_unanswered_create_adopts_the_own_task(db, jobs, sandbox_db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    jobs.run_once()  # the task exists at WeChat
    # Our answer was lost, and the resend is refused because the task is ours.
    subs.update(db, sub["id"], maybe_sent=1)
    db.execute(
        "UPDATE submissions SET state = 'queued', next_attempt_at = 0 WHERE id = ?", [sub["id"]]
    )
    db.conn.commit()
    jobs.run_once()
    after = row(db, sub)
    assert after["state"] == subs.CHECKING and after["errcode"] == 0
    assert tasks(sandbox_db, facts()["name"]) == 1


def test_v2_89249_after_an_unanswered_create_waits_instead_of_rejecting(db, jobs, client):
    name = "杭州孤儿任务科技有限公司"
    sub, _ = subs.submit(
        db, FLAVORS["v2"], {"name": name, "code": facts(name)["code"]}, component_phone="1"
    )
    original = jobs.ctx.client.enterprise_create

    def lose_answer(token, app):
        original(token, app)
        from portal.wechat.client import WeChatUnavailable

        raise WeChatUnavailable("fastregisterenterpriseweapp.create", None, "ReadTimeout")

    jobs.ctx.client.enterprise_create = lose_answer
    jobs.run_once()  # unanswered; settled at once (0 in tests), so queued again
    jobs.ctx.client.enterprise_create = original
    jobs.run_once()  # resent → 89249: the running task is our own
    after = row(db, sub)
    assert after["state"] == subs.SENDING and after["errcode"] == codes.TASK_RUNNING
    assert after["claimed_until"] > time.time() + 23 * 3600
    page = client.get(f"/s/{after['public_id']}").get_data(as_text=True)
    assert "已有本企业的注册任务" in page and "自动重新提交" in page and "未受理" not in page
    assert "正在向微信确认" in page
    # The orphan task expires: its push requeues the submission, and the next create works.
    post(client, v2_push(2, taskid="orphan-task", name=name, code=after["code"]))
    assert row(db, sub)["state"] == subs.QUEUED


# Pushes: a late push never lands on a newer submission.


def test_an_old_tasks_late_v2_push_does_not_touch_the_resubmission(client, db):
    from tests.registration.test_v2 import sent_v2

    old = sent_v2(db, taskid="old-task")
    subs.transition(
        db, old["id"], subs.EXPIRED, "", expect=[subs.AWAITING], first_sent_at=time.time() - 60
    )
    new, _ = subs.submit(db, FLAVORS["v2"], {"name": old["name"], "code": old["code"]})
    subs.transition(
        db,
        new["id"],
        subs.AWAITING,
        "",
        expect=[subs.QUEUED],
        taskid="new-task",
        first_sent_at=time.time() - 30,
    )
    post(client, v2_push(2, taskid="old-task", name=old["name"], code=old["code"]))
    assert row(db, new)["state"] == subs.AWAITING
    pushed = db.execute("SELECT submission_id, outcome FROM pushes ORDER BY id DESC").fetchone()
    assert tuple(pushed) == (old["id"], "recorded")  # the old task's own, already ended


def test_updateauthorized_keeps_the_tokens_refreshing(db, jobs, wechat_side, client):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0更新授权科技有限公司"))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    appid = row(db, sub)["appid"]
    xml = (
        "<xml><AppId>wx0123456789abcdef</AppId><CreateTime>1700000200</CreateTime>"
        f"<InfoType>updateauthorized</InfoType><AuthorizerAppid>{appid}</AuthorizerAppid>"
        "<AuthorizationCode>x</AuthorizationCode></xml>"
    )
    assert post(client, xml).get_data(as_text=True) == "success"
    db.execute("UPDATE authorizers SET expires_at = 0")
    db.conn.commit()
    upkeep.run(jobs.ctx, {"id": None})
    refreshed = one(db, "SELECT state, expires_at FROM authorizers", [])
    assert refreshed["state"] == "authorized" and refreshed["expires_at"] > time.time()


# A success always ends with the tokens, or with a state staff can act on.


def test_a_spent_auth_code_is_recovered_from_the_authorizer_list(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0授权码科技有限公司"))
    jobs.run_once()
    wechat_side()
    succeeded = row(db, sub)
    # An attempt that died after WeChat answered api_query_auth spent the code.
    jobs.ctx.call(sub["id"], lambda t: jobs.ctx.client.query_auth(t, succeeded["auth_code"]))
    jobs.run_once()
    after = row(db, sub)
    assert after["state"] == subs.AUTHORIZED
    authorizer = one(db, "SELECT * FROM authorizers WHERE appid = ?", [after["appid"]])
    assert authorizer["refresh_token"] and authorizer["state"] == "authorized"
    endpoints = [r[0] for r in db.execute("SELECT endpoint FROM api_calls ORDER BY id")]
    assert "api_get_authorizer_list" in endpoints
    assert any("找回" in e["detail"] for e in subs.timeline(db, sub["id"]))


def test_a_success_that_cannot_be_recovered_is_held_for_staff(db, jobs, wechat_side, client):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0找不回科技有限公司"))
    jobs.run_once()
    wechat_side()
    subs.update(db, sub["id"], auth_code="spent-code", appid="wx00000000000000ff")
    jobs.run_once()
    after = row(db, sub)
    assert (after["state"], after["held_from"], after["errcode"]) == (
        subs.HELD,
        subs.SUCCEEDED,
        61010,
    )
    page = client.get(f"/s/{after['public_id']}").get_data(as_text=True)
    assert "小程序已创建" in page  # the merchant still sees the success
