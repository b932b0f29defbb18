"""Keeping the new mini programs' tokens: the auth_code exchange, recovery, refreshes.

When an attempt died after WeChat accepted its ``api_query_auth`` but before the
tokens were stored, the auth_code is spent (61010). The refresh token can still be
found in ``api_get_authorizer_list`` (REFERENCE §6); with it, ``api_authorizer_token``
gives a fresh access token. The same recovery serves a refresh token WeChat no longer
accepts (61023). Refreshing never stops for good on a passing failure: it backs off
(``retry.upkeep_delay``); an authorizer that is not in the list any more is 'lost'
and shown on the health page.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from portal.db import transaction
from portal.registration import retry
from portal.registration import submissions as subs
from portal.wechat import authorizers
from portal.wechat.client import WeChatError
from portal.wechat.shapes import Authorization

if TYPE_CHECKING:  # the jobs hand themselves in; a type-only import
    from portal.registration.jobs import Jobs

log = logging.getLogger(__name__)


def exchange(jobs: Jobs, sub: dict) -> None:
    """Trade a success push's auth_code for the new mini program's tokens."""
    try:
        auth = jobs.call(sub["id"], lambda token: jobs.client.query_auth(token, sub["auth_code"]))
    except WeChatError as exc:
        if exc.errcode == authorizers.CODE_SPENT:
            _recover_spent(jobs, sub, exc)
            return
        failure = retry.classify(exc.errcode, exc.entry)
        jobs.retry_or_hold(sub, failure, exc, back_to=subs.SUCCEEDED)
        return
    with transaction(jobs.db):
        appid = auth.authorizer_appid or sub["appid"]
        authorizers.save(jobs.db, jobs.vault, sub["id"], appid, auth)
        _authorized(jobs, sub, "已获得新小程序的管理授权")


def _authorized(jobs: Jobs, sub: dict, detail: str) -> None:
    subs.transition(
        jobs.db,
        sub["id"],
        subs.AUTHORIZED,
        detail,
        expect=[subs.SUCCEEDED, subs.HELD],
        next_attempt_at=None,
        retries=0,
        held_from=None,
    )


def _recover_spent(jobs: Jobs, sub: dict, spent: WeChatError) -> None:
    """The auth_code is spent (a dead attempt used it): find the refresh token in the list."""
    try:
        auth = recover(jobs, sub["id"], sub["appid"] or "")
    except WeChatError as exc:
        failure = retry.classify(exc.errcode, exc.entry)
        jobs.retry_or_hold(sub, failure, exc, back_to=subs.SUCCEEDED)
        return
    if auth is None:
        jobs.retry_or_hold(sub, retry.OPERATOR, spent, back_to=subs.SUCCEEDED)
        return
    _authorized(jobs, sub, "授权码已被使用；已从已授权账号列表找回新小程序的管理授权")


def recover(jobs: Jobs, submission_id: int, appid: str) -> Authorization | None:
    """Find ``appid`` in the authorizer list and store fresh tokens; None if it is absent."""
    if not appid:
        return None
    listed = jobs.call(submission_id, lambda token: jobs.client.find_authorizer(token, appid))
    if listed is None or not listed.refresh_token:
        return None
    fresh = jobs.call(
        submission_id,
        lambda token: jobs.client.authorizer_token(token, appid, listed.refresh_token),
    )
    auth = Authorization(appid, fresh.access_token, fresh.expires_in, fresh.refresh_token, [])
    with transaction(jobs.db):
        authorizers.save(jobs.db, jobs.vault, submission_id, appid, auth)
    return auth


def refresh(jobs: Jobs, appid: str) -> None:
    """Refresh one authorizer's access token ahead of expiry."""
    row = authorizers.get(jobs.db, appid)
    if row is None:
        return
    try:
        refresh_token = jobs.vault.open(row["refresh_token"])
        fresh = jobs.call(
            None, lambda token: jobs.client.authorizer_token(token, appid, refresh_token)
        )
    except authorizers.VaultError as exc:
        log.error("authorizer %s token unreadable: %s", appid, exc)
        authorizers.record_failure(jobs.db, appid, str(exc), None, state="lost")
        return
    except WeChatError as exc:
        log.error("authorizer %s token refresh failed: %s", appid, exc)
        if exc.errcode == authorizers.REFRESH_INVALID and _recovered(jobs, row):
            return
        lost = exc.errcode == authorizers.REFRESH_INVALID
        wait = retry.upkeep_delay(row["failures"] + 1, jobs.retry_delay)
        authorizers.record_failure(
            jobs.db,
            appid,
            str(exc),
            None if lost else time.time() + wait,
            state="lost" if lost else "authorized",
        )
        return
    authorizers.store_refreshed(jobs.db, jobs.vault, appid, fresh)


def _recovered(jobs: Jobs, row: dict) -> bool:
    try:
        return recover(jobs, row["submission_id"], row["appid"]) is not None
    except WeChatError as exc:
        log.error("authorizer %s recovery failed: %s", row["appid"], exc)
        return False
