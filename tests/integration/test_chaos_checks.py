"""The chaos run's invariants catch what they claim to catch (no processes: made-up records)."""

import json
import sqlite3

import pytest

from tests.integration import chaos_checks as checks

NAME = "沙箱混沌旧甲甲甲科技有限公司"


def sub(sub_id, created, state, taskid=None, appid=None, push_status=None):
    return {
        "id": sub_id, "name": NAME, "created_at": created, "state": state, "taskid": taskid,
        "appid": appid, "push_status": push_status,
    }  # fmt: skip


def task(task_id, created, status, taskid=None, appid=None):
    return {
        "id": task_id, "name": NAME, "created_at": created, "status": status, "state": "done",
        "taskid": taskid, "appid": appid,
    }  # fmt: skip


def changes(sub_id, *steps):
    """Events from (at, from, to, detail) steps."""
    return [
        {"submission_id": sub_id, "at": at, "from_state": a, "to_state": b, "detail": d}
        for at, a, b, d in steps
    ]


@pytest.fixture
def truth(tmp_path):
    portal = tmp_path / "portal.sqlite"
    with sqlite3.connect(portal) as conn:
        conn.execute("CREATE TABLE authorizers (appid TEXT, state TEXT)")
        conn.execute("INSERT INTO authorizers VALUES ('wxgood', 'authorized')")
    return checks.Truth(str(portal), "", 0.0)


def test_a_success_shown_as_expired_or_not_authorized_is_caught(truth):
    truth.subs = [sub(1, 0, "expired")]
    truth.tasks = [task(1, 1, 0, appid="wxlost")]
    failures = checks.check_successes(truth, {"wxlost"})
    assert len(failures) == 1 and "success shown as expired" in failures[0]
    assert "its push was lost" in failures[0]
    truth.subs = [sub(1, 0, "authorized", appid="wxgood")]
    truth.tasks = [task(1, 1, 0, appid="wxgood")]
    assert checks.check_successes(truth, set()) == []
    truth.subs[0]["state"] = "succeeded"
    assert "not authorized" in checks.check_successes(truth, set())[0]


def test_a_second_task_after_a_success_or_an_early_resubmission_is_caught(truth):
    truth.subs = [sub(1, 0, "authorized")]
    truth.tasks = [task(1, 1, 0), task(2, 5, 100003)]
    assert "first task succeeded, yet 2 tasks" in checks.check_tasks(truth)[0]
    truth.subs = [sub(1, 0, "expired"), sub(2, 3, "authorized")]
    truth.tasks = [task(1, 1, 100003), task(2, 4, 0)]
    truth.events = {1: changes(1, (5, "checking", "expired", ""))}
    assert "made before 1 ended" in checks.check_tasks(truth)[0]
    truth.events = {1: changes(1, (2, "checking", "expired", ""))}
    assert checks.check_tasks(truth) == []


@pytest.mark.parametrize(
    ("steps", "won", "backwards"),
    [
        (
            [("queued", "sending", ""), ("sending", "queued", "微信未收到上次提交，将重新提交")],
            False,
            False,
        ),
        ([("queued", "sending", ""), ("sending", "queued", "随便")], False, True),
        ([("sending", "checking", ""), ("checking", "queued", "重新提交")], False, True),
        ([("checking", "held", ""), ("held", "awaiting_legal_person", "")], False, False),
        ([("checking", "held", ""), ("held", "sending", "")], False, True),
        ([("awaiting_legal_person", "checking", "")], False, True),
        ([("checking", "expired", ""), ("expired", "succeeded", "")], True, False),
        ([("checking", "expired", ""), ("expired", "succeeded", "")], False, True),
        ([("checking", "succeeded", ""), ("succeeded", "authorized", "")], True, False),
        ([("checking", "authorized", ""), ("authorized", "failed", "")], True, True),
        ([("checking", "failed", ""), ("failed", "failed", "a note")], False, False),
    ],
)
def test_states_moving_backwards_are_caught(truth, steps, won, backwards):
    truth.subs = [sub(1, 0, steps[-1][1])]
    truth.tasks = [task(1, 1, 0 if won else 100003)]
    chain = [None, *list(checks.RANK)[: list(checks.RANK).index(steps[0][0]) + 1]]
    first = [(0, a, b, "") for a, b in zip(chain, chain[1:], strict=False)]
    later = [(i + 1, a, b, d) for i, (a, b, d) in enumerate(steps)]
    truth.events = {1: changes(1, *first, *later)}
    assert bool(checks.check_monotonic(truth)) is backwards


def push(push_id, create_time, status, submission_id, **info):
    fields = {"status": status, "name": NAME, **info}
    return {
        "id": push_id, "create_time": create_time, "fields": json.dumps(fields),
        "submission_id": submission_id, "received_at": create_time + 1, "outcome": "x",
    }  # fmt: skip


def test_a_predecessors_push_applied_to_its_successor_is_caught(truth):
    truth.subs = [sub(1, 0, "expired"), sub(2, 10, "checking")]
    truth.tasks = [task(1, 1, 100003), task(2, 11, None)]
    truth.pushes = [push(1, 5, 100003, 2)]
    failures = checks.check_pushes(truth)
    assert len(failures) == 1 and "belongs to submission 1 but was applied to 2" in failures[0]
    truth.pushes = [push(1, 5, 100003, 1), push(2, 6, 100003, None)]
    assert checks.check_pushes(truth) == []


def test_v2_tasks_and_pushes_belong_by_taskid(truth):
    truth.subs = [sub(1, 0, "expired", taskid="t1"), sub(2, 10, "checking", taskid="t2")]
    truth.tasks = [task(1, 1, 2, taskid="t1"), task(2, 11, None, taskid="t2")]
    truth.pushes = [push(1, 50, 2, 2, taskid="t1")]  # arrives late, after the resubmission
    assert "belongs to submission 1 but was applied to 2" in checks.check_pushes(truth)[0]


def test_held_and_rejected_are_reported_with_the_outage(truth):
    truth.subs = [sub(1, 0, "held")]
    truth.events = {1: changes(1, (0, None, "queued", ""), (9, "sending", "held", "平台票据无效"))}
    failures = checks.check_outcomes(truth, (8.0, 18.0))
    assert len(failures) == 1 and "held during the ticket outage" in failures[0]
