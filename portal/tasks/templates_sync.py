"""The platform's own go-live work (``portal.golive.platform``), asked for from the
admin's pages (上线设置, health), all with the component token:

- ``templates``: fetch the code-template list and the drafts (gettemplatelist,
  gettemplatedraftlist: read-only), which the page then offers;
- ``add_draft``: add a draft to the library (addtotemplate, ordinary type) unless the
  list shows it there already, then fetch;
- ``domains``: register Way 1's domains on the platform (modify_wxa_server_domain and,
  for web-view, get_domain_confirmfile then modify_wxa_jump_domain; ``add``, published
  together, so every authorized mini program may use them);
- ``permissions``: learn, from api_get_authorizer_info (read-only), the permission sets
  of authorizers whose func_info is unknown (asked for from the health page).

Each request is claimed with a lease and ends with WeChat's answer or its error; none is
retried on its own, because addtotemplate and the domain calls change WeChat's state and
count against monthly quotas (45104): the page shows the error and the admin asks again.
Only a missing component token (PlatformWaiting) keeps a request asked, for later; a
worker killed mid-request runs it again when its lease ends (a draft already in the
library is not added twice; adding a registered domain again changes nothing).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from itertools import chain
from typing import Any

from portal.db import first, transaction
from portal.golive import platform
from portal.golive.platform_rules import bare_hosts
from portal.tasks.context import Context, PlatformWaiting
from portal.wechat import authorizers
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram import MiniProgramClient

NAME = "templates_sync"
PERMISSIONS_BATCH = 20  # authorizers asked about per request


def due(ctx: Context, now: float) -> list[dict]:
    rows = ctx.db.execute(
        "SELECT name FROM golive_platform_work WHERE requested_at IS NOT NULL "
        "AND coalesce(not_before, 0) <= ? AND coalesce(claimed_until, 0) <= ? ORDER BY name",
        [now, now],
    ).fetchall()
    return [{"id": None, "work": row[0]} for row in rows if row[0] in RUNS]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    with transaction(ctx.db):
        claimed = ctx.db.execute(
            "UPDATE golive_platform_work SET claimed_until = ? WHERE name = ? AND "
            "requested_at IS NOT NULL AND coalesce(not_before, 0) <= ? "
            "AND coalesce(claimed_until, 0) <= ?",
            [now + ctx.timing.lease, item["work"], now, now],
        ).rowcount
        if not claimed:
            return None
        row = first(ctx.db, "SELECT * FROM golive_platform_work WHERE name = ?", [item["work"]])
    return None if row is None else {**row, "id": None, "work": item["work"]}


def run(ctx: Context, item: dict) -> None:
    result: dict[str, Any] = {}
    try:
        RUNS[item["work"]](ctx, item, result)
    except PlatformWaiting as exc:
        _wait(ctx, item["work"], time.time() + max(ctx.timing.retry_delay, 5.0), str(exc))
        return
    except WeChatError as exc:
        _finish(ctx, item, result, exc)
        return
    _finish(ctx, item, result, None)


def _mp(ctx: Context) -> MiniProgramClient:
    return MiniProgramClient(ctx.client)


def _templates(ctx: Context, item: dict, result: dict) -> None:
    mp = _mp(ctx)
    listed = ctx.call(None, mp.templates.get_template_list)
    drafts = ctx.call(None, mp.templates.get_template_draft_list)
    platform.store_lists(ctx.db, listed, drafts)
    result.update(templates=len(listed), drafts=len(drafts))


def _add_draft(ctx: Context, item: dict, result: dict) -> None:
    """addtotemplate once: a draft the library already holds (an earlier add whose end
    was never recorded) is not added again."""
    draft_id = int(item["detail"])
    templates = _mp(ctx).templates
    listed = ctx.call(None, templates.get_template_list)
    if any(t.draft_id == draft_id for t in listed):
        result["already"] = draft_id
    else:
        ctx.call(None, lambda token: templates.add_to_template(token, draft_id))
        result["added"] = draft_id
    _templates(ctx, item, result)


def _domains(ctx: Context, item: dict, result: dict) -> None:
    setup = platform.get(ctx.db)
    if setup.domain_way != "platform":
        result["skipped"] = "direct"  # the admin chose Way 2 before the worker got here
        return
    domains = _mp(ctx).domains
    server = bare_hosts(chain.from_iterable(setup.server_domains.values()))
    jump = bare_hosts(setup.webview_domains)
    result["hosts"] = {"server": list(server), "jump": list(jump)}
    if server:
        answer = ctx.call(
            None, lambda token: domains.modify_wxa_server_domain(token, "add", server, True)
        )
        result["server"] = asdict(answer)
    if jump:
        confirm = ctx.call(None, domains.get_domain_confirmfile)
        result["confirm_file"] = asdict(confirm)
        answer = ctx.call(
            None, lambda token: domains.modify_wxa_jump_domain(token, "add", jump, True)
        )
        result["jump"] = asdict(answer)


def _permissions(ctx: Context, item: dict, result: dict) -> None:
    learnt, refused = {}, {}
    for appid in _unknown_permissions(ctx):
        try:
            info = ctx.call(None, lambda token, a=appid: ctx.client.authorizer_info(token, a))
        except WeChatError as exc:  # 61003: no longer authorized to the platform
            refused[appid] = exc.errcode
            continue
        if info.func_info:
            authorizers.store_func_info(ctx.db, appid, info.func_info)
            learnt[appid] = info.func_info
    result.update(learnt=learnt, refused=refused)


def _unknown_permissions(ctx: Context) -> list[str]:
    rows = ctx.db.execute(
        "SELECT appid FROM authorizers WHERE func_info IS NULL AND state = 'authorized' "
        "ORDER BY updated_at LIMIT ?",
        [PERMISSIONS_BATCH],
    ).fetchall()
    return [row[0] for row in rows]


def _finish(ctx: Context, claimed: dict, result: dict, error: WeChatError | None) -> None:
    """End a claimed request with WeChat's answer or its error; an ask made meanwhile
    stays asked."""
    with transaction(ctx.db):
        ctx.db.execute(
            "UPDATE golive_platform_work SET claimed_until = NULL, not_before = NULL, "
            "done_at = ?, result = ?, endpoint = ?, errcode = ?, error = ?, requested_at = "
            "CASE WHEN requested_at = ? THEN NULL ELSE requested_at END WHERE name = ?",
            [
                time.time(),
                json.dumps(result, ensure_ascii=False),
                None if error is None else error.endpoint,
                None if error is None else error.errcode,
                None if error is None else (error.errmsg or str(error))[:300],
                claimed["requested_at"],
                claimed["name"],
            ],
        )


def _wait(ctx: Context, name: str, until: float, reason: str) -> None:
    """No component token: the request stays asked and is tried again after ``until``."""
    with transaction(ctx.db):
        ctx.db.execute(
            "UPDATE golive_platform_work SET claimed_until = NULL, not_before = ?, error = ? "
            "WHERE name = ?",
            [until, f"等待平台的调用凭证：{reason}"[:300], name],
        )


RUNS: dict[str, Callable[[Context, dict, dict], None]] = {
    platform.TEMPLATES: _templates,
    platform.ADD_DRAFT: _add_draft,
    platform.DOMAINS: _domains,
    platform.PERMISSIONS: _permissions,
}
