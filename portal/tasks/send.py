"""Send a queued submission: the create call, once.

Claimed ``queued → sending`` in one statement. When an earlier create of this
submission may have reached WeChat, the authorizer list is asked first: a success
whose push was lost must never be answered with a second task.
"""

from __future__ import annotations

import time

from portal.registration import leases, outcomes, results, retry, same_company
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor
from portal.tasks import lookups
from portal.tasks.context import Context, PlatformWaiting
from portal.wechat import codes
from portal.wechat.client import WeChatError

NAME = "send"


def due(ctx: Context, now: float) -> list[dict]:
    return leases.due(ctx.db, "state = ? AND next_attempt_at <= ?", [subs.QUEUED, now], now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    try:
        ctx.token()  # no token, no claim: a submission waits in queued, not in and out of sending
    except PlatformWaiting:
        leases.platform_waiting(ctx.db, item["id"], ctx.timing)
        return None
    if same_company.hold_back(ctx.db, item["id"], ctx.timing.retry_delay, now):
        return None  # one task per company at WeChat (89249): it goes once that one ended
    return outcomes.claim_send(ctx.db, item["id"], ctx.timing, now)


def run(ctx: Context, sub: dict) -> None:
    try:
        _send(ctx, sub)
    except PlatformWaiting:
        # Raised before the create or after WeChat refused the token: nothing was made.
        leases.platform_waiting(ctx.db, sub["id"], ctx.timing, unsent=True)


def _send(ctx: Context, sub: dict) -> None:
    if sub["maybe_sent"]:
        try:
            found = lookups.new_mini_program(ctx, sub)
        except WeChatError as exc:
            outcomes.failed_try(
                ctx.db, sub["id"], retry.UNANSWERED, exc, ctx.timing, expect=subs.SENDING
            )
            return
        if found is not None:
            detail = "上次提交已在微信创建小程序（在平台的已授权账号中找到），不再重复提交"
            results.found_success(ctx.db, sub["id"], found.appid, detail)
            return
    flavor = get_flavor(sub["flavor"])
    try:
        answer = ctx.call(sub["id"], lambda token: flavor.create(ctx.client, token, sub))
    except WeChatError as exc:
        _refused(ctx, sub, exc)
        return
    outcomes.accepted(ctx.db, sub["id"], answer, ctx.timing, time.time())


def _refused(ctx: Context, sub: dict, exc: WeChatError) -> None:
    failure = retry.classify(exc.errcode, exc.entry)
    if failure == retry.UNANSWERED:
        # WeChat may have the task, or may still make it: resolve before resending.
        outcomes.unanswered(ctx.db, sub["id"], exc, ctx.timing)
    elif exc.errcode == codes.TASK_RUNNING and sub["maybe_sent"]:
        _own_task(ctx, sub, exc)
    elif failure == retry.FIXABLE:
        outcomes.rejected(ctx.db, sub["id"], exc)
    else:
        outcomes.failed_try(ctx.db, sub["id"], failure, exc, ctx.timing, expect=subs.SENDING)


def _own_task(ctx: Context, sub: dict, exc: WeChatError) -> None:
    """89249 after an unanswered create: the running task is most likely our own."""
    flavor = get_flavor(sub["flavor"])
    if not flavor.can_probe(sub):
        # v2 without the taskid: wait until the task has surely ended (an expiry push
        # for it requeues sooner), then send again for a fresh link.
        outcomes.orphan_wait(ctx.db, sub["id"], exc, ctx.timing)
        return
    try:
        found = lookups.probe(ctx, sub)
    except WeChatError as failed:
        outcomes.failed_try(
            ctx.db, sub["id"], retry.UNANSWERED, failed, ctx.timing, expect=subs.SENDING
        )
        return
    if found.kind in ("checking", "awaiting"):
        results.probed(ctx.db, sub["id"], found, ctx.timing)
    else:  # search by our facts finds nothing: the running task is someone else's
        outcomes.rejected(ctx.db, sub["id"], exc)
