"""WeChat look-ups that several kinds of work share: asking about a task, and finding a
company's new mini program in the platform's authorizer list.

A success push can be lost for good, and afterwards classic ``search`` answers "no task"
as it does for a task that ended without success. So before a submission is shown as
ended without success, or sent again, the authorizer list is asked: a mini program
that authorized the platform after the create was first sent, whose registered
company (``principal_name``) is the submission's, is that submission's success.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal import normalize
from portal.db import transaction
from portal.registration.flavors import Probe
from portal.registration.flavors import flavor as get_flavor
from portal.tasks.context import Context
from portal.wechat import authorizers
from portal.wechat.shapes import Authorization, ListedAuthorizer

#: WeChat's auth_time and our clock may differ; an authorizer this much older than the
#: first create still counts.
AUTH_TIME_SLACK = 300


def probe(ctx: Context, sub: Mapping[str, Any]) -> Probe:
    """Ask WeChat about the submission's task (classic search, v2 query)."""
    flavor = get_flavor(sub["flavor"])
    return ctx.call(sub["id"], lambda token: flavor.search(ctx.client, token, sub))


def _known_elsewhere(ctx: Context, sub_id: int) -> set[str]:
    rows = ctx.db.execute(
        "SELECT appid FROM authorizers WHERE coalesce(submission_id, -1) != ? "
        "UNION SELECT appid FROM submissions WHERE appid IS NOT NULL AND id != ?",
        [sub_id, sub_id],
    ).fetchall()
    return {row[0] for row in rows}


def new_mini_program(ctx: Context, sub: Mapping[str, Any]) -> ListedAuthorizer | None:
    """The company's mini program created since this submission was first sent, if any."""
    since = (sub["first_sent_at"] or sub["created_at"]) - AUTH_TIME_SLACK
    company = normalize.facts({"name": sub["name"]}, ("name",))["name"]
    taken = _known_elsewhere(ctx, sub["id"])
    listed = ctx.call(sub["id"], lambda token: list(ctx.client.authorizers(token)))
    for row in listed:
        if row.auth_time < since or row.appid in taken:
            continue
        info = ctx.call(sub["id"], lambda token, a=row.appid: ctx.client.authorizer_info(token, a))
        name = normalize.facts({"name": info.principal_name}, ("name",))["name"]
        if info.is_mini_program and name == company:
            return row
    return None


def recover_authorizer(ctx: Context, submission_id: int | None, appid: str) -> Authorization | None:
    """Find ``appid`` in the authorizer list and store fresh tokens; None if it is absent.

    Serves a spent auth_code (61010), a success found in the list, and a refresh token
    WeChat no longer accepts (61023).
    """
    if not appid:
        return None
    listed = ctx.call(submission_id, lambda token: ctx.client.find_authorizer(token, appid))
    if listed is None or not listed.refresh_token:
        return None
    fresh = ctx.call(
        submission_id,
        lambda token: ctx.client.authorizer_token(token, appid, listed.refresh_token),
    )
    auth = Authorization(appid, fresh.access_token, fresh.expires_in, fresh.refresh_token, [])
    with transaction(ctx.db):
        authorizers.save(ctx.db, ctx.vault, submission_id, appid, auth)
    return auth
