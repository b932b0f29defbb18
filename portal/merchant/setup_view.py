"""What the go-live checklist shows: each step's state in words, what the merchant gave,
what the worker stored (WeChat's reasons, the codes), read from the database only.

Pages never call WeChat: this reads what ``portal.golive.steps`` holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from portal.golive import fixes, icp, rules, screenshots
from portal.golive import steps as st
from portal.golive.actions import step_label
from portal.merchant.setup_speedup import Speedup, speedup_of

TITLES = {
    st.NAME: "名称",
    st.AVATAR: "头像",
    st.INTRO: "简介",
    st.CATEGORY: "类目",
    st.DEPLOY: "检查并提交",
    st.AUDIT: "微信审核",
    st.RELEASE: "发布上线",
    st.TESTERS: "体验者",
    icp.STEP: "ICP 备案",
}
TONES = {
    st.TODO: "todo",
    st.GIVEN: "progress",
    st.WORKING: "progress",
    st.WAITING: "progress",
    st.DONE: "ok",
    st.NEEDS_MERCHANT: "error",
    st.HELD: "warn",
}
#: The deploy step's phases, in the worker's order (portal.tasks.golive_deploy.PHASES).
DEPLOY_PHASES = (
    ("domains", "配置小程序的服务器域名"),
    ("commit", "上传小程序代码（按您的名称等信息生成）"),
    ("privacy", "等待微信的隐私检测，设置用户隐私保护指引"),
    ("submit", "提交微信审核"),
)


@dataclass
class StepView:
    name: str
    row: dict
    files: list[str] = field(default_factory=list)  # the roles of its files
    reopen: bool = False  # done, but the merchant may change it (after a rejected audit)

    @property
    def state(self) -> str:
        return self.row["state"]

    @property
    def label(self) -> str:
        return step_label(self.name, self.state)

    @property
    def tone(self) -> str:
        return TONES.get(self.state, "todo")

    @property
    def title(self) -> str:
        return TITLES.get(self.name, self.name)

    @property
    def open(self) -> bool:
        """The merchant may (re)give this step's input now."""
        return self.state in st.OPEN_TO_MERCHANT or (self.reopen and self.state == st.DONE)

    @property
    def input(self) -> dict:
        return self.row["input"]

    @property
    def result(self) -> dict:
        return self.row["result"]

    @property
    def reason(self) -> str:
        return st.plain(self.row["reason"]) if self.state in (st.NEEDS_MERCHANT, st.HELD) else ""

    @property
    def version(self) -> str:
        """Changes with the step, with its files (a code image kept by the worker) and
        when it reopens (after a rejected audit) or closes again."""
        reopen = ":reopen" if self.reopen else ""
        return f"{self.state}:{self.row['updated_at']}:{'/'.join(self.files)}{reopen}"


@dataclass
class SetupView:
    sub: dict
    setup: dict
    steps: dict[str, StepView]
    timeline: list[dict]
    #: The operator's release policy ("auto" or "confirm"), asked only when it matters.
    release_policy: Callable[[], str]
    #: After a rejected or withdrawn audit: what the merchant changed, what comes again.
    plan: fixes.Plan | None = None
    #: Whether the merchant may ask for an expedited audit now, and why not.
    speedup: Speedup | None = None
    #: The ICP filing as the worker last read it (portal.golive.icp).
    filing: icp.Filing = field(default_factory=lambda: icp.filing_unknown())

    def __getitem__(self, name: str) -> StepView:
        return self.steps[name]

    @property
    def merchant_steps(self) -> list[StepView]:
        return [self.steps[name] for name in st.MERCHANT_STEPS]

    @property
    def given_count(self) -> int:
        return sum(1 for s in self.merchant_steps if s.state != st.TODO)

    @property
    def choices(self) -> list[dict]:
        found = self.steps[st.CATEGORY].result.get("choices")
        return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []

    @property
    def chosen(self) -> dict | None:
        given = self.steps[st.CATEGORY].input
        return self.choice(f"{given.get('first')}:{given.get('second')}") if given else None

    def choice(self, key: str) -> dict | None:
        return rules.find_choice(self.choices, key)[0]

    @property
    def choice_groups(self) -> list[tuple[str, list[dict]]]:
        """The choices under their first-level names, in the order WeChat gave them."""
        groups: dict[str, list[dict]] = {}
        for choice in self.choices:
            groups.setdefault(str(choice.get("first_name", "")), []).append(choice)
        return list(groups.items())

    @property
    def documents_have(self) -> list[str]:
        """The qualification documents already stored (any category's)."""
        roles = self.steps[st.CATEGORY].files
        return sorted(r.split(":", 1)[1] for r in roles if r.startswith("qualification:"))

    @property
    def first_open(self) -> str | None:
        """The merchant step to show open: the first that needs the merchant."""
        for s in self.merchant_steps:
            if s.state in (st.TODO, st.NEEDS_MERCHANT):
                return s.name
        return None

    @property
    def deploy_phase(self) -> int:
        """How many of the deploy's phases are behind it (all four once done)."""
        deploy = self.steps[st.DEPLOY]
        if deploy.state == st.DONE:
            return len(DEPLOY_PHASES)
        if deploy.state == st.TODO:
            return -1
        names = [name for name, _ in DEPLOY_PHASES]
        phase = deploy.row["phase"]
        return names.index(phase) if phase in names else 0

    @property
    def latest(self) -> dict[str, str]:
        """Each step's latest timeline note (what the worker last said about it)."""
        notes: dict[str, str] = {}
        for event in self.timeline:
            if event["detail"]:
                notes[event["step"]] = event["detail"]
        return notes

    @property
    def can_release(self) -> bool:
        """The audit passed and the platform waits for the merchant's word (policy confirm)."""
        return (
            self.steps[st.AUDIT].state == st.DONE
            and self.steps[st.RELEASE].state == st.TODO
            and self.release_policy() == "confirm"
        )

    @property
    def released(self) -> bool:
        return self.steps[st.RELEASE].state == st.DONE

    @property
    def fixing(self) -> bool:
        """The audit came back to the merchant: the four steps may be changed."""
        return self.plan is not None

    @property
    def shots(self) -> tuple[int | None, list[screenshots.Shot], bool]:
        """The rejected audit's screenshots: (auditid, each, still being fetched)."""
        return screenshots.shown(self.steps[st.AUDIT].result)

    @property
    def icp(self) -> str:
        """The filing's label ("已备案" once filed)."""
        return self.filing.label

    @property
    def editing(self) -> bool:
        """Some step waits for the merchant's input (no self-refresh without a script)."""
        return any(s.open for s in self.merchant_steps)

    @property
    def live(self) -> bool:
        return poll_summary({n: s.row for n, s in self.steps.items()})["live"]

    @property
    def version(self) -> str:
        rows = {n: s.row for n, s in self.steps.items()}
        return poll_summary(rows, filing_marker(self.filing))["version"]


def build(
    db: sqlite_utils.Database, sub: dict, setup: dict, release_policy: Callable[[], str]
) -> SetupView:
    rows = st.steps(db, setup["id"])
    views = {name: StepView(name, row) for name, row in rows.items()}
    for name in (st.NAME, st.AVATAR, st.CATEGORY, st.AUDIT, st.RELEASE):
        if name in views:
            views[name].files = st.file_roles(db, setup["id"], name)
    plan = fixes.plan(db, setup["id"]) if st.fixing(db, setup["id"]) else None
    for name in st.MERCHANT_STEPS:
        views[name].reopen = plan is not None
    timeline = st.timeline(db, setup["id"])
    speedup = speedup_of(db, setup["id"]) if rows[st.AUDIT]["state"] == st.WAITING else None
    filing = icp.filing(db, setup["id"])
    return SetupView(sub, setup, views, timeline, release_policy, plan, speedup, filing)


def filing_marker(filing: icp.Filing) -> str:
    """The ICP filing's part of the poll's version: it changes when the worker reads it."""
    return f"icp:{filing.status}:{filing.checked_at}:{filing.problem}"


def poll_summary(rows: dict[str, dict], extra: str = "") -> dict[str, Any]:
    """What the page's script needs: a version that changes whenever a step (or ``extra``,
    the ICP filing's marker) does."""
    parts = [f"{name}:{row['state']}:{row['updated_at']}" for name, row in sorted(rows.items())]
    parts.append(extra)
    version = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
    # Until the release, staff, WeChat's pushes or the worker may change any step.
    live = rows.get(st.RELEASE, {}).get("state") != st.DONE
    return {
        "version": version,
        "live": live,
        "steps": {
            name: {
                "state": row["state"],
                "label": step_label(name, row["state"]),
                "tone": TONES.get(row["state"], "todo"),
                "version": f"{row['state']}:{row['updated_at']}",
            }
            for name, row in rows.items()
        },
    }
