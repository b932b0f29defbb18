"""A seeded chaos run: portal, worker and sandbox as real processes; SIGKILL and faults.

Submissions arrive through the real form over time. Meanwhile the worker and the
portal are killed with SIGKILL at random moments and the sandbox injects latency,
timeouts after which it still acts on the request, 5xx, errcode -1 and expired
tokens. Every company name carries ``S0``, so WeChat approves each task by itself:
the run ends when every submission is ``authorized``, and then the invariants are
checked against both sides' databases.

Run by hand, over several seeds:
    .venv/bin/python -m tests.integration.chaos --api v2 --seeds 1 2 3 4 5
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from portal.db import connect
from portal.registration import outbox, webhooks
from portal.stack import FAST, Stack, start_stack
from portal.wechat.authorizers import Vault
from tests.registration.facts import code_for
from tests.webhooks.receiver import Receiver

#: Timings that make every fault bite: the client gives up after 1.5 s while a
#: "timeout" makes the sandbox act after 3 s; pushes are re-sent for about 6 s.
CHAOS_ENV = {
    **FAST,
    "PORTAL_WECHAT_TIMEOUT": "1.5",
    "PORTAL_CREATE_SETTLE": "15",
    "PORTAL_SEND_RETRY_DELAY": "0.5",
    "PORTAL_SANDBOX_RESEND_DELAY": "2",
    "PORTAL_SEARCH_SCHEDULE": "5,10,20",
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
NUMERALS = "甲乙丙丁戊己庚辛壬癸"


@dataclass
class Figures:
    api: str
    seed: int
    kills: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)
    submissions: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        calls = ", ".join(f"{k} {v}" for k, v in sorted(self.calls.items()))
        return (
            f"chaos api={self.api} seed={self.seed}: {self.submissions} submissions authorized "
            f"in {self.seconds:.0f}s; kills {dict(self.kills)}; faults {dict(self.faults)}; "
            f"calls by outcome: {calls}"
        )


def company(api: str, seed: int, number: int) -> str:
    tag = NUMERALS[seed % 10] + NUMERALS[number // 10 % 10] + NUMERALS[number % 10]
    return f"沙箱S0混沌{'新' if api == 'v2' else '旧'}{tag}科技有限公司"


def form_for(api: str, name: str) -> dict[str, str]:
    fields = {"name": name, "code": code_for(name), "contact_phone": ""}
    if api == "classic":
        fields.update(code_type="1", legal_persona_name="张三", legal_persona_wechat="zhangsan_88")
    return fields


def submit(portal_url: str, form: dict[str, str], deadline: float) -> None:
    """Submit through the form as a merchant would, trying again while the portal is down."""
    while True:
        try:
            with httpx.Client(base_url=portal_url, timeout=5) as browser:
                page = browser.get("/apply").text
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
                answer = browser.post(
                    "/apply/confirm", data={**form, "csrf_token": token.group(1), "action": "x"}
                )
            if answer.status_code == 302:
                return
            raise AssertionError(f"form refused {form['name']}: {answer.status_code}")
        except (httpx.HTTPError, AttributeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def wait_until_up(stack: Stack, url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come back:\n{stack.logs('portal')[-2000:]}")


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


def run(workdir: Path, api: str, seed: int, count: int = 10, arrive_over: float = 20.0) -> Figures:
    """Run the chaos and check the invariants; raise AssertionError when one breaks."""
    rng = random.Random(seed)
    figures = Figures(api, seed)
    names = [company(api, seed, n) for n in range(count)]
    arrivals = sorted(rng.uniform(0, arrive_over) for _ in names)
    stack = start_stack(workdir, env={**CHAOS_ENV, "PORTAL_WECHAT_REGISTER_API": api})
    started = time.monotonic()
    flaky = random.Random(f"receiver {seed}")  # its own stream: misfortunes stay as seeded
    receiver = Receiver([500 if flaky.random() < 0.3 else 200 for _ in range(60)])
    try:
        db = connect(stack.env["PORTAL_DATABASE"])
        webhooks.create_endpoint(db, Vault(), receiver.url, outbox.EVENT_TYPES)
        db.conn.close()
        next_act = started + rng.uniform(0.5, 1.5)
        turn = 0
        pending = list(zip(arrivals, names, strict=True))
        while pending or time.monotonic() < started + arrive_over + 5:
            now = time.monotonic()
            while pending and pending[0][0] <= now - started:
                _, name = pending.pop(0)
                submit(stack.portal_url, form_for(api, name), now + 30)
            if now >= next_act:
                act(stack, rng, figures, turn)
                turn += 1
                next_act = time.monotonic() + rng.uniform(0.8, 2.0)
            time.sleep(0.05)
        httpx.delete(f"{stack.sandbox_url}/sandbox/faults", timeout=5)
        for name in ("portal", "worker"):
            if name not in stack.processes:
                stack.restart(name)
        wait_until_all_authorized(stack, names, started + arrive_over + 150)
        figures.seconds = time.monotonic() - started
        check_invariants(stack, names, figures)
        check_webhooks(stack, receiver, time.monotonic() + 60)
    finally:
        stack.stop()
        receiver.close()
    return figures


def rows(path: str, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(path, timeout=10) as conn:
        return conn.execute(sql, params).fetchall()


def wait_until_all_authorized(stack: Stack, names: list[str], deadline: float) -> None:
    database = stack.env["PORTAL_DATABASE"]
    while time.monotonic() < deadline:
        states = rows(database, "SELECT name, state FROM submissions")
        if len(states) >= len(names) and all(s == "authorized" for _, s in states):
            return
        time.sleep(0.5)
    states = rows(database, "SELECT id, name, state, errcode, errmsg FROM submissions")
    raise AssertionError(f"not every submission was authorized: {states}")


def check_invariants(stack: Stack, names: list[str], figures: Figures) -> None:
    portal, sandbox = stack.env["PORTAL_DATABASE"], stack.env["PORTAL_SANDBOX_DATABASE"]
    per_name = Counter(name for (name,) in rows(sandbox, "SELECT name FROM tasks"))
    assert per_name == Counter(names), f"tasks at WeChat per company: {per_name}"
    submitted = Counter(name for (name,) in rows(portal, "SELECT name FROM submissions"))
    assert submitted == Counter(names), f"submissions per company: {submitted}"
    rejected = rows(portal, "SELECT count(*) FROM submission_events WHERE to_state = 'rejected'")
    assert rejected == [(0,)], "a merchant was told 'rejected'"
    for sub_id, name, appid in rows(portal, "SELECT id, name, appid FROM submissions"):
        successes = rows(
            portal,
            "SELECT count(*) FROM submission_events WHERE submission_id = ? "
            "AND to_state = 'succeeded' AND from_state != 'succeeded'",
            [sub_id],
        )
        assert successes == [(1,)], f"{name}: success applied {successes[0][0]} times"
        pushes = rows(
            portal,
            "SELECT count(*) FROM pushes WHERE submission_id = ? AND outcome = 'succeeded'",
            [sub_id],
        )
        assert pushes == [(1,)], f"{name}: {pushes[0][0]} success pushes applied"
        authorized = rows(portal, "SELECT state FROM authorizers WHERE appid = ?", [appid])
        assert authorized == [("authorized",)], f"{name}: authorizer {authorized}"
    figures.submissions = len(names)
    for endpoint, errcode in rows(portal, "SELECT endpoint, errcode FROM api_calls"):
        outcome = "no answer" if errcode is None else str(errcode)
        figures.calls[f"{endpoint}={outcome}"] += 1


def check_webhooks(stack: Stack, receiver: Receiver, deadline: float) -> None:
    """Every state change made its event, and each was received, in order per submission."""
    portal = stack.env["PORTAL_DATABASE"]
    while rows(portal, "SELECT count(*) FROM webhook_deliveries WHERE state != 'delivered'") != [
        (0,)
    ]:
        assert time.monotonic() < deadline, "webhook deliveries still pending"
        time.sleep(0.3)
    received: dict[int, list[str]] = {}
    seen: set[str] = set()
    for _, body in receiver.received:
        event = json.loads(body)
        if event["id"] not in seen:
            seen.add(event["id"])
            received.setdefault(event["data"]["submission"]["id"], []).append(event["type"])
    for (sub_id,) in rows(portal, "SELECT id FROM submissions"):
        changes = rows(
            portal,
            "SELECT from_state, to_state FROM submission_events WHERE submission_id = ? ORDER BY id",
            [sub_id],
        )
        expected = [t for a, b in changes for t in outbox.state_events(a, b)]
        stored = [t for (t,) in rows(
            portal, "SELECT type FROM webhook_events WHERE submission_id = ? ORDER BY id", [sub_id]
        )]  # fmt: skip
        assert stored == expected, f"submission {sub_id}: outbox {stored} != changes {expected}"
        assert received.get(sub_id) == expected, (
            f"submission {sub_id}: received {received.get(sub_id)}"
        )
        assert expected[-1] == "submission.authorized"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", choices=("classic", "v2"), default="classic")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            print(run(Path(tmp), args.api, seed, args.count).report(), flush=True)


if __name__ == "__main__":
    main()
