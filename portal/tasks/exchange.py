"""After success: trade the push's auth_code for the new mini program's tokens.

When an attempt died after WeChat accepted ``api_query_auth`` but before the tokens were
stored, the code is spent (61010); a success found in the authorizer list has no code
at all. Either way the refresh token is taken from ``api_get_authorizer_list``.
"""

from __future__ import annotations

from portal.db import transaction
from portal.registration import leases, outcomes, results, retry
from portal.registration import submissions as subs
from portal.tasks import lookups
from portal.tasks.context import Context
from portal.wechat import authorizers
from portal.wechat.client import WeChatError

NAME = "exchange"
DUE = "state = ? AND next_attempt_at <= ?"


def due(ctx: Context, now: float) -> list[dict]:
    return leases.due(ctx.db, DUE, [subs.SUCCEEDED, now], now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return leases.claim(ctx.db, item["id"], DUE, [subs.SUCCEEDED, now], ctx.timing, now)


def run(ctx: Context, sub: dict) -> None:
    if not sub["auth_code"]:
        _from_list(ctx, sub, None)
        return
    try:
        auth = ctx.call(sub["id"], lambda token: ctx.client.query_auth(token, sub["auth_code"]))
    except WeChatError as exc:
        if exc.errcode == authorizers.CODE_SPENT:
            _from_list(ctx, sub, exc)
            return
        failure = retry.classify(exc.errcode, exc.entry)
        outcomes.failed_try(ctx.db, sub["id"], failure, exc, ctx.timing, expect=subs.SUCCEEDED)
        return
    with transaction(ctx.db):
        appid = auth.authorizer_appid or sub["appid"]
        authorizers.save(ctx.db, ctx.vault, sub["id"], appid, auth)
        results.authorized(ctx.db, sub["id"], "已获得新小程序的管理授权")


def _from_list(ctx: Context, sub: dict, spent: WeChatError | None) -> None:
    try:
        auth = lookups.recover_authorizer(ctx, sub["id"], sub["appid"] or "")
    except WeChatError as exc:
        failure = retry.classify(exc.errcode, exc.entry)
        outcomes.failed_try(ctx.db, sub["id"], failure, exc, ctx.timing, expect=subs.SUCCEEDED)
        return
    if auth is None:
        missing = spent or WeChatError(
            "api_get_authorizer_list", authorizers.CODE_SPENT, "new mini program not listed"
        )
        outcomes.failed_try(
            ctx.db, sub["id"], retry.OPERATOR, missing, ctx.timing, expect=subs.SUCCEEDED
        )
        return
    detail = (
        "授权码已被使用；已从已授权账号列表找回新小程序的管理授权"
        if spent
        else "已从已授权账号列表取得新小程序的管理授权"
    )
    results.authorized(ctx.db, sub["id"], detail)
