"""Resolve a create whose answer never arrived (a timeout, a 5xx, a crash before the
answer was stored), before anything is sent again.

Due when a ``sending`` submission's lease has passed. WeChat may act on a request
after we gave up waiting, so "no task" counts only once ``CREATE_SETTLE`` seconds have
passed since the create was sent. A task found by asking is adopted; an answer that
says nothing about the task is asked again later (never taken as "no task"); v2
without a taskid cannot ask and waits out the settle. A resend goes through ``send``,
which looks in the authorizer list first.
"""

from __future__ import annotations

import time

from portal.registration import leases, outcomes, results, retry
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor
from portal.tasks import lookups
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "resolve"


def due(ctx: Context, now: float) -> list[dict]:
    return list(
        ctx.db.query(
            "SELECT id FROM submissions WHERE state = ? AND claimed_until <= ? ORDER BY id LIMIT 100",
            [subs.SENDING, now],
        )
    )


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return leases.claim(
        ctx.db, item["id"], "state = ?", [subs.SENDING], ctx.timing, now, maybe_sent=1
    )


def run(ctx: Context, sub: dict) -> None:
    flavor = get_flavor(sub["flavor"])
    now = time.time()
    if flavor.can_probe(sub):
        try:
            found = lookups.probe(ctx, sub)
        except WeChatError as exc:
            outcomes.failed_try(
                ctx.db, sub["id"], retry.UNANSWERED, exc, ctx.timing, expect=subs.SENDING
            )
            return
        if found.kind in ("checking", "awaiting", "ended"):
            results.probed(ctx.db, sub["id"], found, ctx.timing)
            return
        if found.kind != "none":  # an answer that says nothing: ask again later
            exc = WeChatError(
                f"{flavor.name}.search", found.code, "answer says nothing of the task"
            )
            outcomes.failed_try(
                ctx.db, sub["id"], retry.UNANSWERED, exc, ctx.timing, expect=subs.SENDING
            )
            return
    settles_at = (sub["sent_at"] or now) + ctx.timing.settle
    if now < settles_at:
        leases.wait_until(ctx.db, sub["id"], settles_at)  # WeChat may still act on it
        return
    outcomes.resend(ctx.db, sub["id"], "微信未收到上次提交，将重新提交", ctx.timing)
