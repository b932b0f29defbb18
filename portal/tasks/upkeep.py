"""Background upkeep: the component token ahead of expiry, and the new mini programs'
authorizer tokens. Upkeep never gives up on a passing failure: it backs off
(``retry.upkeep_delay``); an authorizer no longer in the list is 'lost' on the health page.
"""

from __future__ import annotations

import logging
import time

from portal.registration import retry
from portal.tasks import lookups
from portal.tasks.context import Context, PlatformWaiting
from portal.wechat import authorizers
from portal.wechat.client import WeChatError
from portal.wechat.credentials import TICKET, get_credential

log = logging.getLogger(__name__)
NAME = "upkeep"


def due(ctx: Context, now: float) -> list[dict]:
    return [{"id": None}]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return item  # the token's own lease (``tokens``) makes its refresh single-flight


def run(ctx: Context, item: dict) -> None:
    if get_credential(ctx.db, TICKET) is not None and ctx.tokens.needs_refresh():
        try:
            ctx.tokens.current()
        except WeChatError as exc:
            log.error("component token refresh failed: %s (%s)", exc, exc.entry.next_step)
    for appid in authorizers.due_for_refresh(ctx.db, ctx.tokens.refresh_ahead):
        refresh(ctx, appid)


def refresh(ctx: Context, appid: str) -> None:
    """Refresh one authorizer's access token ahead of expiry."""
    row = authorizers.get(ctx.db, appid)
    if row is None:
        return
    try:
        refresh_token = ctx.vault.open(row["refresh_token"])
        fresh = ctx.call(
            None, lambda token: ctx.client.authorizer_token(token, appid, refresh_token)
        )
    except PlatformWaiting:
        return  # tried again next round; the token's own backoff bounds the calls
    except authorizers.VaultError as exc:
        log.error("authorizer %s token unreadable: %s", appid, exc)
        authorizers.record_failure(ctx.db, appid, str(exc), None, state="lost")
        return
    except WeChatError as exc:
        log.error("authorizer %s token refresh failed: %s", appid, exc)
        if exc.errcode == authorizers.REFRESH_INVALID and _recovered(ctx, row):
            return
        lost = exc.errcode == authorizers.REFRESH_INVALID
        wait = retry.upkeep_delay(row["failures"] + 1, ctx.timing.retry_delay)
        authorizers.record_failure(
            ctx.db,
            appid,
            str(exc),
            None if lost else time.time() + wait,
            state="lost" if lost else "authorized",
        )
        return
    authorizers.store_refreshed(ctx.db, ctx.vault, appid, fresh)


def _recovered(ctx: Context, row: dict) -> bool:
    try:
        return lookups.recover_authorizer(ctx, row["submission_id"], row["appid"]) is not None
    except (WeChatError, PlatformWaiting) as exc:
        log.error("authorizer %s recovery failed: %s", row["appid"], exc)
        return False
