"""The go-live chaos run's misfortunes (tests/integration/chaos_golive.py): WeChat's
faults, and SIGKILLs of the worker and the portal, aimed or at random.

A kill is aimed at a setup entering the deploy's ``commit`` or ``submit`` phase or the
release's ``working`` (seen in setup_steps, polled every few hundredths of a second): a
seeded chance, a seeded few tenths of a second later, at most ``AIMED_PER_SETUP`` times
per setup and phase, the worker mostly. The portal is also killed around a pending
audit's end, when its result push comes. The process is restarted at once (the portal
is back within a second or two; the sandbox re-sends what it could not deliver).
"""

from __future__ import annotations

import random
import time
from collections import Counter

import httpx

from portal.stack import Stack
from tests.integration.chaos_checks import rows

PENDING = (2, 4)  # the sandbox's audit statuses under audit and delayed
AIMED_AT = ("/wxa/commit", "/wxa/submit_audit", "/wxa/release")
FAULTS = {
    "latency": {"latency": {"count": 3, "ms": 400}},
    "expired tokens": {"expire_tokens": True},
}
for _path in AIMED_AT:
    _name = _path.rsplit("/", 1)[1]
    FAULTS[f"latency on {_name}"] = {"latency": {"count": 2, "ms": 900, "match": _path}}
    FAULTS[f"timeout on {_name}"] = {"timeout": {"count": 1, "seconds": 3, "match": _path}}
    FAULTS[f"http_500 on {_name}"] = {"http_500": {"count": 1, "match": _path}}
    FAULTS[f"errcode -1 on {_name}"] = {"errcode": {"count": 1, "errcode": -1, "match": _path}}
#: (step, state, phase) of setup_steps -> the moment a kill is aimed at.
AIMS = {
    ("deploy", "working", "commit"): "commit",
    ("deploy", "working", "submit"): "submit",
    ("release", "working", "release"): "release",
}
AIM_CHANCE, AIMED_PER_SETUP, KILL_GAP = 0.6, 2, 1.0


class Killer:
    """SIGKILLs, aimed at a setup's phase or at an audit's end, or at random."""

    def __init__(self, stack: Stack, rng: random.Random, figures) -> None:
        self.stack, self.rng, self.figures = stack, rng, figures
        self.seen: set[tuple[int, str]] = set()  # in that phase at the last look
        self.aimed: Counter = Counter()  # (setup, aim) -> kills decided
        self.pending: tuple[float, str, str] | None = None  # (when, process, aim)
        self.last, self.started = 0.0, time.monotonic()
        self.pushes: set[int] = set()  # audits whose end a portal kill was aimed at

    def look(self, portal: str, now: float) -> None:
        found = rows(
            portal,
            "SELECT setup_id, step, state, phase FROM setup_steps "
            "WHERE state = 'working' AND step IN ('deploy', 'release')",
        )
        current = {
            (r["setup_id"], AIMS[k])
            for r in found
            if (k := (r["step"], r["state"], r["phase"])) in AIMS
        }
        for key in sorted(current - self.seen):
            if self.pending is None and self.aimed[key] < AIMED_PER_SETUP:
                if self.rng.random() < AIM_CHANCE:
                    self.aimed[key] += 1
                    process = "worker" if self.rng.random() < 0.8 else "portal"
                    aim = f"{key[1]} (setup {key[0]})"
                    self.pending = (now + self.rng.uniform(0, 0.4), process, aim)
        self.seen = current

    def audit_ends(self, audits: dict[str, list[dict]], epoch_now: float, now: float) -> None:
        """Aim a portal kill at an audit's result push, now and then."""
        for found in audits.values():
            for audit in found:
                if audit["status"] not in PENDING or audit["auditid"] in self.pushes:
                    continue
                self.pushes.add(audit["auditid"])
                if self.pending is None and self.rng.random() < 0.3:
                    when = now + max(audit["ends_at"] - epoch_now, 0) + self.rng.uniform(-0.2, 0.2)
                    self.pending = (when, "portal", f"audit {audit['auditid']} end")

    def due(self, now: float) -> None:
        if self.pending and now >= self.pending[0] and now - self.last >= KILL_GAP:
            _, process, aim = self.pending
            self.pending = None
            self.kill(process, aim, now)

    def kill(self, process: str, aim: str, now: float) -> None:
        if process not in self.stack.processes:
            return
        self.stack.kill(process)
        self.stack.restart(process)  # the portal comes back within a second or two
        self.figures.kills[f"{process}@{aim.split(' ')[0]}"] += 1
        self.figures.log.append(f"+{now - self.started:.1f}s kill {process}@{aim}")
        self.last = now


def act(stack: Stack, rng: random.Random, killer: Killer, figures, now: float) -> None:
    """One random misfortune: mostly a fault, now and then a kill."""
    roll = rng.random()
    if roll < 0.1:
        killer.kill("worker", "random", now)
    elif roll < 0.2:
        killer.kill("portal", "random", now)
    else:
        kind = rng.choice(sorted(FAULTS))
        httpx.post(f"{stack.sandbox_url}/sandbox/faults", json=FAULTS[kind], timeout=5)
        figures.faults[kind] += 1
        figures.log.append(f"+{now - killer.started:.1f}s {kind}")
