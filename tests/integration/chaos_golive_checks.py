"""The go-live chaos run's invariants, judged against the sandbox's records as the truth.

Every check returns failures (sentences with the evidence: the setup, its steps, its
timeline from setup_events, and the sandbox's versions, audits and releases rows):

- audits: for each mini program, one audit per submit: a later audit is made only after
  the one before it ended *rejected* and the merchant resubmitted in between (the
  ``重新提交审核`` line of the timeline), so never two at once, never a second one after
  a pass, never a second submit while one is pending; a setup the portal shows submitted
  has an audit at WeChat;
- releases: at most one per audit and per version, only of a passed audit, exactly one
  for each setup the portal calls live, and none for a setup it does not;
- final: every authorized submission has a setup; every setup is live (release done) or
  held, and a held step has a reason;
- monotonic: in setup_events, no step moves back from done (the only ways out, after a
  rejection, are the deploy's ``done → given/todo`` of a merchant's resubmission and a
  merchant step the merchant changed, ``done → given``), nor is left without an event
  (a timeline line whose ``from`` is not the step's last ``to``);
- versions: a resubmission does what its line says (a new version, or the same one);
- pushes: an audit's result push is applied to the audit it reports, never to a later one;
- agreement: the portal's auditid is WeChat's latest audit, its audit state WeChat's, its
  name the mini program's.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from tests.integration.chaos_checks import rows

PASSED, FAILED, WITHDRAWN, PENDING = 0, 1, 3, (2, 4)
RESUBMIT = "重新提交审核"  # the deploy's timeline line of audits.resubmit
REOPENED = "审核未通过后商户修改了这一项，等待提交给微信"  # steps.REOPENED
MERCHANT_STEPS = ("name", "avatar", "intro", "category")


@dataclass
class Truth:
    portal: str
    sandbox: str
    started: float  # epoch seconds: times are shown relative to the run's start
    subs: list[dict] = field(default_factory=list)
    setups: list[dict] = field(default_factory=list)
    steps: dict[int, dict[str, dict]] = field(default_factory=dict)
    events: dict[int, list[dict]] = field(default_factory=dict)
    audits: dict[str, list[dict]] = field(default_factory=dict)
    releases: dict[str, list[dict]] = field(default_factory=dict)
    versions: dict[str, list[dict]] = field(default_factory=dict)
    nicknames: dict[str, str] = field(default_factory=dict)
    pushes: dict[str, list[dict]] = field(default_factory=dict)  # the portal's, by appid

    def load(self, full: bool = True) -> Truth:
        p, s = self.portal, self.sandbox
        self.setups = rows(
            p,
            "SELECT u.*, s.name FROM setups u JOIN submissions s ON s.id = u.submission_id "
            "ORDER BY u.id",
        )
        steps: dict[int, dict[str, dict]] = defaultdict(dict)
        for row in rows(p, "SELECT * FROM setup_steps"):
            row["result"] = json.loads(row["result"] or "{}")
            row["input"] = json.loads(row["input"] or "{}")
            steps[row["setup_id"]][row["step"]] = row
        self.steps = dict(steps)
        self.audits = _by_appid(rows(s, "SELECT * FROM audits ORDER BY auditid"))
        if not full:
            return self
        self.subs = rows(p, "SELECT id, name, state, appid FROM submissions ORDER BY id")
        events: dict[int, list[dict]] = defaultdict(list)
        for row in rows(p, "SELECT * FROM setup_events ORDER BY at, id"):
            events[row["setup_id"]].append(row)
        self.events = dict(events)
        self.releases = _by_appid(rows(s, "SELECT * FROM releases ORDER BY id"))
        self.versions = _by_appid(rows(s, "SELECT id, appid, committed_at FROM versions"))
        sql = "SELECT * FROM message_pushes WHERE event LIKE 'weapp_audit_%' ORDER BY id"
        self.pushes = _by_appid(rows(p, sql))
        self.nicknames = {r["appid"]: r["nickname"] for r in rows(s, "SELECT * FROM miniprograms")}
        return self

    def t(self, at: float | None) -> str:
        return "-" if at is None else f"+{at - self.started:.1f}s"

    def describe(self, setup: dict) -> str:
        appid = setup["appid"]
        steps = self.steps.get(setup["id"], {})
        shown = ", ".join(
            f"{n}={r['state']}" + (f"/{r['phase']}" if r["phase"] else "")
            + (f" ({r['reason']})" if r["reason"] else "")
            for n, r in steps.items()
        )  # fmt: skip
        lines = [
            f"setup {setup['id']} {appid} ({setup['name']}): {shown}; auditid {setup['auditid']}"
        ]
        lines += [
            f"    {self.t(e['at'])} {e['step']} {e['from_state']}→{e['to_state']} {e['detail']}"
            for e in self.events.get(setup["id"], [])
        ]
        lines += [
            f"    sandbox version {v['id']} committed {self.t(v['committed_at'])}"
            for v in self.versions.get(appid, [])
        ]
        lines += [
            f"    sandbox audit {a['auditid']} version {a['version_id']} status {a['status']} "
            f"submitted {self.t(a['submitted_at'])} finished {self.t(a['finished_at'])} "
            f"released {self.t(a['released_at'])}"
            for a in self.audits.get(appid, [])
        ]
        lines += [
            f"    sandbox release {r['id']} audit {r['auditid']} version {r['version_id']} "
            f"at {self.t(r['released_at'])}"
            for r in self.releases.get(appid, [])
        ]
        return "\n".join(lines)


def _by_appid(found: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in found:
        grouped[row["appid"]].append(row)
    return dict(grouped)


def live(truth: Truth, setup: dict) -> bool:
    return truth.steps.get(setup["id"], {}).get("release", {}).get("state") == "done"


def held(truth: Truth, setup: dict) -> list[dict]:
    return [r for r in truth.steps.get(setup["id"], {}).values() if r["state"] == "held"]


def settled(truth: Truth, setup: dict) -> bool:
    return live(truth, setup) or bool(held(truth, setup))


def resubmit_events(truth: Truth, setup: dict) -> list[dict]:
    """The deploy's resubmission lines: ``given``, or ``todo`` while a changed step is
    still being set at WeChat."""
    return [
        e
        for e in truth.events.get(setup["id"], [])
        if e["step"] == "deploy" and e["to_state"] in ("given", "todo") and RESUBMIT in e["detail"]
    ]


def resubmits(truth: Truth, setup: dict) -> list[float]:
    return [e["at"] for e in resubmit_events(truth, setup)]


def check_versions(truth: Truth, setup: dict) -> list[str]:
    """A resubmission does what its timeline line says: a new version after a change of
    ext_json (新版本), the same version otherwise (同一版本)."""
    found, why = truth.audits.get(setup["appid"], []), []
    for e in resubmit_events(truth, setup):
        before = [a for a in found if a["submitted_at"] <= e["at"]]
        after = [a for a in found if a["submitted_at"] > e["at"]]
        if not before or not after:
            continue
        same = before[-1]["version_id"] == after[0]["version_id"]
        if "新版本" in e["detail"] and same:
            why.append(f"{truth.t(e['at'])} said a new version, audit {after[0]['auditid']} "
                       f"is of version {after[0]['version_id']} again")  # fmt: skip
        if "同一版本" in e["detail"] and not same:
            why.append(f"{truth.t(e['at'])} said the same version, audit "
                       f"{after[0]['auditid']} is of another")  # fmt: skip
    return why


def check_audits(truth: Truth, setup: dict) -> list[str]:
    found, asked, why = truth.audits.get(setup["appid"], []), resubmits(truth, setup), []
    for a, b in pairwise(found):
        pair = f"audit {b['auditid']} after {a['auditid']}"
        if a["finished_at"] is None or a["finished_at"] > b["submitted_at"]:
            why.append(f"{pair}: submitted while {a['auditid']} was pending")
        elif a["status"] not in (FAILED, WITHDRAWN):
            same = "the same version" if a["version_id"] == b["version_id"] else "a version"
            why.append(f"{pair}: a second audit of {same} after a passed audit")
        elif not any(a["finished_at"] <= at <= b["submitted_at"] for at in asked):
            why.append(f"{pair}: submitted again with no resubmission after the rejection")
    versions = Counter(a["version_id"] for a in found if a["status"] == PASSED)
    why += [f"version {v} passed {n} audits" for v, n in versions.items() if n > 1]
    if len(found) > 1 + len(asked):
        why.append(f"{len(found)} audits at WeChat for {1 + len(asked)} submits")
    submitted = truth.steps.get(setup["id"], {}).get("audit", {}).get("state") != "todo"
    if submitted and not found:
        why.append("the portal's audit step left todo, but WeChat has no audit")
    return why


def check_releases(truth: Truth, setup: dict) -> list[str]:
    appid, why = setup["appid"], []
    found = truth.releases.get(appid, [])
    passed = {a["auditid"] for a in truth.audits.get(appid, []) if a["status"] == PASSED}
    for key in ("auditid", "version_id"):
        twice = [k for k, n in Counter(r[key] for r in found).items() if n > 1]
        why += [f"{key} {k} released more than once" for k in twice]
    why += [f"release {r['id']} of an audit that did not pass" for r in found
            if r["auditid"] not in passed]  # fmt: skip
    if live(truth, setup) and len(found) != 1:
        why.append(f"the portal says live; WeChat has {len(found)} releases")
    if not live(truth, setup) and found:
        why.append("WeChat released it; the portal does not say live")
    return why


def check_final(truth: Truth, setup: dict) -> list[str]:
    why = [] if settled(truth, setup) else ["neither live nor held"]
    return why + [f"{step['step']} held with no reason" for step in held(truth, setup)
                  if not (step["reason"] or "").strip()]  # fmt: skip


def check_monotonic(truth: Truth, setup: dict) -> list[str]:
    last: dict[str, str] = {}
    why = []
    for e in truth.events.get(setup["id"], []):
        step, was = e["step"], last.get(e["step"])
        line = f"{truth.t(e['at'])} {step} {e['from_state']}→{e['to_state']}"
        silent_resubmit = step == "audit" and was == "needs_merchant" and e["from_state"] == "todo"
        if was is not None and e["from_state"] != was and not silent_resubmit:
            why.append(f"{line}: the step was {was} (a change with no event)")
        back = e["from_state"] == "done" and e["to_state"] != "done"
        resubmit = (
            step == "deploy" and e["to_state"] in ("given", "todo") and RESUBMIT in e["detail"]
        )
        reopened = step in MERCHANT_STEPS and e["to_state"] == "given" and e["detail"] == REOPENED
        if back and not ((resubmit or reopened) and last.get("audit") == "needs_merchant"):
            why.append(f"{line}: moved back from done")
        last[step] = e["to_state"]
    for name, row in truth.steps.get(setup["id"], {}).items():
        if last.get(name) == "done" and row["state"] != "done":
            why.append(f"{name} is {row['state']} after done, with no event")
    return why


def check_agreement(truth: Truth, setup: dict) -> list[str]:
    found, why = truth.audits.get(setup["appid"], []), []
    steps = truth.steps.get(setup["id"], {})
    audit = steps.get("audit", {}).get("state")
    if found and audit not in (None, "todo"):
        latest = found[-1]
        if setup["auditid"] != latest["auditid"]:
            why.append(
                f"the portal's auditid {setup['auditid']}, WeChat's latest {latest['auditid']}"
            )
        expected = {"done": (PASSED,), "needs_merchant": (FAILED, WITHDRAWN), "waiting": PENDING}
        if audit in expected and latest["status"] not in expected[audit]:
            why.append(
                f"the portal's audit is {audit}, WeChat's latest is status {latest['status']}"
            )
    name = steps.get("name", {})
    nickname = truth.nicknames.get(setup["appid"])
    if name.get("state") == "done" and name["input"].get("nickname") != nickname:
        why.append(f"the portal's name {name['input'].get('nickname')}, WeChat's {nickname}")
    return why


def check_pushes(truth: Truth, setup: dict) -> list[str]:
    """An audit's result push applies to that audit only: the audit it reports (the one
    that ended when it was made) is the one the portal waited for when it applied it
    (the latest submitted before then)."""
    found, why = truth.audits.get(setup["appid"], []), []
    for push in truth.pushes.get(setup["appid"], []):
        if push["outcome"] not in ("passed", "rejected") or not push["applied_at"]:
            continue
        ended = [a for a in found if a["finished_at"] is not None
                 and abs(int(a["finished_at"]) - push["create_time"]) <= 1]  # fmt: skip
        before = [a for a in found if a["submitted_at"] <= push["applied_at"]]
        if not ended or not before or before[-1]["auditid"] in (a["auditid"] for a in ended):
            continue
        why.append(
            f"push {push['id']} ({push['event']} made {truth.t(push['create_time'])}, the end "
            f"of audit {ended[0]['auditid']}) applied {truth.t(push['applied_at'])} as "
            f"{push['outcome']!r} while the portal waited for audit {before[-1]['auditid']}"
        )
    return why


CHECKS = (
    check_final, check_audits, check_releases, check_pushes, check_monotonic, check_agreement,
    check_versions,
)  # fmt: skip


def check_all(truth: Truth) -> list[str]:
    """Every failure: the submissions that never got a setup, then each setup's reasons
    with its evidence."""
    failures = []
    opened = {s["submission_id"] for s in truth.setups}
    for sub in truth.subs:
        if sub["state"] != "authorized" or sub["id"] not in opened:
            failures.append(f"submission {sub['id']} ({sub['name']}) {sub['state']}, no setup")
    for setup in truth.setups:
        why = [w for check in CHECKS for w in check(truth, setup)]
        if why:
            reasons = "".join(f"\n  * {w}" for w in why)
            failures.append(f"setup {setup['id']}:{reasons}\n{truth.describe(setup)}")
    return failures
