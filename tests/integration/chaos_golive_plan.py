"""The go-live chaos run's cast: the companies, the operator, the merchants and WeChat's
reviewer (tests/integration/chaos_golive.py).

Every company is registered through the real form with an S0 name (WeChat approves it
by itself), so it ends ``authorized`` and the worker opens its setup. Then each follows
a plan, by the number of code audits the sandbox rejects (magic ``A1`` in the nickname)
before one passes:

| plan | nickname | audits |
|---|---|---|
| ok | plain | the first passes by itself |
| rejected-once | carries A1 | the 1st is rejected; the merchant changes the introduction and resubmits; the reviewer passes the 2nd |
| rejected-twice | carries A1 | rejected twice, resubmitted twice; the reviewer passes the 3rd |

The operator configures the platform first (``configure``): the demo template (the
sandbox's draft 2, added to the library through the worker's ``templates_sync`` kind)
and the values of tests/golive/test_pipeline.py. The merchants give the four steps with
``steps.give`` on the portal's database and resubmit with ``audits.resubmit`` once the
rejection reached the portal. The reviewer presses the sandbox page's *pass* on a
pending audit that the plan wants passed (an A1 nickname would be rejected for ever).
All on a seeded stream of their own, so the misfortunes stay as seeded.
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass

import httpx
import sqlite_utils
from PIL import Image

from portal.golive import audits, platform
from portal.golive import steps as st
from portal.sandbox.miniprograms import catalog

NUMERALS = "甲乙丙丁戊己庚辛壬癸"
PLANS = {"ok": 0, "rejected-once": 1, "rejected-twice": 2}
ROSTER = ("ok",) * 3 + ("rejected-once",) * 2 + ("rejected-twice",)
FAILED, WITHDRAWN, PENDING = 1, 3, (2, 4)  # the sandbox's audit statuses
FEEDBACK = "已按审核意见补充页面内容"
#: The operator's setup, as tests/golive/test_pipeline.py saves it (template_id added).
PLATFORM = {
    "template_version": "1.0.0",
    "privacy_contact": {"contact_phone": "020-12345678"},
    "privacy_notice_method": "弹窗",
    "release_policy": "auto",
    "domain_way": "direct",
    # the demo template calls getLocation: WeChat wants it declared (61040 otherwise)
    "ext_json_template": '{"extAppid": "{appid}", "ext": {"company": "{company}"}, '
    '"requiredPrivateInfos": ["getLocation"]}',
    "server_domains": {"requestdomain": ("https://api.shop.example.com",)},
    "audit_items": ({"address": "pages/index/index", "tag": "餐饮 外卖", "title": "首页"},),
}


@dataclass
class Company:
    name: str
    nickname: str
    plan: str

    @property
    def rejections(self) -> int:
        return PLANS[self.plan]


def companies(seed: int) -> list[Company]:
    found = []
    for number, plan in enumerate(ROSTER):
        tag = NUMERALS[seed % 10] + NUMERALS[number // 10 % 10] + NUMERALS[number % 10]
        magic = "A1" if PLANS[plan] else ""
        found.append(Company(f"沙箱S0上线混沌{tag}科技有限公司", f"沙箱{magic}小店{tag}", plan))
    return found


def jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), color).save(out, "JPEG")
    return out.getvalue()


def configure(db: sqlite_utils.Database, deadline: float) -> int:
    """Add the demo draft to the library through the worker, then save the operator's
    setup with its template; the template_id."""
    platform.request(db, platform.ADD_DRAFT, detail="2", by="chaos")
    while not platform.templates(db):
        if time.monotonic() > deadline:
            raise AssertionError(f"no template fetched: {platform.state(db)}")
        time.sleep(0.2)
    template_id = platform.templates(db)[0]["template_id"]
    platform.save(db, template_id=template_id, **PLATFORM)
    return template_id


def plain_categories(choices: list[dict]) -> list[dict]:
    """The picker's categories an enterprise may add at once: no audit, no UGC declaration."""
    return [
        c
        for c in choices
        if not c["sensitive"]
        and c["second"] not in catalog.UGC
        and catalog.ENTERPRISE in catalog.allowed_types(catalog.BY_ID[c["second"]])
    ]


def give_all(db: sqlite_utils.Database, setup_id: int, company: Company, rng: random.Random):
    """The merchant's four steps, as the setup pages store them."""
    licence, avatar = jpeg((200, 80, 40)), jpeg((10, 120, rng.randrange(256)))
    st.give(
        db, setup_id, st.NAME, {"nickname": company.nickname}, [("licence", "image/jpeg", licence)]
    )
    st.give(db, setup_id, st.AVATAR, {}, [("avatar", "image/jpeg", avatar)])
    st.give(db, setup_id, st.INTRO, {"signature": "本店提供餐饮外卖和到店服务"})
    choice = rng.choice(plain_categories(st.step(db, setup_id, st.CATEGORY)["result"]["choices"]))
    keys = ("first", "second", "first_name", "second_name")
    st.give(db, setup_id, st.CATEGORY, {k: choice[k] for k in keys})


class Merchants:
    """The merchants giving and resubmitting, and the reviewer passing, on their own stream."""

    def __init__(self, db, sandbox_url: str, roster: list[Company], seed: int, figures) -> None:
        self.db, self.sandbox_url, self.figures = db, sandbox_url, figures
        self.by_name = {c.name: c for c in roster}
        self.rng = random.Random(f"merchants {seed}")
        self.due: dict[tuple, float] = {}
        self.done: set[tuple] = set()
        self.resubmitted: dict[int, int] = {}  # setup id -> resubmits made
        self.late: dict[str, int] = {}  # appid -> audits the reviewer meant to pass, too late
        self.problems: list[str] = []

    def _when(self, key: tuple, now: float, low: float, high: float) -> bool:
        if key in self.done:
            return False
        self.due.setdefault(key, now + self.rng.uniform(low, high))
        return now >= self.due[key]

    def step(self, view, now: float) -> None:
        """``view``: setups (with the company's name), their steps, the sandbox's audits."""
        for setup in view.setups:
            company = self.by_name.get(setup["name"])
            steps = view.steps.get(setup["id"], {})
            if company is None or not steps:
                continue
            self._give(setup, steps, company, now)
            found = view.audits.get(setup["appid"], [])
            self._resubmit(setup, steps, company, found, now)
            self._review(setup, company, found, now)

    def _give(self, setup: dict, steps: dict, company: Company, now: float) -> None:
        key = ("give", setup["id"])
        if "choices" not in steps[st.CATEGORY]["result"] or not self._when(key, now, 0, 2):
            return
        self.done.add(key)
        try:
            give_all(self.db, setup["id"], company, self.rng)
        except (st.StepClosed, IndexError) as exc:
            self.problems.append(f"setup {setup['id']}: the merchant's steps refused: {exc!r}")

    def _resubmit(self, setup, steps, company, found, now) -> None:
        audit = steps[st.AUDIT]
        wanted = company.rejections + self.late.get(setup["appid"], 0)
        made = self.resubmitted.get(setup["id"], 0)
        rejected = bool(found) and found[-1]["status"] in (FAILED, WITHDRAWN)
        if audit["state"] != st.NEEDS_MERCHANT or not rejected or made >= wanted:
            return
        key = ("resubmit", setup["id"], made)
        if self._when(key, now, 0.5, 2.0):
            self.done.add(key)
            if made == 0 and company.plan == "rejected-once":
                # the merchant changes a step first: the resubmit waits for it at WeChat
                intro = {"signature": "本店提供手工面条的外卖和到店自提服务"}
                if st.give(self.db, setup["id"], st.INTRO, intro)["state"] == st.GIVEN:
                    self.figures.merchants["changed intro"] += 1
            if audits.resubmit(self.db, setup["id"], FEEDBACK):
                self.resubmitted[setup["id"]] = made + 1
                self.figures.merchants["resubmit"] += 1

    def _review(self, setup: dict, company: Company, found: list[dict], now: float) -> None:
        if not company.rejections:
            return
        failed = [a for a in found if a["status"] == FAILED]
        for audit in found:
            key = ("pass", audit["auditid"])
            if key in self.done or len(failed) < company.rejections:
                continue
            if audit["status"] not in PENDING:
                if key in self.due:  # it ended before the reviewer got to it
                    self.done.add(key)
                    self.late[setup["appid"]] = self.late.get(setup["appid"], 0) + 1
                    self.figures.merchants["reviewer too late"] += 1
                continue
            if self._when(key, now, 0.1, 0.4):
                self.done.add(key)
                form = {"kind": "code", "key": str(audit["auditid"]), "choice": "pass"}
                url = f"{self.sandbox_url}/sandbox/miniprograms/{setup['appid']}/decide"
                httpx.post(url, data=form, timeout=5)
                self.figures.merchants["reviewer pass"] += 1
