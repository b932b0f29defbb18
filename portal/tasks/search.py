"""Ask WeChat about quiet tasks: on a schedule, then on a tail, until a final answer.

The push is the primary signal; a search costs quota, so each sent task is searched at
``SEARCH_SCHEDULE`` seconds after sending, then every ``SEARCH_TAIL`` seconds for as
long as WeChat says it runs, all under the daily budget. Searches staff ask for are
made the same way. The next search is scheduled when one is claimed, so a crash never
makes the worker search in a loop.
"""

from __future__ import annotations

import logging

from portal.registration import budget, leases, results
from portal.registration import submissions as subs
from portal.tasks import lookups
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)
NAME = "search"
SCHEDULED = "state IN (?, ?) AND next_search_at <= ? AND recover_at IS NULL"
REQUESTED = "search_requested_at IS NOT NULL AND first_sent_at IS NOT NULL AND state != 'sending'"


def due(ctx: Context, now: float) -> list[dict]:
    if budget.left_today(ctx.db, ctx.daily_budget) <= 0:
        return []  # the budget returns at the next Beijing day
    where = f"({SCHEDULED}) OR ({REQUESTED})"
    return leases.due(ctx.db, where, [subs.CHECKING, subs.AWAITING, now], now, limit=50)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    row = subs.get(ctx.db, item["id"])
    if row is None:
        return None
    done = row["searches"] + 1
    return leases.claim(
        ctx.db,
        item["id"],
        f"(({SCHEDULED}) OR ({REQUESTED})) AND searches = ?",
        [subs.CHECKING, subs.AWAITING, now, row["searches"]],
        ctx.timing,
        now,
        searches=done,
        next_search_at=ctx.timing.next_search(row["first_sent_at"], done, now)
        if row["state"] in (subs.CHECKING, subs.AWAITING)
        else row["next_search_at"],
        search_requested_at=None,
    )


def run(ctx: Context, sub: dict) -> None:
    try:
        probe = lookups.probe(ctx, sub)
    except WeChatError as exc:
        log.warning("search for submission %s failed: %s", sub["id"], exc)
        leases.release_lease(ctx.db, sub["id"])  # the next scheduled search asks again
        return
    results.probed(ctx.db, sub["id"], probe, ctx.timing)
