"""The chaos run's invariants, judged against the sandbox's records as the truth.

Every check returns a list of failures (plain sentences with the evidence: submission
ids, their timelines, the tasks at WeChat), so one run reports everything that broke.

Who owns what:
- a task belongs to the submission whose ``taskid`` it has (v2), else to the latest
  submission of the same company created before the task was (a submission is stored
  before its create is sent, and WeChat runs one task per company at a time);
- a result push belongs to the task with its ``<taskid>`` (v2), else to the company's
  latest task created before the push's CreateTime (a task ends at least the check
  delay, 1 s, after it was created, and the next one starts only after it ended).

No state moves backwards. Ranks: queued 0 < sending 1 < checking 2 <
awaiting_legal_person 3 < final (succeeded, authorized, failed, expired, rejected).
Read in ``submission_events`` order, ignoring notes (from = to):
- held keeps the rank of the state it came from: ``x → held`` is allowed from any
  state that is not final, and ``held → y`` is judged as ``x → y``;
- otherwise a change must raise the rank, or go from ``succeeded`` to ``authorized``;
- back to ``queued`` from ``sending`` is allowed only when its timeline line says the
  create was (re)sent because WeChat had no task (it contains one of ``RESEND``);
- a final state never changes, except ``failed``/``expired``/``rejected`` →
  ``succeeded``/``authorized`` when the sandbox says the submission's task succeeded.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

RANK = {"queued": 0, "sending": 1, "checking": 2, "awaiting_legal_person": 3}
SUCCESS = ("succeeded", "authorized")
ENDED = ("failed", "expired", "rejected")
FINAL = (*SUCCESS, *ENDED)
#: Timeline wording that says a create is sent again because WeChat had no task
#: (never received, answered an error, no token to send with, or its task ended).
RESEND = ("暂未提交", "重新提交", "客服已处理")


def rows(path: str, sql: str, params=()) -> list[dict]:
    with sqlite3.connect(path, timeout=10) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


@dataclass
class Truth:
    """Both databases, read once the run settled."""

    portal: str
    sandbox: str
    started: float  # epoch seconds, for timelines relative to the run's start
    tasks: list[dict] = field(default_factory=list)
    subs: list[dict] = field(default_factory=list)
    events: dict[int, list[dict]] = field(default_factory=dict)
    pushes: list[dict] = field(default_factory=list)

    def load(self) -> Truth:
        self.tasks = rows(self.sandbox, "SELECT * FROM tasks ORDER BY id")
        self.subs = rows(self.portal, "SELECT * FROM submissions ORDER BY id")
        self.events = defaultdict(list)
        for event in rows(self.portal, "SELECT * FROM submission_events ORDER BY id"):
            self.events[event["submission_id"]].append(event)
        self.pushes = rows(
            self.portal,
            "SELECT * FROM pushes WHERE info_type = 'notify_third_fasteregister' ORDER BY id",
        )
        return self

    def tasks_of(self, name: str) -> list[dict]:
        return [t for t in self.tasks if t["name"] == name]

    def subs_of(self, name: str) -> list[dict]:
        return [s for s in self.subs if s["name"] == name]

    def owner(self, task: dict) -> dict | None:
        for sub in self.subs:
            if task["taskid"] and sub["taskid"] == task["taskid"]:
                return sub
        earlier = [s for s in self.subs_of(task["name"]) if s["created_at"] <= task["created_at"]]
        return earlier[-1] if earlier else None

    def tasks_owned(self, sub: dict) -> list[dict]:
        return [
            t for t in self.tasks_of(sub["name"]) if (self.owner(t) or {}).get("id") == sub["id"]
        ]

    def task_of_push(self, push: dict) -> dict | None:
        fields = json.loads(push["fields"] or "{}")
        if fields.get("taskid"):
            return next((t for t in self.tasks if t["taskid"] == fields["taskid"]), None)
        before = [
            t for t in self.tasks_of(fields.get("name", ""))
            if t["created_at"] < (push["create_time"] or 0)
        ]  # fmt: skip
        return before[-1] if before else None

    def timeline(self, sub_id: int) -> str:
        lines = [
            f"    {e['at'] - self.started:7.1f}s {e['from_state'] or '-'} → {e['to_state']}: "
            f"{e['detail']}"
            for e in self.events.get(sub_id, [])
        ]
        return "\n".join(lines)

    def describe(self, sub: dict | None) -> str:
        if sub is None:
            return "  (no submission)"
        tasks = ", ".join(
            f"task {t['id']} status={t['status']} state={t['state']} "
            f"created {t['created_at'] - self.started:.1f}s"
            for t in self.tasks_owned(sub)
        )
        return (
            f"  submission {sub['id']} {sub['name']} state={sub['state']} "
            f"taskid={sub['taskid'] or '-'} appid={sub['appid'] or '-'}; WeChat: {tasks or 'no task'}\n"
            f"{self.timeline(sub['id'])}"
        )


def check_tasks(truth: Truth) -> list[str]:
    """One task per company at a time; none after a success; resubmit only after an end."""
    failures = []
    for name in dict.fromkeys(s["name"] for s in truth.subs):
        tasks, subs = truth.tasks_of(name), truth.subs_of(name)
        shown = "\n".join(truth.describe(s) for s in subs)
        wins = [i for i, t in enumerate(tasks) if t["status"] == 0]
        if tasks and tasks[0]["status"] == 0 and len(tasks) != 1:
            failures.append(f"{name}: first task succeeded, yet {len(tasks)} tasks\n{shown}")
        elif wins and (len(wins) > 1 or wins[0] != len(tasks) - 1):
            failures.append(f"{name}: a task after a success ({len(tasks)} tasks)\n{shown}")
        running = [t for t in tasks if t["state"] != "done"]
        if len(running) > 1:
            failures.append(f"{name}: {len(running)} tasks running at once\n{shown}")
        for before, after in zip(subs, subs[1:], strict=False):
            ended = [e["at"] for e in truth.events.get(before["id"], []) if e["to_state"] in ENDED]
            won = [t for t in truth.tasks_owned(before) if t["status"] == 0]
            if not ended or after["created_at"] < ended[0] or won:
                failures.append(
                    f"{name}: submission {after['id']} made before {before['id']} ended "
                    f"without success\n{shown}"
                )
    return failures


def check_successes(truth: Truth, lost: set[str]) -> list[str]:
    """Every success WeChat made is shown as one and authorized, even if its push was lost."""
    failures = []
    for task in (t for t in truth.tasks if t["status"] == 0):
        sub = truth.owner(task)
        pushed = "its push was lost" if task["appid"] in lost else "its push reached the portal"
        where = f"task {task['id']} succeeded ({pushed})\n{truth.describe(sub)}"
        if sub is None or sub["state"] not in SUCCESS:
            failures.append(f"success shown as {sub and sub['state']}: {where}")
            continue
        authorizer = rows(
            truth.portal, "SELECT state FROM authorizers WHERE appid = ?", [task["appid"]]
        )
        if (
            sub["state"] != "authorized"
            or sub["appid"] != task["appid"]
            or authorizer != [{"state": "authorized"}]
        ):
            failures.append(f"success not authorized (authorizer {authorizer}): {where}")
    return failures


def _backwards(truth: Truth, sub: dict, change: dict, current: str) -> bool:
    to = change["to_state"]
    if to == "held":
        return current in FINAL
    if current in SUCCESS:
        return not (current == "succeeded" and to == "authorized")
    if current in ENDED:
        won = any(t["status"] == 0 for t in truth.tasks_owned(sub))
        return not (to in SUCCESS and won)
    if to in FINAL:
        return False
    if to == "queued" and current == "sending":
        return not any(marker in change["detail"] for marker in RESEND)
    return RANK[to] <= RANK[current]


def check_monotonic(truth: Truth) -> list[str]:
    """No state moved backwards (the rule in this module's docstring)."""
    failures = []
    for sub in truth.subs:
        current = None
        for change in truth.events.get(sub["id"], []):
            if change["from_state"] == change["to_state"]:
                continue
            if current is not None and _backwards(truth, sub, change, current):
                failures.append(
                    f"submission {sub['id']} moved backwards: {change['from_state']} → "
                    f"{change['to_state']} ({change['detail']})\n{truth.describe(sub)}"
                )
            if change["to_state"] != "held":
                current = change["to_state"]
    return failures


def check_pushes(truth: Truth) -> list[str]:
    """A predecessor's push never changes its successor (nor any other submission)."""
    failures = []
    for push in truth.pushes:
        task = truth.task_of_push(push)
        fields = json.loads(push["fields"] or "{}")
        if task is None or str(task["status"]) != str(fields.get("status")):
            failures.append(f"push {push['id']} matches no task at WeChat: {fields}")
            continue
        owner = truth.owner(task)
        if push["submission_id"] not in (None, owner and owner["id"]):
            applied = next(s for s in truth.subs if s["id"] == push["submission_id"])
            failures.append(
                f"push {push['id']} (task {task['id']}, status {task['status']}, received "
                f"{push['received_at'] - truth.started:.1f}s, outcome {push['outcome']!r}) "
                f"belongs to submission {owner and owner['id']} but was applied to "
                f"{applied['id']}\n{truth.describe(owner)}\n{truth.describe(applied)}"
            )
    return failures


def check_outcomes(truth: Truth, outage: tuple[float, float]) -> list[str]:
    """Never held (the outage only makes them wait), never rejected, success applied once."""
    failures = []
    for sub in truth.subs:
        changes = truth.events.get(sub["id"], [])
        for change in changes:
            if (
                change["to_state"] in ("held", "rejected")
                and change["from_state"] != change["to_state"]
            ):
                during = outage[0] <= change["at"] - truth.started <= outage[1]
                failures.append(
                    f"submission {sub['id']} {change['to_state']} "
                    f"{'during' if during else 'outside'} the ticket outage "
                    f"({outage[0]:.0f}-{outage[1]:.0f}s): {change['detail']}\n{truth.describe(sub)}"
                )
        wins = [c for c in changes if c["to_state"] in SUCCESS and c["from_state"] not in SUCCESS]
        if len(wins) > 1 or (sub["state"] == "authorized" and len(wins) != 1):
            failures.append(f"submission {sub['id']}: success applied {len(wins)} times")
        applied = [
            p
            for p in truth.pushes
            if p["submission_id"] == sub["id"] and p["outcome"] == "succeeded"
        ]
        if len(applied) > 1:
            failures.append(f"submission {sub['id']}: {len(applied)} success pushes applied")
    return failures


def disagreements(truth: Truth) -> list[str]:
    """Ended submissions whose final state is not what their last task's status says."""
    notes = []
    for sub in (s for s in truth.subs if s["state"] in ENDED):
        owned = truth.tasks_owned(sub)
        if owned and owned[-1]["state"] == "done" and sub["push_status"] != owned[-1]["status"]:
            notes.append(
                f"submission {sub['id']} {sub['state']} with push_status {sub['push_status']}, "
                f"WeChat's task {owned[-1]['id']} ended with {owned[-1]['status']}"
            )
    return notes
