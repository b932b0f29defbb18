"""Find a success whose push was lost: the company's new mini program in the list.

Due when WeChat said the task created the mini program (v2 status 0/12) or that there
is no task any more (classic answers so after a success too). Found: the submission
succeeds and ``exchange`` takes its tokens from the list. Not found: after the deadline
and its grace the task has ended without success; while WeChat says created, it is
looked for again a bounded number of times, then staff are asked.
"""

from __future__ import annotations

from portal.registration import leases, results
from portal.tasks import lookups
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "recover"
DUE = "recover_at IS NOT NULL AND recover_at <= ?"


def due(ctx: Context, now: float) -> list[dict]:
    return leases.due(ctx.db, DUE, [now], now, limit=50)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return leases.claim(ctx.db, item["id"], DUE, [now], ctx.timing, now)


def run(ctx: Context, sub: dict) -> None:
    try:
        found = lookups.new_mini_program(ctx, sub)
    except WeChatError as exc:
        results.recover_failed(ctx.db, sub["id"], str(exc), ctx.timing)
        return
    if found is None:
        results.not_found(ctx.db, sub["id"], ctx.timing)
        return
    detail = "未收到微信的成功推送；已在平台的已授权账号中找到本企业新创建的小程序"
    results.found_success(ctx.db, sub["id"], found.appid, detail)
