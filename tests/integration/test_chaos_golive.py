"""The go-live chaos run (tests/integration/chaos_golive.py): SIGKILLs of the worker and
the portal aimed at the deploy's commit and submit and at the release, WeChat's faults,
audits rejected by the sandbox's A1 and resubmitted. Then its checks, on made-up
records, catch what they claim to catch (no processes).

CI runs one seed under the classic API; set CHAOS_SEEDS="1 2 3 4 5" to run more locally,
and CHAOS_GOLIVE_APIS="classic v2" to register under both APIs. Each seed must settle
within chaos_golive.SETTLE_BY and finish within chaos_golive.BUDGET seconds.
"""

import copy
import os

import pytest

from tests.integration import chaos_golive_checks as checks
from tests.integration.chaos_golive import run
from tests.integration.chaos_golive_plan import ROSTER

SEEDS = [int(s) for s in os.environ.get("CHAOS_SEEDS", "1").split()]
APIS = os.environ.get("CHAOS_GOLIVE_APIS", "classic").split()


@pytest.mark.integration
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("api", APIS)
def test_going_live_keeps_wechats_truth_through_kills_and_faults(tmp_path, api, seed):
    figures = run(tmp_path, seed, api=api)  # raises with every broken invariant and its evidence
    print(figures.verdict())
    assert sum(figures.setups.values()) == len(ROSTER)
    aimed = sum(n for kill, n in figures.kills.items() if not kill.endswith("@random"))
    assert aimed >= 2 and sum(figures.kills.values()) >= 4
    assert sum(figures.faults.values()) >= 3
    assert figures.merchants["resubmit"] >= 1 and figures.audits["rejected"] >= 1


# The checks, on one mini program's made-up records: first as they should be (one
# rejected audit, a resubmission, a passed audit, one release), then each broken.

APPID = "wx0123456789abcdef"
EVENTS = [  # (at, step, from, to, detail)
    (1, "deploy", "given", "working", "正在提交给微信"),
    (2, "deploy", "working", "done", "已提交微信审核"),
    (2, "audit", "todo", "waiting", "微信审核中"),
    (4, "audit", "waiting", "needs_merchant", "微信审核未通过"),
    (5, "deploy", "done", "given", "商户已修改，重新提交审核"),
    (6, "deploy", "given", "working", "正在提交给微信"),
    (7, "deploy", "working", "done", "已提交微信审核"),
    (7, "audit", "todo", "waiting", "微信审核中"),
    (9, "audit", "waiting", "done", "微信审核通过"),
    (9, "release", "todo", "given", "审核通过，平台自动发布"),
    (10, "release", "given", "working", "正在提交给微信"),
    (11, "release", "working", "done", "小程序码已生成"),
]


def audit(auditid, status, submitted, finished, version=1):
    return {
        "auditid": auditid, "appid": APPID, "version_id": version, "status": status,
        "submitted_at": submitted, "finished_at": finished, "released_at": None,
    }  # fmt: skip


def step(name, state, reason=None, **given):
    return {"step": name, "state": state, "phase": None, "reason": reason, "input": given}


def healthy() -> checks.Truth:
    truth = checks.Truth("", "", 0.0)
    truth.subs = [{"id": 1, "name": "沙箱S0甲", "state": "authorized", "appid": APPID}]
    truth.setups = [
        {"id": 1, "submission_id": 1, "appid": APPID, "name": "沙箱S0甲", "auditid": 12}
    ]
    names = ("name", "avatar", "intro", "category", "deploy", "audit", "release")
    truth.steps = {1: {n: step(n, "done") for n in names}}
    truth.steps[1]["name"]["input"] = {"nickname": "沙箱A1小店"}
    truth.events = {1: [dict(zip(("at", "step", "from_state", "to_state", "detail"), e, strict=True))
                        for e in EVENTS]}  # fmt: skip
    truth.audits = {APPID: [audit(11, 1, 1.5, 3.5), audit(12, 0, 7.0, 8.5)]}
    truth.releases = {APPID: [{"id": 1, "appid": APPID, "auditid": 12, "version_id": 1,
                               "released_at": 10.5}]}  # fmt: skip
    truth.nicknames = {APPID: "沙箱A1小店"}
    truth.pushes = {APPID: [{"id": 1, "event": "weapp_audit_fail", "create_time": 3,
                             "applied_at": 4.0, "outcome": "rejected"}]}  # fmt: skip
    return truth


def broken(change) -> list[str]:
    truth = copy.deepcopy(healthy())
    change(truth)
    return checks.check_all(truth)


def test_the_healthy_records_pass_every_check():
    assert checks.check_all(healthy()) == []


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda t: t.audits[APPID].append(audit(13, 0, 9.5, 10.0)), "after a passed audit"),
        (lambda t: t.audits[APPID].__setitem__(0, audit(11, 1, 1.5, 7.5)), "was pending"),
        (lambda t: t.events[1].pop(4), "no resubmission"),
        (lambda t: t.releases[APPID].append({**t.releases[APPID][0], "id": 2}), "more than once"),
        (lambda t: t.releases.clear(), "WeChat has 0 releases"),
        (lambda t: t.steps[1]["release"].update(state="working"), "neither live nor held"),
        (lambda t: t.steps[1]["release"].update(state="held"), "held with no reason"),
        (
            lambda t: t.events[1].append(
                {**t.events[1][-1], "from_state": "done", "to_state": "given", "at": 12}
            ),
            "back from done",
        ),  # fmt: skip
        (lambda t: t.steps[1]["audit"].update(state="waiting"), "after done, with no event"),
        (
            lambda t: t.pushes[APPID].__setitem__(0, {**t.pushes[APPID][0], "applied_at": 7.5}),
            "while the portal waited for audit 12",
        ),  # fmt: skip
        (lambda t: t.setups[0].update(auditid=11), "the portal's auditid 11"),
        (lambda t: t.nicknames.update({APPID: "别的名字"}), "WeChat's 别的名字"),
        (
            lambda t: t.subs.append({"id": 2, "name": "乙", "state": "held", "appid": None}),
            "submission 2",
        ),  # fmt: skip
    ],
)
def test_each_check_catches_its_violation(change, said):
    failures = broken(change)
    assert any(said in f for f in failures), failures
