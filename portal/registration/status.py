"""What a submission's status means to a person: the view behind the status page.

Read from the portal's database only; reading a status never calls WeChat.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import BEIJING, beijing, day_start
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
#: WeChat refuses a create while the company's last task runs: 24 hours after it began.
TASK_RUNNING_WAIT = 24 * 3600


@dataclass
class StatusView:
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


def add_working_days(start: float, days: int) -> datetime:
    day = datetime.fromtimestamp(start, BEIJING)
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _retry_hint(db: sqlite_utils.Database, sub: dict, entry: codes.Entry) -> str:
    if entry.resubmit != "later":
        return ""
    if entry.code == 105 and sub["push_status"] == 105:
        start = add_working_days(sub["updated_at"], 5).strftime("%m月%d日")
        end = add_working_days(sub["updated_at"], 15).strftime("%m月%d日")
        return f"工商数据通常在 5–15 个工作日内更新，建议在 {start} 至 {end} 之间重新提交。"
    if entry.code == codes.TASK_RUNNING:
        allowed = resubmit_allowed_at(db, sub)
        previous = _previous_task_at(db, sub)
        if previous and previous + TASK_RUNNING_WAIT == allowed:
            return (
                f"该企业的上一个任务提交于 {beijing(previous)}，微信要等它结束，"
                f"最晚可在 {beijing(allowed)} 之后再次提交。"
            )
        return f"该企业已有一个进行中的任务，微信要等它结束，最晚可在 {beijing(allowed)} 之后再次提交。"
    return f"建议{entry.resubmit_after}再次提交。"


def _previous_task_at(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> float | None:
    """When the portal last sent another submission of this company (any API)."""
    row = db.execute(
        "SELECT max(sent_at) FROM submissions WHERE code = ? AND id != ? AND sent_at IS NOT NULL",
        [sub["code"], sub["id"]],
    ).fetchone()
    return row[0] if row and row[0] else None


def resubmit_allowed_at(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> float | None:
    """When WeChat takes this company's next create after ``sub`` met 89249.

    24 hours after the task it is waiting for began: the portal's own earlier one, or,
    when that cannot be it (none, or already past), a task made elsewhere, which began
    before this create was answered.
    """
    if sub["state"] != subs.REJECTED or sub["errcode"] != codes.TASK_RUNNING:
        return None
    refused_at = sub["sent_at"] or sub["updated_at"]
    previous = _previous_task_at(db, sub)
    if previous and previous + TASK_RUNNING_WAIT > refused_at:
        return previous + TASK_RUNNING_WAIT
    return refused_at + TASK_RUNNING_WAIT


def _ended_at(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> float:
    """When WeChat says the task ended: its result push's own time (CreateTime), else when
    the portal learnt it. A refusal is told from a timeout by this moment."""
    row = db.execute(
        "SELECT create_time, received_at FROM pushes WHERE submission_id = ? "
        "AND info_type = 'notify_third_fasteregister' ORDER BY id DESC LIMIT 1",
        [sub["id"]],
    ).fetchone()
    if row:
        return float(row[0] if row[0] is not None else row[1])
    return float(sub["updated_at"])


def clock(at: float, now: float | None = None) -> str:
    """HH:MM today, or 月日 HH:MM on another day (Beijing time)."""
    now = time.time() if now is None else now
    return beijing(at, "%H:%M" if day_start(at) == day_start(now) else "%m月%d日 %H:%M")


def _next_try(sub: Mapping[str, Any]) -> str:
    at = sub.get("next_attempt_at")
    return f"将于 {clock(at)} 重试。" if at and at > time.time() else "即将重试。"


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


#: After this long in "checking", the merchant is told to nudge the legal person: WeChat's
#: message has usually arrived by then, though no push says so (classic sends none).
NUDGE_AFTER_MINUTES = 10


def _waited_minutes(sub: Mapping[str, Any]) -> int:
    return int((time.time() - (sub["sent_at"] or time.time())) // 60)


def _step(sub: dict, entry: codes.Entry | None) -> str:
    state = sub["state"]
    flavor = get_flavor(sub["flavor"])
    if state == subs.HELD:
        if sub["held_from"] == subs.SUCCEEDED:
            return (
                "小程序已创建。平台在获取小程序的管理授权时遇到问题，工作人员正在处理，无需您操作。"
            )
        held = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
        return (
            f"您的资料已保存。提交给微信时遇到平台方面的问题（{held.title}），与您填写的信息无关；"
            "平台工作人员正在处理，处理好后会自动提交，无需重新填写。"
        )
    if state == subs.SENDING and sub["maybe_sent"]:
        if sub["errcode"] == codes.TASK_RUNNING:
            until = beijing(sub["claimed_until"]) if sub["claimed_until"] else "24 小时内"
            return (
                "微信那边已有本企业的注册任务，但平台没有收到它的验证链接（微信当时没有答复）。"
                f"该任务最迟于 {until} 结束，之后平台会自动重新提交并在本页显示新的验证链接，无需您操作。"
            )
        return (
            "微信暂未答复本次提交。平台会先确认微信是否已收到，再决定是否重新提交，"
            "不会重复提交；您的资料已保存，无需操作。"
        )
    if state in (subs.QUEUED, subs.SENDING):
        if sub.get("waiting_for") == "platform":
            return (
                "您的资料已保存。平台暂时无法向微信提交（正在重新连接微信），这与您填写的信息无关；"
                "恢复后会自动提交，无需重新填写。" + _next_try(sub)
            )
        if sub.get("waiting_for") == "company":
            return (
                "本企业还有一个申请正在微信办理：微信同一时间只受理一家企业的一个注册任务。"
                "那个申请结束后，平台会自动提交本申请，无需您操作。"
            )
        if sub["errcode"]:
            held = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
            return (
                f"微信暂时无法受理（{held.title}）。您的资料已保存，平台会自动重试，无需重新填写。"
                + _next_try(sub)
            )
        if sub["errmsg"]:  # no answer at all: timeout, connection or server error
            return "微信暂时没有响应。您的资料已保存，平台会自动重试，无需重新填写。" + _next_try(
                sub
            )
        return "资料已保存，平台正在把申请提交给微信，通常只需几秒钟。"
    if state == subs.CHECKING and flavor.nudge and _waited_minutes(sub) >= NUDGE_AFTER_MINUTES:
        return flavor.nudge.format(minutes=_waited_minutes(sub))
    if state == subs.CHECKING:
        return (
            "微信正在核对企业信息与法定代表人信息是否一致，通常需要几分钟到几十分钟。"
            + flavor.legal_person_step
        )
    if state == subs.AWAITING:
        return flavor.legal_person_step
    if state == subs.SUCCEEDED:
        return (
            "法定代表人已完成核验，微信已创建小程序。平台正在获取小程序的管理授权，稍后自动完成。"
        )
    if state == subs.AUTHORIZED:
        return "小程序已创建，平台已获得管理授权，接下来会协助您完成小程序的基本设置与上线。"
    return entry.explanation if entry else ""


#: The columns a status poll reads: enough for its version, label and liveness.
POLL_COLUMNS = (
    "id", "state", "updated_at", "sent_at", "maybe_sent", "held_from", "flavor",
    "push_status", "deadline_at",
)  # fmt: skip


def version_of(sub: Mapping[str, Any]) -> str:
    """Changes whenever the page would read differently (the nudge appears by time)."""
    nudged = sub["state"] == subs.CHECKING and _waited_minutes(sub) >= NUDGE_AFTER_MINUTES
    return f"{sub['state']}:{sub['updated_at']}:{int(nudged)}"


def poll(sub: Mapping[str, Any], db: sqlite_utils.Database | None = None) -> dict[str, Any]:
    """What the status page's script needs to know whether to refresh: no timeline,
    no catalogue, one indexed row (``POLL_COLUMNS``). An expired one (final: read once)
    also looks at its result push, so that a refusal is labelled as one, as on the page."""
    created = sub["state"] == subs.HELD and sub["held_from"] == subs.SUCCEEDED
    entry = None
    if sub["state"] == subs.EXPIRED and db is not None:
        entry = codes.ended_early(sub["push_status"], _ended_at(db, sub), sub["deadline_at"])
    return {
        "version": version_of(sub),
        "state": sub["state"],
        "label": _label(sub, created, entry),
        "live": sub["state"] not in FINAL,
    }


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
        entry = flavor.result(sub["push_status"], sub["push_msg"] or "")
    timeline = subs.timeline(db, sub["id"])
    if state == subs.EXPIRED:
        entry = (
            codes.ended_early(sub["push_status"], _ended_at(db, sub), sub["deadline_at"]) or entry
        )
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
        step=_step(sub, entry),
        entry=entry,
        deadline_at=sub["deadline_at"] if state in (subs.CHECKING, subs.AWAITING) else None,
        retry_hint=_retry_hint(db, sub, entry) if entry else "",
        can_resubmit=state in subs.ENDED
        and bool(entry and (entry.resubmit != "no" or entry.fields)),
        timeline=timeline,
        next_submission=following[0] if following else None,
        resubmit_at=resubmit_allowed_at(db, sub),
    )


def seconds_left(deadline_at: float | None, now: float | None = None) -> int | None:
    if deadline_at is None:
        return None
    return max(0, int(deadline_at - (time.time() if now is None else now)))
