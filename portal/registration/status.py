"""What a submission's status means to a person: the view behind the status page.

The state labels, the timeline, the poll summary and ``StatusView``; the current step's
wording is in ``status_steps``, the timing and retry hints in ``status_timing``.
Read from the portal's database only; reading a status never calls WeChat.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor
from portal.registration.status_steps import current_step, nudge_due
from portal.registration.status_timing import resubmit_allowed_at, retry_hint
from portal.wechat import codes

STATE_LABELS = {
    subs.QUEUED: "资料已保存",
    subs.SENDING: "正在提交给微信",
    subs.CHECKING: "微信核对中",
    subs.AWAITING: "等待法定代表人核验",
    subs.SUCCEEDED: "小程序已创建（授权中）",
    subs.AUTHORIZED: "小程序已创建",
    subs.REJECTED: "微信未受理",
    subs.FAILED: "核验未通过",
    subs.EXPIRED: "已过期",
    subs.HELD: "平台处理中",
}
FINAL = (subs.AUTHORIZED, *subs.ENDED)
#: The label of a task the legal person declined (it ended, but not by the clock).
REFUSED_LABEL = "法定代表人已拒绝"


@dataclass
class StatusView:
    """Everything the status page shows for one submission, and what it derives."""

    sub: dict
    flavor: Flavor
    label: str
    tone: str  # progress, ok, error
    step: str
    entry: codes.Entry | None
    deadline_at: float | None
    retry_hint: str
    can_resubmit: bool
    timeline: list[dict]
    next_submission: dict | None
    #: Before this moment WeChat would refuse a resubmission (89249); None: no wait.
    resubmit_at: float | None = None

    @property
    def resubmit_waits(self) -> bool:
        """Whether a resubmission now would be refused (the button is disabled)."""
        return self.resubmit_at is not None and time.time() < self.resubmit_at

    @property
    def fix_leads(self) -> bool:
        """Whether "fix and resubmit" is the main action. Not after a refusal (talk to the
        legal person first), nor when resubmitting cannot help unless the wrong company
        was typed (cancelled, not operating: the registry must change first)."""
        if not self.entry or self.entry.refusal:
            return False
        return not (self.entry.resubmit == "no" and self.entry.fields)

    @property
    def facts_at_fault(self) -> list[tuple[str, str]]:
        """What was sent for the fields the outcome points at, personal facts masked
        (the status link travels)."""
        wanted = set(self.fields_at_fault)
        return [(k, v) for k, v in self.flavor.facts(self.sub, masked=True) if k in wanted]

    @property
    def timeline_lines(self) -> list[dict]:
        return fold_timeline(self.timeline, self.entry if self.entry_replaced else None)

    @property
    def entry_replaced(self) -> bool:
        """The outcome reads differently from the push's own status (a refusal)."""
        return bool(self.entry and self.entry.refusal and self.sub["state"] == subs.EXPIRED)

    @property
    def live(self) -> bool:
        """Whether the page should keep watching for changes."""
        return self.sub["state"] not in FINAL

    @property
    def created(self) -> bool:
        """The mini program exists: show its AppID and how to manage it."""
        return bool(self.sub["appid"]) and self.tone == "ok"

    @property
    def in_progress(self) -> bool:
        """The legal person may still have something to do."""
        return self.sub["state"] in subs.IN_FLIGHT

    @property
    def overdue(self) -> bool:
        """The legal person's 24 hours are over but no result has come yet."""
        return self.deadline_at is not None and time.time() > self.deadline_at

    @property
    def version(self) -> str:
        return version_of(self.sub)

    @property
    def fields_at_fault(self) -> list[str]:
        """Labels of the fields the outcome points at that this flavor's form has."""
        return [self.flavor.label(f) for f in self.fields_to_highlight]

    @property
    def fields_to_highlight(self) -> tuple[str, ...]:
        fields = self.entry.fields if self.entry else ()
        return tuple(f for f in fields if f in self.flavor.field_names)

    @property
    def legal_person_link(self) -> str | None:
        return self.flavor.legal_person_link(self.sub)


def fold_timeline(events: list[dict], replaced: codes.Entry | None = None) -> list[dict]:
    """The timeline as lines: repeated identical tries folded into one with a count.

    A retry reads "sending" then "not sent: …"; a run of those with the same reason is
    one line (first time, count, last time). ``replaced``: the outcome the ending
    push's own wording misstates (a refusal reported as "not confirmed").
    """
    lines: list[dict] = []
    for event in events:
        text = event["detail"] or STATE_LABELS.get(event["to_state"], event["to_state"])
        ending = event["to_state"] != event["from_state"] and event["to_state"] in subs.ENDED
        if replaced is not None and ending:
            text = f"微信推送结果：{replaced.title}（{replaced.code}）"
        bare_send = (
            len(lines) >= 2 and lines[-1]["state"] == subs.SENDING and not lines[-1]["detail"]
        )
        if bare_send and lines[-2]["text"] == text and lines[-2]["detail"]:
            lines.pop()
        if lines and lines[-1]["text"] == text and lines[-1]["detail"]:
            lines[-1]["count"] += 1
            lines[-1]["last_at"] = event["at"]
            continue
        lines.append(
            {
                "at": event["at"],
                "last_at": event["at"],
                "text": text,
                "count": 1,
                "state": event["to_state"],
                "detail": event["detail"],
            }
        )
    return lines


#: The columns a status poll reads: enough for its version, label and liveness.
POLL_COLUMNS = (
    "id", "state", "updated_at", "sent_at", "maybe_sent", "held_from", "flavor",
    "push_status", "deadline_at", "refused",
)  # fmt: skip


def version_of(sub: Mapping[str, Any]) -> str:
    """Changes whenever the page would read differently (the nudge appears by time)."""
    return f"{sub['state']}:{sub['updated_at']}:{int(nudge_due(sub))}"


def poll(sub: Mapping[str, Any]) -> dict[str, Any]:
    """What the status page's script needs to know whether to refresh: no timeline,
    no catalogue, one indexed row (``POLL_COLUMNS``); a refusal is labelled as one, as
    on the page."""
    created = sub["state"] == subs.HELD and sub["held_from"] == subs.SUCCEEDED
    entry = get_flavor(sub["flavor"]).outcome(sub) if sub.get("refused") else None
    return {
        "version": version_of(sub),
        "state": sub["state"],
        "label": _label(sub, created, entry),
        "live": sub["state"] not in FINAL,
    }


def state_label(row: Mapping[str, Any]) -> str:
    """A submission's state as people read it in a list, a badge or a webhook: a refusal
    (``refused``) reads as one, a created one held reads created."""
    if row.get("refused") and row.get("state") == subs.EXPIRED:
        return REFUSED_LABEL
    if row.get("state") == subs.HELD and row.get("held_from") in (subs.SUCCEEDED, subs.AUTHORIZED):
        return STATE_LABELS[subs.SUCCEEDED]
    return STATE_LABELS.get(row.get("state") or "", row.get("state") or "")


def _label(sub: Mapping[str, Any], created: bool, entry: codes.Entry | None = None) -> str:
    if entry is not None and entry.refusal:
        return REFUSED_LABEL
    if sub["state"] == subs.HELD and created:
        return STATE_LABELS[subs.SUCCEEDED]
    if sub["state"] == subs.SENDING and sub["maybe_sent"]:
        return "正在向微信确认"
    return STATE_LABELS[sub["state"]]


def view(db: sqlite_utils.Database, sub: dict) -> StatusView:
    """Build the status page's content for ``sub``, under the flavor it was made with."""
    state = sub["state"]
    flavor = get_flavor(sub["flavor"])
    entry = None
    if state == subs.REJECTED:
        entry = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
    elif state in (subs.FAILED, subs.EXPIRED):
        entry = flavor.outcome(sub)
    timeline = subs.timeline(db, sub["id"])
    created = state in (subs.SUCCEEDED, subs.AUTHORIZED) or (
        state == subs.HELD and sub["held_from"] == subs.SUCCEEDED
    )
    tone = "error" if state in subs.ENDED else "ok" if created else "progress"
    following = list(
        db.query(
            "SELECT public_id, state FROM submissions WHERE previous_id = ? ORDER BY id DESC LIMIT 1",
            [sub["id"]],
        )
    )
    return StatusView(
        sub=sub,
        flavor=flavor,
        label=_label(sub, created, entry),
        tone=tone,
        step=current_step(sub, entry),
        entry=entry,
        deadline_at=sub["deadline_at"] if state in (subs.CHECKING, subs.AWAITING) else None,
        retry_hint=retry_hint(db, sub, entry) if entry else "",
        can_resubmit=state in subs.ENDED
        and bool(entry and (entry.resubmit != "no" or entry.fields)),
        timeline=timeline,
        next_submission=following[0] if following else None,
        resubmit_at=resubmit_allowed_at(db, sub),
    )


def seconds_left(deadline_at: float | None, now: float | None = None) -> int | None:
    """The countdown to ``deadline_at`` in whole seconds, never negative; None: no deadline."""
    if deadline_at is None:
        return None
    return max(0, int(deadline_at - (time.time() if now is None else now)))
