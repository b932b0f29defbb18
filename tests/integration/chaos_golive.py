"""A seeded chaos run of going live: portal, worker and sandbox as real processes, SIGKILLs
aimed at the deploy's commit and submit and at the release, and WeChat's faults.

Companies are registered through the real form with S0 names and become authorized by
themselves; the operator configures the platform and the merchants give their four
steps (``chaos_golive_plan``). Some nicknames carry the sandbox's A1, so their audit is
rejected; the merchant resubmits once the rejection reached the portal, and the
reviewer passes a later audit. Meanwhile, for ``CHAOS_FOR`` seconds at most:

- the worker (mostly) or the portal is SIGKILLed and restarted when a setup enters the
  deploy's ``commit`` or ``submit`` phase or the release's ``working``, a few tenths of
  a second later; the portal also when an audit is about to end (its result push);
  and either at random moments;
- the sandbox injects latency, timeouts after which it still acts, 5xx and errcode -1
  on /wxa/commit, /wxa/submit_audit and /wxa/release, and expires every token.

It ends when every setup is live or held (or ``SETTLE_BY`` passed); after ``QUIET``
seconds, for what WeChat still does late, it checks the invariants of ``chaos_golive_checks`` against both databases, the sandbox's records
taken as the truth, and prints its figures. Run by hand, over several seeds:

    .venv/bin/python -m tests.integration.chaos_golive [--api v2] --seeds 1 2 3 [--keep /tmp/golive]
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from portal.db import connect
from portal.stack import FAST, free_port, start_stack
from tests.integration import chaos_golive_checks as checks
from tests.integration.chaos_checks import rows
from tests.integration.chaos_golive_kills import Killer, act
from tests.integration.chaos_golive_plan import Merchants, companies, configure
from tests.integration.chaos_stack import arrivals, arrive, calm, main, wait_until_up

#: The client gives up after 1.5 s while a "timeout" makes the sandbox act after 3 s;
#: the sandbox's audits end 1.5-3 s after submit (seeded), its privacy scan after 1 s.
CHAOS_ENV = {
    **FAST,
    "PORTAL_WECHAT_TIMEOUT": "1.5",
    "PORTAL_SEND_RETRY_DELAY": "0.5",
    "PORTAL_WORKER_INTERVAL": "0.1",
    "PORTAL_SANDBOX_RESEND_DELAY": "1.5",
    "PORTAL_SANDBOX_TICKET_INTERVAL": "5",
    "PORTAL_SANDBOX_PRIVACY_SCAN": "1",
    "PORTAL_SANDBOX_NAME_AUDIT_DELAY": "1",
    "PORTAL_SANDBOX_CATEGORY_AUDIT_DELAY": "1",
    "PORTAL_SANDBOX_SUBMIT_QUOTA": "200",
    "PORTAL_SANDBOX_ICP_FILED_AFTER": "0",  # filed at once: each release goes out (85020)
    # WeChat may act on a submit_audit after the portal stopped waiting (the timeout
    # fault acts 3 s late): the deploy waits this long before it submits again.
    "PORTAL_CREATE_SETTLE": "5",
}
ARRIVE_OVER = 10.0  # companies submit the form over this many seconds
CHAOS_FOR = 50.0  # kills and faults during this many seconds
SETTLE_BY = 150.0  # every setup live or held by then
BUDGET = 200.0  # the whole seed, checks included
QUIET = 5.0  # after the end: longer than a "timeout" fault's late act (3 s)


@dataclass
class Figures:
    seed: int
    api: str = "classic"
    audit_delay: float = 0.0
    kills: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    merchants: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)
    audits: Counter = field(default_factory=Counter)
    setups: Counter = field(default_factory=Counter)
    releases: int = 0
    versions: int = 0
    unaudited: int = 0  # commits superseded by a later one before any audit
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)  # each kill and fault, when
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        calls = ", ".join(f"{k} {v}" for k, v in sorted(self.calls.items()))
        return (
            f"golive chaos api={self.api} seed={self.seed}: setups {dict(self.setups)} settled in "
            f"{self.seconds:.0f}s (audits end after {self.audit_delay:.1f}s); kills "
            f"{dict(self.kills)}; faults {dict(self.faults)}; merchants and reviewer "
            f"{dict(self.merchants)}; at WeChat {self.versions} commits ({self.unaudited} never "
            f"audited), audits by status "
            f"{dict(self.audits)}, {self.releases} releases; calls: {calls}"
        )

    def verdict(self) -> str:
        lines = [self.report()]
        if self.failures:
            lines.append("kills and faults: " + "; ".join(self.log))
            lines += [f"FAILED ({len(self.failures)}):", *(f"- {f}" for f in self.failures)]
        return "\n".join(lines)


def run(workdir: Path, seed: int, strict: bool = True, api: str = "classic") -> Figures:
    """Run the chaos and check the invariants; raise AssertionError (strict) when one breaks."""
    rng = random.Random(seed)
    figures = Figures(seed, api, audit_delay=round(rng.uniform(1.5, 3.0), 1))
    roster = companies(seed)
    pending = arrivals(rng, roster, ARRIVE_OVER)
    portal_port = free_port()
    env = {
        **CHAOS_ENV,
        "PORTAL_WECHAT_REGISTER_API": api,
        "PORTAL_SANDBOX_AUDIT_DELAY": str(figures.audit_delay),
        "PORTAL_SANDBOX_MESSAGE_URL": f"http://127.0.0.1:{portal_port}/wechat/messages/$APPID$",
    }
    stack = start_stack(workdir, env=env, portal_port=portal_port)
    db = connect(stack.env["PORTAL_DATABASE"])
    try:
        configure(db, time.monotonic() + 30)
        started, epoch = time.monotonic(), time.time()
        truth = checks.Truth(
            stack.env["PORTAL_DATABASE"], stack.env["PORTAL_SANDBOX_DATABASE"], epoch
        )
        merchants = Merchants(db, stack.sandbox_url, roster, seed, figures)
        killer = Killer(stack, random.Random(f"killer {seed}"), figures)
        killer.started = started
        next_act, next_look, chaos = started + rng.uniform(0.5, 1.5), 0.0, True
        while True:
            now = time.monotonic()
            elapsed = now - started
            arrive(stack, api, pending, elapsed, now)
            if chaos and elapsed >= CHAOS_FOR:
                calm(stack)
                chaos = False
            if chaos:
                killer.look(truth.portal, now)
                killer.due(now)
                if now >= next_act:
                    act(stack, rng, killer, figures, now)
                    next_act = time.monotonic() + rng.uniform(0.8, 2.0)
            if now >= next_look:
                next_look = now + 0.25
                view = truth.load(full=False)
                merchants.step(view, now)
                if chaos:
                    killer.audit_ends(view.audits, time.time(), now)
                if not pending and _all_settled(truth, roster):
                    break
                if elapsed > SETTLE_BY:
                    figures.failures.append(f"the run did not settle within {SETTLE_BY:.0f}s")
                    break
            time.sleep(0.02)
        figures.seconds = time.monotonic() - started
        if chaos:
            calm(stack)
        time.sleep(QUIET)  # what WeChat still does late lands; pushes are re-sent
        wait_until_up(stack, f"{stack.portal_url}/healthz")
        figures.failures += merchants.problems
        truth.load()
        figures.failures += checks.check_all(truth)
        _count(truth, figures)
        if time.monotonic() - started > BUDGET:
            figures.failures.append(f"the seed took {time.monotonic() - started:.0f}s")
    finally:
        db.conn.close()
        stack.stop()
    if strict and figures.failures:
        raise AssertionError(figures.verdict())
    return figures


def _all_settled(truth: checks.Truth, roster) -> bool:
    names = {s["name"] for s in truth.setups}
    if any(c.name not in names for c in roster):
        return False
    return all(checks.settled(truth, s) for s in truth.setups)


def _count(truth: checks.Truth, figures: Figures) -> None:
    for setup in truth.setups:
        steps = [s["step"] for s in checks.held(truth, setup)]
        state = f"held at {','.join(steps)}" if steps else "unsettled"
        figures.setups["live" if checks.live(truth, setup) else state] += 1
    names = {0: "passed", 1: "rejected", 2: "pending", 3: "withdrawn", 4: "delayed"}
    for found in truth.audits.values():
        figures.audits.update(names[a["status"]] for a in found)
    figures.releases = sum(len(r) for r in truth.releases.values())
    figures.versions = sum(len(v) for v in truth.versions.values())
    audited = {a["version_id"] for found in truth.audits.values() for a in found}
    figures.unaudited = sum(v["id"] not in audited for vs in truth.versions.values() for v in vs)
    endpoints = ("wxa.commit", "wxa.submit_audit", "wxa.release", "wxa.get_latest_auditstatus")
    marks = ", ".join("?" for _ in endpoints)
    sql = f"SELECT endpoint, errcode FROM api_calls WHERE endpoint IN ({marks})"
    for row in rows(truth.portal, sql, endpoints):
        outcome = "no answer" if row["errcode"] is None else str(row["errcode"])
        figures.calls[f"{row['endpoint'][4:]}={outcome}"] += 1


if __name__ == "__main__":
    main(
        __doc__,
        CHAOS_ENV,
        lambda workdir, api, seed: run(workdir, seed, strict=False, api=api),
        prefix="golive-",
        fresh=True,
    )
