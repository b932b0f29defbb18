"""Asking WeChat about a task: the budgeted schedule, and searches staff ask for.

The push is the primary signal; ``search`` (classic) and ``query`` (v2) cost quota,
so quiet tasks are searched on a per-submission schedule under a daily budget. Staff
never call WeChat from a page: *ask WeChat now* records a request, and the worker
makes the search within the same budget and stores the answer for the page to show.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlite_utils

from portal.registration import submissions as subs
from portal.registration.flavors import Probe
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import day_start
from portal.wechat import codes
from portal.wechat.calllog import SEARCH_ENDPOINTS, calls_since
from portal.wechat.client import WeChatError

if TYPE_CHECKING:  # the jobs hand themselves in; a type-only import
    from portal.registration.jobs import Jobs

#: How long after the legal person's deadline a silent task is ended.
SILENCE_GRACE = 3600
ORPHAN_DETAIL = (
    "微信已有本企业的注册任务，但上次提交没有收到微信的答复，因此没有验证链接；"
    "该任务结束后平台会自动重新提交"
)


def schedule(config: Mapping[str, Any]) -> list[float]:
    """Seconds after sending at which a quiet task is searched."""
    return [float(s) for s in str(config["SEARCH_SCHEDULE"]).split(",") if s.strip()]


def left_today(db: sqlite_utils.Database, budget: int) -> int:
    """Searches still allowed today (the Beijing day) under ``budget``."""
    return max(0, budget - calls_since(db, SEARCH_ENDPOINTS, day_start(time.time())))


def request(db: sqlite_utils.Database, submission_id: int) -> bool:
    """Staff ask for a search; False if one is already waiting for the worker."""
    cursor = db.execute(
        "UPDATE submissions SET search_requested_at = ? "
        "WHERE id = ? AND search_requested_at IS NULL",
        [time.time(), submission_id],
    )
    db.conn.commit()
    return cursor.rowcount == 1


def requested(jobs: Jobs, sub: dict) -> None:
    """Make a search staff asked for, within today's budget (else it waits for tomorrow)."""
    if left_today(jobs.db, jobs.daily_budget) <= 0:
        return
    subs.update(jobs.db, sub["id"], search_requested_at=None)
    try:
        search_now(jobs, sub)
    except WeChatError:
        subs.update(jobs.db, sub["id"], last_search_at=time.time(), last_search_errcode=None)


def reconcile(jobs: Jobs, sub: dict) -> None:
    """Search a quiet task on its schedule, within today's budget."""
    if left_today(jobs.db, jobs.daily_budget) <= 0:
        return
    searches = sub["searches"] + 1
    following = jobs.schedule[searches] if searches < len(jobs.schedule) else None
    next_at = sub["sent_at"] + following if following is not None else None
    subs.update(jobs.db, sub["id"], searches=searches, next_search_at=next_at)
    try:
        search_now(jobs, sub)
    except WeChatError:
        pass  # logged in api_calls; the next scheduled search asks again


def search_now(jobs: Jobs, sub: dict) -> Probe:
    """Ask WeChat for the task's state and apply what it says."""
    flavor = get_flavor(sub["flavor"])
    probe = jobs.call(sub["id"], lambda token: flavor.search(jobs.client, token, sub))
    subs.update(jobs.db, sub["id"], last_search_errcode=probe.code, last_search_at=time.time())
    if probe.kind == "awaiting" and sub["state"] == subs.CHECKING:
        subs.transition(
            jobs.db, sub["id"], subs.AWAITING, probe.entry.explanation, expect=[subs.CHECKING]
        )
    elif probe.kind == "ended":
        apply_ended(jobs.db, sub, probe)
    elif probe.kind == "none" and time.time() > (sub["deadline_at"] or 0) + SILENCE_GRACE:
        # The 24 hours are over, WeChat has no task and no result ever came: the
        # push was lost or never sent. End it so the merchant can submit again.
        subs.transition(
            jobs.db,
            sub["id"],
            subs.EXPIRED,
            "24 小时已过，未收到微信的结果；已向微信确认任务已结束",
            expect=[subs.CHECKING, subs.AWAITING],
            push_status=flavor.silent_expiry,
            push_msg="",
        )
    return probe


def apply_ended(db: sqlite_utils.Database, sub: dict, probe: Probe) -> None:
    """Apply a final status WeChat reported when asked, as if it had been pushed."""
    to_state = subs.EXPIRED if probe.entry.outcome == codes.EXPIRED else subs.FAILED
    subs.transition(
        db,
        sub["id"],
        to_state,
        f"微信查询结果：{probe.entry.title}（{probe.code}）",
        expect=subs.WITH_WECHAT,
        push_status=probe.code,
        push_msg=probe.entry.wechat_text,
        claimed_until=None,
    )
