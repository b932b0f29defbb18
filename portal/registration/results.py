"""WeChat's word on a task: result pushes, search/query answers, and the authorizer list.

Part of the one module that decides outcomes (``outcomes``): each function reads the
submission in its write transaction and raises it only forward (``outcomes.rank``).
Which submission a push may apply to is ``push_target``, the one rule.
"""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS, Probe
from portal.registration.flavors import flavor as get_flavor
from portal.registration.outcomes import RANK, RECOVER_TRIES, Decision, decide, rank
from portal.registration.timing import Timing
from portal.wechat import codes
from portal.wechat.events import RegisterResultEvent


def push_target(db: sqlite_utils.Database, event: RegisterResultEvent) -> dict | None:
    """The submission a result push is about: one that may have been sent, no later than
    the push was made, with the push's taskid (v2) or facts (``submissions.find_sent``)."""
    for flavor in FLAVORS.values():
        found = flavor.find_for_push(db, event.info, event.create_time)
        if found is not None:
            return found
    return None


def _searching(row: dict, timing: Timing, now: float) -> dict[str, Any]:
    """What checking and awaiting need: a deadline and a next search."""
    return {
        "deadline_at": row["deadline_at"] or now + timing.window,
        "next_search_at": row["next_search_at"] or timing.next_search(now, 0, now),
    }


def _refusal(status: int | None, ended: float, row: dict) -> codes.Entry | None:
    """The refusal ``status`` means when it ended ``row``'s task well before its 24 hours
    (``codes.ended_early``): decided here, once, and stored as ``refused``."""
    return codes.ended_early(status, float(ended), row["deadline_at"])


def apply_push(
    db: sqlite_utils.Database, event: RegisterResultEvent, timing: Timing, now: float
) -> tuple[int | None, str]:
    """Apply a result push (inside ``pushes.record``'s transaction); (submission, outcome)."""
    sub = push_target(db, event)
    if sub is None:
        return None, "unmatched"
    flavor = get_flavor(sub["flavor"])
    entry = flavor.result(event.status, event.msg)
    code = f"（{event.status}）" if event.status else ""  # a success needs no code
    detail = f"微信推送结果：{entry.title}{code}"
    outcome = "recorded"

    def rule(row: dict) -> Decision:
        nonlocal outcome
        taskid = (event.info.get("taskid") or "").strip()
        learnt = {"taskid": taskid} if taskid and not row["taskid"] else {}
        done = {"claimed_until": None, "held_from": None, "waiting_for": None}
        if entry.outcome == codes.PROGRESS:
            if rank(row) >= RANK[subs.AWAITING]:
                return None
            outcome = "progress"
            return subs.AWAITING, detail, {**learnt, **done, **_searching(row, timing, now)}
        pushed = {"push_status": event.status, "push_msg": event.msg}
        if entry.outcome == codes.SUCCEEDED:
            if rank(row) >= RANK[subs.SUCCEEDED]:
                return None
            outcome = subs.SUCCEEDED
            if not event.appid:  # no appid to act on: look for it in the authorizer list
                return row["state"], detail, {**pushed, "recover_at": now}
            found = {"appid": event.appid, "auth_code": event.auth_code, "next_attempt_at": now}
            return subs.SUCCEEDED, detail, {**learnt, **done, **pushed, **found, "recover_at": None}
        if rank(row) >= RANK[subs.FAILED]:
            return None
        to_state = subs.EXPIRED if entry.outcome == codes.EXPIRED else subs.FAILED
        if to_state == subs.EXPIRED and flavor.orphaned(row) and rank(row) <= RANK[subs.SENDING]:
            # The task whose answer we never got has ended: the legal person never had
            # its link. Send again (the send looks in the authorizer list first).
            outcome = "resend"
            return (
                subs.QUEUED,
                f"{detail}；该任务的验证链接未能取得，平台自动重新提交",
                {**done, "next_attempt_at": now},
            )
        outcome = to_state
        refusal = _refusal(event.status, event.create_time or now, row)
        if refusal is not None:
            outcome = "refused"
            told = f"微信推送结果：{refusal.title}（{event.status}）"
            return to_state, told, {**done, **pushed, "refused": 1}
        return to_state, detail, {**done, **pushed}

    decide(db, sub["id"], rule, now)
    return sub["id"], outcome


def probed(db: sqlite_utils.Database, sub_id: int, probe: Probe, timing: Timing) -> dict | None:
    """Apply what a search or query answered about a sent task."""
    now = time.time()

    def rule(row: dict) -> Decision:
        changes: dict[str, Any] = {
            **{k: v for k, v in probe.learnt.items() if v and not row.get(k)},
            "last_search_errcode": probe.code,
            "last_search_at": now,
            "claimed_until": None,
            "waiting_for": None,
        }
        if probe.kind == "checking" and rank(row) < RANK[subs.CHECKING]:
            detail = "微信已收到上次提交：" + probe.entry.explanation
            return subs.CHECKING, detail, {**changes, **_searching(row, timing, now)}
        if probe.kind == "awaiting" and rank(row) < RANK[subs.AWAITING]:
            # Classic: the legal person's 24 hours start once WeChat's check is done.
            starts = {"deadline_at": now + timing.window} if row["state"] == subs.CHECKING else {}
            changes.update(_searching(row, timing, now), **starts)
            return subs.AWAITING, probe.entry.explanation, changes
        if probe.kind == "ended" and rank(row) < RANK[subs.FAILED]:
            to_state = subs.EXPIRED if probe.entry.outcome == codes.EXPIRED else subs.FAILED
            changes.update(push_status=probe.code, push_msg=probe.entry.wechat_text)
            changes.update(claimed_until=None, held_from=None)
            told = probe.entry
            if to_state == subs.EXPIRED and (refusal := _refusal(probe.code, now, row)):
                changes["refused"], told = 1, refusal
            return to_state, f"微信查询结果：{told.title}（{probe.code}）", changes
        if probe.kind in ("created", "none") and rank(row) in (RANK[subs.CHECKING], 3):
            # Created, or no task any more (a classic success answers "no task" too):
            # the new mini program is looked for in the authorizer list.
            changes["recover_at"] = row["recover_at"] or now
        if row["state"] == subs.SENDING:  # the resolution decides; it keeps its lease
            changes["claimed_until"] = row["claimed_until"]
        return row["state"], "", changes

    return decide(db, sub_id, rule, now)


def found_success(db: sqlite_utils.Database, sub_id: int, appid: str, detail: str) -> None:
    """The company's new mini program is in the authorizer list: the task succeeded."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if rank(row) >= RANK[subs.SUCCEEDED]:
            return None
        changes = {
            "appid": appid,
            "auth_code": None,
            "next_attempt_at": now,
            "claimed_until": None,
            "held_from": None,
            "recover_at": None,
            "waiting_for": None,
        }
        return subs.SUCCEEDED, detail, changes

    decide(db, sub_id, rule, now)


def not_found(db: sqlite_utils.Database, sub_id: int, timing: Timing) -> None:
    """The authorizer list shows no new mini program of this company (yet)."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if rank(row) >= RANK[subs.FAILED] or row["recover_at"] is None:
            return None
        flavor = get_flavor(row["flavor"])
        created = flavor.search_entry(row["last_search_errcode"]).outcome == codes.SUCCEEDED
        base = {"claimed_until": None, "waiting_for": None}
        if created:
            tries = row["recover_tries"] + 1
            if tries >= RECOVER_TRIES:
                return (
                    subs.HELD,
                    "已暂停：微信显示小程序已创建，但平台未在已授权账号中找到它",
                    {
                        **base,
                        "recover_tries": tries,
                        "recover_at": None,
                        "held_from": row["state"],
                        "errmsg": "created at WeChat; not in api_get_authorizer_list",
                    },
                )
            wait = min(timing.retry_delay * 2**tries, 3600.0)
            return row["state"], "", {**base, "recover_tries": tries, "recover_at": now + wait}
        if (
            row["state"] in (subs.CHECKING, subs.AWAITING)
            and now > (row["deadline_at"] or 0) + timing.grace
        ):
            return (
                subs.EXPIRED,
                "24 小时已过，未收到微信的结果；已向微信确认任务已结束，且未创建小程序",
                {**base, "recover_at": None, "push_status": flavor.silent_expiry, "push_msg": ""},
            )
        return row["state"], "", {**base, "recover_at": None}

    decide(db, sub_id, rule, now)


def authorized(db: sqlite_utils.Database, sub_id: int, detail: str) -> None:
    """The new mini program's tokens are stored: the platform can manage it."""

    def rule(row: dict) -> Decision:
        if rank(row) != RANK[subs.SUCCEEDED]:
            return None
        changes = {"next_attempt_at": None, "retries": 0, "retry_counts": "{}"}
        changes.update(held_from=None, claimed_until=None, waiting_for=None)
        return subs.AUTHORIZED, detail, changes

    decide(db, sub_id, rule)


def recover_failed(db: sqlite_utils.Database, sub_id: int, reason: str, timing: Timing) -> None:
    """Looking in the authorizer list failed: try again later, a bounded number of times."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["recover_at"] is None:
            return None
        tries = row["recover_tries"] + 1
        base = {"claimed_until": None, "recover_tries": tries, "waiting_for": None}
        if tries >= RECOVER_TRIES:
            held = {"recover_at": None, "held_from": row["state"], "errmsg": reason[:300]}
            return subs.HELD, "已暂停：多次未能查询平台的已授权账号列表", {**base, **held}
        wait = min(timing.retry_delay * 2**tries, 3600.0)
        return row["state"], "", {**base, "recover_at": now + wait}

    decide(db, sub_id, rule, now)
