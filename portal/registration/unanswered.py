"""Resolving a create whose answer never arrived (a timeout, a 5xx, a crash before the
answer was stored).

The submission stays in ``sending`` and nothing is sent again until this resolves it:
WeChat may act on a request after we gave up waiting, so "no task" counts only once
``CREATE_SETTLE`` seconds have passed since the create was sent. A task found by
search is adopted; a classic 89249 on a resend adopts the task search finds; v2 has no
taskid to ask with and waits for the task to have surely ended.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from portal.registration import retry, searches
from portal.registration import submissions as subs
from portal.registration.flavors import Accepted, Probe
from portal.registration.flavors import flavor as get_flavor
from portal.wechat.client import WeChatError

if TYPE_CHECKING:  # the jobs hand themselves in; a type-only import
    from portal.registration.jobs import Jobs


def maybe_own_task(jobs: Jobs, sub: dict, exc: WeChatError) -> None:
    """89249 after an unanswered create: the running task is most likely our own."""
    flavor = get_flavor(sub["flavor"])
    if flavor.can_probe(sub):
        try:
            found = jobs.call(sub["id"], lambda token: flavor.search(jobs.client, token, sub))
        except WeChatError:
            subs.update(jobs.db, sub["id"], claimed_until=time.time() + jobs.retry_delay)
            return
        if found.kind in ("checking", "awaiting"):
            _adopt(jobs, sub, found)
            return
        # Search by the facts finds nothing: the running task is someone else's.
        jobs.reject(sub, exc)
        return
    # The task cannot be asked about: wait until it has surely ended, then send again
    # (an expiry push for it requeues sooner; see pushes).
    until = time.time() + subs.LEGAL_PERSON_WINDOW + searches.SILENCE_GRACE
    subs.update(
        jobs.db,
        sub["id"],
        errcode=exc.errcode,
        errmsg=exc.errmsg,
        retries=sub["retries"] + 1,
        claimed_until=until,
    )
    subs.add_event(jobs.db, sub["id"], subs.SENDING, searches.ORPHAN_DETAIL)


def _adopt(jobs: Jobs, sub: dict, found: Probe) -> None:
    state = subs.CHECKING if found.kind == "checking" else subs.AWAITING
    jobs.accepted(sub, Accepted(state, "微信已收到上次提交：" + found.entry.explanation))


def probe(jobs: Jobs, sub: dict) -> None:
    """Resolve a create whose answer never arrived, before anything is sent again."""
    if not sub["maybe_sent"]:
        subs.update(jobs.db, sub["id"], maybe_sent=1)
    flavor = get_flavor(sub["flavor"])
    now = time.time()
    settled = now >= (sub["sent_at"] or 0) + jobs.settle
    if flavor.can_probe(sub):
        try:
            found = jobs.call(sub["id"], lambda token: flavor.search(jobs.client, token, sub))
        except WeChatError as exc:
            jobs.retry_or_hold(sub, retry.UNANSWERED, exc, back_to=subs.SENDING)
            return
        if found.kind in ("checking", "awaiting"):
            _adopt(jobs, sub, found)
            return
        if found.kind == "ended":
            searches.apply_ended(jobs.db, sub, found)
            return
    if not settled:
        # WeChat may still act on the request: ask again once the window has passed.
        subs.update(jobs.db, sub["id"], claimed_until=(sub["sent_at"] or now) + jobs.settle)
        return
    if sub["retries"] + 1 >= retry.POLICIES[retry.UNANSWERED].tries:
        exc = WeChatError("create", None, sub["errmsg"] or "no answer from WeChat")
        jobs.retry_or_hold(sub, retry.UNANSWERED, exc, back_to=subs.SENDING)
        return
    subs.transition(
        jobs.db,
        sub["id"],
        subs.QUEUED,
        "微信未收到上次提交，将重新提交",
        expect=[subs.SENDING],
        claimed_until=None,
        next_attempt_at=now,
        retries=sub["retries"] + 1,
    )
