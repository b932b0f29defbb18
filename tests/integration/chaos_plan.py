"""What the chaos run's merchants and legal persons do: companies, plans, forms, buttons.

Each company follows a plan: a sandbox magic value in its name (or none) and, for each
of its submissions in turn, what its legal person does with WeChat's task:

| plan | name carries | 1st submission | 2nd submission (same facts) |
|---|---|---|---|
| ok | S0 | approved by WeChat by itself | none |
| expire-then-ok | nothing | legal person lets it expire | approved |
| refuse-then-ok | nothing | refused (classic: 100003) / face check fails (v2: 6) | approved |
| window-then-ok | nothing | nobody acts: expires when the window ends | approved |
| expired-twice | S100003 / S2 | expires right after the check | expires again |
| failed-twice | S103 / S14 | fails right after the check | fails again |

A second submission is made through the real pages once the first has ended: the status
page's one-tap resubmit when it offers one, else the form (prefilled from the old one).
``People`` plays the legal persons and the merchants, on a seeded stream of its own, and
releases a held ("straggling") first result push once the company's next submission is
with WeChat.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass

import httpx

from tests.integration import chaos_checks
from tests.registration.facts import code_for

NUMERALS = "甲乙丙丁戊己庚辛壬癸"
CSRF = re.compile(r'name="csrf_token"[^>]*\svalue="([^"]+)"')
#: A plan: the magic value per API, and the legal person's choice per submission.
PLANS: dict[str, tuple[dict[str, str], tuple[str | None, ...]]] = {
    "ok": ({"classic": "S0", "v2": "S0"}, (None,)),
    "expire-then-ok": ({}, ("expire", "approve")),
    "refuse-then-ok": ({}, ("refuse", "approve")),
    "window-then-ok": ({}, (None, "approve")),
    "expired-twice": ({"classic": "S100003", "v2": "S2"}, (None, None)),
    "failed-twice": ({"classic": "S103", "v2": "S14"}, (None, None)),
}
#: The sandbox's buttons (portal/sandbox/simulator.py) for each choice, per API.
BUTTONS = {
    "classic": {"approve": "approve", "expire": "expire_100003", "refuse": "refuse"},
    "v2": {"approve": "approve", "expire": "expire", "refuse": "face_fail"},
}
WITH_WECHAT = ("sending", "checking", "awaiting_legal_person")
#: Where a submission stays for good in this run (no staff releases a held one).
SETTLED = ("authorized", "failed", "expired", "rejected", "held")
ROSTER = ("ok",) * 7 + tuple(p for p in PLANS if p != "ok")


@dataclass
class Company:
    name: str
    plan: str

    @property
    def choices(self) -> tuple[str | None, ...]:
        return PLANS[self.plan][1]


def companies(api: str, seed: int) -> list[Company]:
    found = []
    for number, plan in enumerate(ROSTER):
        tag = NUMERALS[seed % 10] + NUMERALS[number // 10 % 10] + NUMERALS[number % 10]
        marker = PLANS[plan][0].get(api, "")
        found.append(
            Company(f"沙箱{marker}混沌{'新' if api == 'v2' else '旧'}{tag}科技有限公司", plan)
        )
    return found


def form_for(api: str, name: str) -> dict[str, str]:
    fields = {"name": name, "code": code_for(name), "contact_phone": ""}
    if api == "classic":
        fields.update(code_type="1", legal_persona_name="张三", legal_persona_wechat="zhangsan_88")
    return fields


def _retrying(what: str, deadline: float, attempt):
    """Run ``attempt`` until it returns, trying again while the portal is down."""
    while True:
        try:
            return attempt()
        except (httpx.HTTPError, AttributeError) as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: the portal did not answer ({exc!r})") from exc
            time.sleep(0.3)


def submit(portal_url: str, form: dict[str, str], deadline: float, previous: str = "") -> None:
    """Submit through the form as a merchant would (``previous``: the status page's link)."""

    def attempt() -> None:
        with httpx.Client(base_url=portal_url, timeout=5) as browser:
            page = browser.get("/apply", params={"from": previous} if previous else None).text
            token = CSRF.search(page).group(1)
            data = {**form, "csrf_token": token, "action": "x", "previous": previous}
            answer = browser.post("/apply/confirm", data=data)
        if answer.status_code != 302:
            raise AssertionError(f"form refused {form['name']}: {answer.status_code}")

    _retrying(f"submitting {form['name']}", deadline, attempt)


def resubmit(portal_url: str, api: str, public_id: str, name: str, deadline: float) -> str:
    """Resubmit the same facts from the ended submission's status page; return how."""

    def attempt() -> str:
        with httpx.Client(base_url=portal_url, timeout=5) as browser:
            page = browser.get(f"/s/{public_id}").text
            if f"/s/{public_id}/resubmit" in page:
                token = CSRF.search(page).group(1)
                answer = browser.post(f"/s/{public_id}/resubmit", data={"csrf_token": token})
                if answer.status_code != 302:
                    raise AssertionError(f"resubmit of {name} refused: {answer.status_code}")
                return "one-tap"
        previous = public_id if f"from={public_id}" in page else ""
        submit(portal_url, form_for(api, name), deadline, previous)
        return "prefilled form" if previous else "form"

    return _retrying(f"resubmitting {name}", deadline, attempt)


def press(sandbox_url: str, api: str, task: dict, choice: str) -> None:
    """The legal person's button for ``task`` in the sandbox's simulator."""
    path = (
        f"/sandbox/verify/{task['taskid']}"
        if api == "v2"
        else f"/sandbox/legal-person/{task['id']}"
    )
    button = BUTTONS[api][choice]
    httpx.post(f"{sandbox_url}{path}", data={"choice": button}, timeout=5)


class People:
    """The legal persons pressing buttons and the merchants resubmitting, on their own stream."""

    def __init__(self, stack, api: str, roster, seed: int, proxy, figures) -> None:
        self.stack, self.api, self.proxy = stack, api, proxy
        self.presses, self.resubmits, self.network = (
            figures.presses,
            figures.resubmits,
            figures.network,
        )
        self.plans = {c.name: c.choices for c in roster}
        self.rng = random.Random(f"people {seed}")
        self.due: dict[tuple[str, int], float] = {}  # ("press"|"resubmit", id) -> when
        self.done: set[tuple[str, int]] = set()
        self.problems: list[str] = []  # what the pages refused a merchant

    def _when(self, key: tuple[str, int], now: float, low: float, high: float) -> bool:
        if key in self.done:
            return False
        self.due.setdefault(key, now + self.rng.uniform(low, high))
        return now >= self.due[key]

    def step(self, truth: chaos_checks.Truth, now: float) -> bool:
        """Press what is due and resubmit what ended; True once every plan has played out."""
        for task in (t for t in truth.tasks if t["state"] == "legal_person"):
            owner = truth.owner(task)
            if owner is None or (self.api == "v2" and owner["taskid"] != task["taskid"]):
                continue  # v2: without the create's answer, nobody has the link to open
            index = [s["id"] for s in truth.subs_of(task["name"])].index(owner["id"])
            choices = self.plans.get(task["name"], ())
            choice = choices[index] if index < len(choices) else None
            if choice and self._when(("press", task["id"]), now, 0.3, 2.5):
                press(self.stack.sandbox_url, self.api, task, choice)
                self.done.add(("press", task["id"]))
                self.presses[choice] += 1
        settled = True
        for name, choices in self.plans.items():
            subs = truth.subs_of(name)
            if not subs:
                settled = False
                continue
            last = subs[-1]
            held = self.proxy.stragglers.get(name)
            if held and not held.is_set() and len(subs) > 1 and last["state"] in WITH_WECHAT:
                self.proxy.release(name)  # the predecessor's push lands on the successor's life
                self.network[f"straggler released while successor {last['state']}"] += 1
            resubmitted = ("resubmit", last["id"]) in self.done
            if last["state"] in chaos_checks.ENDED and len(subs) < len(choices) and not resubmitted:
                settled = False
                if self._when(("resubmit", last["id"]), now, 0.5, 3.0):
                    self.done.add(("resubmit", last["id"]))
                    try:
                        how = resubmit(
                            self.stack.portal_url, self.api, last["public_id"], name, now + 30
                        )
                    except AssertionError as exc:
                        self.problems.append(f"submission {last['id']}: {exc}")
                        how = "refused"
                    self.resubmits[how] += 1
            elif last["state"] not in SETTLED:
                settled = False
        return settled
