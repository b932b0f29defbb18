"""A seeded chaos run: portal, worker and sandbox as real processes; SIGKILL, faults, a bad network.

Companies arrive through the real form, each following a plan (``chaos_plan``): approved
by WeChat by itself, expired or failed and then resubmitted with the same facts, or left
to expire when the legal person's window ends. Meanwhile:

- the worker and the portal are killed with SIGKILL at random moments and the sandbox
  injects latency, timeouts after which it still acts, 5xx, errcode -1, expired tokens;
- every push from WeChat crosses a seeded proxy (``netchaos``) that loses result pushes
  for good, holds pushes while later ones overtake them, duplicates them, answers 502;
- for a stretch, a ticket outage: ticket pushes are dropped and the component token
  expires, so the portal cannot get a token for a while (submissions must wait);
- webhooks go to a healthy receiver and to a dead URL beside it;
- the legal person's 24 hours, the search tail and the silence grace are seconds.

Once every company's plan has played out (or the time budget is spent), the invariants
of ``chaos_checks`` and ``chaos_hooks`` are checked against both databases, taking the
sandbox's records as the truth, and every failure is reported with its evidence.

Run by hand, over several seeds:
    .venv/bin/python -m tests.integration.chaos --api v2 --seeds 1 2 3 4 5
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from portal.db import connect
from portal.registration import outbox, webhooks
from portal.stack import FAST, Stack, free_port, new_credentials, start_stack
from portal.wechat.authorizers import Vault
from tests.integration import chaos_checks as checks
from tests.integration.chaos_hooks import check_webhooks, dead_url, lost_pushes
from tests.integration.chaos_plan import SETTLED, People, companies
from tests.integration.chaos_stack import arrivals, arrive, calm, main, wait_until_up
from tests.integration.netchaos import PushProxy
from tests.webhooks.receiver import Receiver

#: Timings that make every fault bite: the client gives up after 1.5 s while a
#: "timeout" makes the sandbox act after 3 s; pushes are re-sent for about 6 s. The
#: legal person's 24 hours are 15 s on both sides, an hour's grace 5 s.
CHAOS_ENV = {
    **FAST,
    "PORTAL_WECHAT_TIMEOUT": "1.5",
    "PORTAL_CREATE_SETTLE": "15",
    "PORTAL_SEND_RETRY_DELAY": "0.5",
    "PORTAL_SANDBOX_RESEND_DELAY": "2",
    "PORTAL_SEARCH_SCHEDULE": "5,10,20",
    "PORTAL_SEARCH_TAIL": "3",
    "PORTAL_LEGAL_PERSON_WINDOW": "15",
    "PORTAL_SANDBOX_LEGAL_PERSON_WINDOW": "15",
    "PORTAL_SILENCE_GRACE": "5",
    "PORTAL_SANDBOX_TICKET_INTERVAL": "5",
    "PORTAL_SEARCH_DAILY_BUDGET": "5000",
    "PORTAL_SANDBOX_DAILY_QUOTA": "20000",
}
FAULTS = {
    "latency": {"latency": {"count": 3, "ms": 400}},
    "timeout": {"timeout": {"count": 1, "seconds": 3}},
    "timeout on create": {"timeout": {"count": 1, "seconds": 3, "match": "action=create"}},
    "http_500": {"http_500": {"count": 1}},
    "http_500 on create": {"http_500": {"count": 1, "match": "action=create"}},
    "errcode -1": {"errcode": {"count": 1, "errcode": -1, "match": "action=create"}},
    "expired tokens": {"expire_tokens": True},
}
ARRIVE_OVER = 20.0  # first submissions arrive over this many seconds
CHAOS_FOR = 35.0  # kills and faults during this many seconds
SETTLE_BY = 140.0  # every plan must have played out by then
BUDGET = 180.0  # the whole seed, checks included


@dataclass
class Figures:
    api: str
    seed: int
    kills: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)
    network: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)
    presses: Counter = field(default_factory=Counter)
    resubmits: Counter = field(default_factory=Counter)
    outage: tuple[float, float] = (0.0, 0.0)
    lost: list[dict] = field(default_factory=list)
    tasks: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self) -> str:
        calls = ", ".join(f"{k} {v}" for k, v in sorted(self.calls.items()))
        network = ", ".join(f"{k} {v}" for k, v in sorted(self.network.items()))
        lost = Counter(p["InfoType"] for p in self.lost)
        return (
            f"chaos api={self.api} seed={self.seed}: {sum(self.states.values())} submissions "
            f"by final state {dict(self.states)}; {self.tasks} tasks at WeChat; settled in "
            f"{self.seconds:.0f}s; network: {network}; never recorded by the portal "
            f"{dict(lost)}; ticket outage {self.outage[0]:.0f}-{self.outage[1]:.0f}s; kills "
            f"{dict(self.kills)}; faults {dict(self.faults)}; legal persons {dict(self.presses)}; "
            f"resubmits {dict(self.resubmits)}; calls by outcome: {calls}"
        )

    def verdict(self) -> str:
        lines = [self.report(), *(f"note: {n}" for n in self.notes)]
        lines += [f"FAILED ({len(self.failures)}):", *(f"- {f}" for f in self.failures)]
        return "\n".join(lines if self.failures else lines[: 1 + len(self.notes)])


def act(stack: Stack, rng: random.Random, figures: Figures, turn: int) -> None:
    """One random misfortune; every third one kills a process, whatever the seed."""
    roll = rng.random() * (0.4 if turn % 3 == 0 else 1.0)
    if roll < 0.25:
        stack.kill("worker")
        figures.kills["worker"] += 1
        time.sleep(rng.uniform(0, 1))
        stack.restart("worker")
    elif roll < 0.4:
        stack.kill("portal")
        figures.kills["portal"] += 1
        stack.restart("portal")
        wait_until_up(stack, f"{stack.portal_url}/healthz")
    else:
        kind = rng.choice(sorted(FAULTS))
        httpx.post(f"{stack.sandbox_url}/sandbox/faults", json=FAULTS[kind], timeout=5)
        figures.faults[kind] += 1


def outage(stack: Stack, proxy: PushProxy, begin: bool) -> None:
    """Begin: drop tickets, issue one the portal never gets, expire tokens. End: a ticket."""
    if begin:
        proxy.tickets_blocked.set()
    else:
        proxy.tickets_blocked.clear()
    httpx.post(f"{stack.sandbox_url}/sandbox/tickets", timeout=5)
    if begin:
        httpx.post(f"{stack.sandbox_url}/sandbox/faults", json={"expire_tokens": True}, timeout=5)


def run(workdir: Path, api: str, seed: int, strict: bool = True) -> Figures:
    """Run the chaos and check the invariants; raise AssertionError (strict) when one breaks."""
    rng = random.Random(seed)
    figures = Figures(api, seed)
    roster = companies(api, seed)
    pending = arrivals(rng, roster, ARRIVE_OVER)
    begin = rng.uniform(5, 9)
    figures.outage = (begin, begin + rng.uniform(10, 14))
    credentials, portal_port = new_credentials(), free_port()
    proxy = PushProxy(
        f"http://127.0.0.1:{portal_port}/wechat/events",
        credentials["PORTAL_WECHAT_ENCODING_AES_KEY"],
        seed,
    )
    env = {**CHAOS_ENV, **credentials, "PORTAL_WECHAT_REGISTER_API": api}
    env["PORTAL_SANDBOX_EVENT_URL"] = proxy.url
    flaky = random.Random(f"receiver {seed}")  # its own stream: misfortunes stay as seeded
    receiver = Receiver([500 if flaky.random() < 0.3 else 200 for _ in range(60)])
    holder, dead = dead_url()
    stack = start_stack(workdir, env=env, portal_port=portal_port)
    started, epoch = time.monotonic(), time.time()
    truth = checks.Truth(stack.env["PORTAL_DATABASE"], stack.env["PORTAL_SANDBOX_DATABASE"], epoch)
    try:
        db = connect(truth.portal)
        healthy, _ = webhooks.create_endpoint(db, Vault(), receiver.url, outbox.EVENT_TYPES)
        dead_id, _ = webhooks.create_endpoint(db, Vault(), dead, outbox.EVENT_TYPES)
        db.conn.close()
        proxy.armed.set()
        people = People(stack, api, roster, seed, proxy, figures)
        for company in random.Random(f"stragglers {seed}").sample(
            [c for c in roster if c.plan != "ok"], 3
        ):
            proxy.hold(company.name)
        next_act, turn, next_look, phase = started + rng.uniform(0.5, 1.5), 0, 0.0, 0
        while True:
            now = time.monotonic()
            elapsed = now - started
            arrive(stack, api, pending, elapsed, now)
            if phase < 2 and elapsed >= figures.outage[phase]:
                outage(stack, proxy, begin=phase == 0)
                figures.faults["ticket outage"] += phase == 0
                phase += 1
            if elapsed < CHAOS_FOR and now >= next_act:
                act(stack, rng, figures, turn)
                turn += 1
                next_act = time.monotonic() + rng.uniform(0.8, 2.0)
            elif elapsed >= CHAOS_FOR and turn >= 0:
                calm(stack)
                turn = -1
            if now >= next_look:
                next_look = now + 0.5
                if people.step(truth.load(), now) and not pending and turn < 0:
                    break
                if elapsed > SETTLE_BY:
                    unsettled = [s for s in truth.subs if s["state"] not in SETTLED]
                    figures.failures.append(
                        f"the run did not settle within {SETTLE_BY:.0f}s; unsettled:\n"
                        + "\n".join(truth.describe(s) for s in unsettled)
                    )
                    break
            time.sleep(0.05)
        figures.seconds = time.monotonic() - started
        figures.failures += people.problems
        proxy.release()
        if not proxy.drain(timeout=10):
            figures.notes.append("some held pushes were still waiting after 10 s")
        wait_for_outbox(truth.sandbox, time.monotonic() + 10)
        check_all(truth.load(), figures)
        figures.failures += check_webhooks(truth, receiver, healthy, dead_id, started + BUDGET - 5)
        figures.network.update(proxy.figures())
        figures.network["held push never taken"] = proxy.late_lost
        if time.monotonic() - started > BUDGET:
            figures.failures.append(
                f"the seed took {time.monotonic() - started:.0f}s (budget {BUDGET:.0f}s)"
            )
    finally:
        stack.stop()
        proxy.close()
        receiver.close()
        holder.close()
    if strict and figures.failures:
        raise AssertionError(figures.verdict())
    return figures


def wait_for_outbox(sandbox: str, deadline: float) -> None:
    """Let WeChat finish re-sending what it still re-sends."""
    while time.monotonic() < deadline and checks.rows(
        sandbox, "SELECT id FROM outbox WHERE state = 'pending'"
    ):
        time.sleep(0.3)


def check_all(truth: checks.Truth, figures: Figures) -> None:
    figures.lost = lost_pushes(truth)
    lost_appids = {p["appid"] for p in figures.lost if p["appid"]}
    figures.failures += checks.check_tasks(truth)
    figures.failures += checks.check_successes(truth, lost_appids)
    figures.failures += checks.check_monotonic(truth)
    figures.failures += checks.check_pushes(truth)
    figures.failures += checks.check_outcomes(truth, figures.outage)
    figures.notes += checks.disagreements(truth)
    figures.states = Counter(s["state"] for s in truth.subs)
    figures.tasks = len(truth.tasks)
    begin, end = (truth.started + t for t in figures.outage)
    for row in checks.rows(truth.portal, "SELECT at, endpoint, errcode FROM api_calls"):
        outcome = "no answer" if row["errcode"] is None else str(row["errcode"])
        figures.calls[f"{row['endpoint']}={outcome}"] += 1
        if row["endpoint"] == "api_component_token" and row["errcode"] != 0:
            figures.network["token refusals during the outage"] += begin <= row["at"] <= end
    if not figures.network["token refusals during the outage"]:
        figures.failures.append("the ticket outage did not bite: no token refresh failed in it")


if __name__ == "__main__":
    main(__doc__, CHAOS_ENV, lambda workdir, api, seed: run(workdir, api, seed, strict=False))
