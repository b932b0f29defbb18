"""Go-live: staff's actions on a code audit, each carried out once, and the platform's
monthly submit quota kept fresh for the health page (``portal.golive.actions``, ``quota``).

- ``undo``: ``undocodeaudit``, then the audit step goes back to the merchant, who
  resubmits (``actions.undone``). The call is marked started first, so a try that got
  no answer is resolved with ``get_latest_auditstatus`` before anything is sent again
  (withdrawn: done; a result meanwhile: applied; still under audit: sent again).
- ``speedup``: ``queryquota`` first (none left this month: said, nothing spent), then
  ``speedupaudit``; 89404 (already expedited) counts as done, so a retry after a lost
  answer is harmless.
- the quota: once an hour, ``queryquota`` with the token of any authorized mini program
  whose token is still valid (so asking refreshes none), kept with ``quota.remember``.

An action runs under the setup's lease (one WeChat call at a time per mini program).
WeChat's refusal ends it with the catalogue's explanation on the setup's timeline; no
answer, or WeChat busy, is tried again up to ``TRIES`` times; waiting for the
platform's token spends nothing.
"""

from __future__ import annotations

import logging
import time

from portal.golive import actions, audits, platform, quota, setup_lease
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat import codes
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)
NAME = "golive.actions"
TRIES = 3
ALREADY_SPED_UP = 89404


def due(ctx: Context, now: float) -> list[dict]:
    items = [{"action_id": r["id"], "setup_id": r["setup_id"]} for r in actions.due(ctx.db, now)]
    if quota.due(ctx.db, now) and quota.holders(ctx.db, now):
        items.append({"quota": True})
    return items


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    if item.get("quota"):
        return item if quota.claim(ctx.db, now, ctx.timing.lease) else None
    if not setup_lease.claim(ctx.db, item["setup_id"], ctx.timing.lease, now):
        return None
    row = actions.get(ctx.db, item["action_id"])
    if row is None or row["done_at"] is not None or (row["due_at"] or 0) > now:
        setup_lease.unclaim(ctx.db, item["setup_id"])
        return None  # another process did it meanwhile
    return {**item, "action": row, "setup": st.get(ctx.db, item["setup_id"])}


def run(ctx: Context, item: dict) -> None:
    if item.get("quota"):
        _refresh_quota(ctx)
        return
    setup, row = item["setup"], item["action"]
    try:
        WORK[row["action"]](ctx, setup, row)
    except PlatformWaiting:
        later = time.time() + max(ctx.timing.retry_delay, 1.0)
        actions.later(ctx.db, row["id"], later, "等待平台的调用凭证，恢复后自动继续")
    except AuthorizerMissing:
        actions.finish(
            ctx.db,
            row["id"],
            actions.FAILED,
            "平台没有这个小程序可用的调用凭证（授权已失效）：请商户的管理员重新授权本平台后再试。",
        )
    finally:
        setup_lease.unclaim(ctx.db, setup["id"])


def _skipped(ctx: Context, setup: dict, row: dict) -> bool:
    """The audit no longer waits (it passed, failed or was withdrawn): nothing to do."""
    state = st.step(ctx.db, setup["id"], st.AUDIT)["state"]
    if state == st.WAITING:
        return False
    said = f"审核已不在进行中（{actions.step_label(st.AUDIT, state)}），没有向微信提交"
    actions.finish(ctx.db, row["id"], actions.SKIPPED, said)
    return True


def _undo(ctx: Context, setup: dict, row: dict) -> None:
    if _skipped(ctx, setup, row):
        return
    try:
        if row["started_at"] and _resolved(ctx, setup, row):
            return
        actions.started(ctx.db, row["id"])
        common.call(ctx, setup, ctx.mp.audit.undo_code_audit)
    except WeChatError as exc:
        _refused(ctx, row, exc)
        return
    actions.undone(ctx.db, row["id"], "微信已撤回这次审核，商户修改后可重新提交")


def _resolved(ctx: Context, setup: dict, row: dict) -> bool:
    """An earlier undo got no answer: did WeChat withdraw the audit? (False: send again.)"""
    latest = common.call(ctx, setup, ctx.mp.audit.get_latest_audit_status)
    if latest.status == audits.WITHDRAWN:
        actions.undone(ctx.db, row["id"], "微信已撤回这次审核（上一次请求的答复丢失后查得）")
        return True
    if latest.status in (audits.PASSED, audits.REJECTED):
        audits.apply(
            ctx.db,
            setup["id"],
            latest.status,
            latest.reason,
            tuple(latest.screenshots),
            auto_release=platform.get(ctx.db).release_policy == "auto",
            auditid=latest.auditid or None,
        )
        actions.finish(ctx.db, row["id"], actions.SKIPPED, "撤回前微信已给出审核结果")
        return True
    return False


def _speedup(ctx: Context, setup: dict, row: dict) -> None:
    if _skipped(ctx, setup, row):
        return
    auditid = row["auditid"] or actions.auditid(ctx.db, setup["id"])
    if not auditid:
        actions.finish(ctx.db, row["id"], actions.FAILED, "没有这次审核的审核单号，无法加急")
        return
    try:
        left = common.call(ctx, setup, ctx.mp.quota.query_quota)
        quota.remember(ctx.db, left, setup["appid"])
        if left.speedup_rest <= 0:
            said = f"平台本月的加急次数已用完（共 {left.speedup_limit} 次），下月 1 日恢复"
            actions.finish(ctx.db, row["id"], actions.FAILED, said)
            return
        actions.started(ctx.db, row["id"])
        common.call(ctx, setup, lambda token: ctx.mp.audit.speedup_audit(token, auditid))
    except WeChatError as exc:
        if exc.errcode == ALREADY_SPED_UP:
            actions.finish(ctx.db, row["id"], actions.DONE, exc.entry.explanation, exc.errcode)
        else:
            _refused(ctx, row, exc)
        return
    actions.finish(ctx.db, row["id"], actions.DONE, "微信已加急这次审核，通常 2 到 12 小时出结果")


WORK = {actions.UNDO: _undo, actions.SPEEDUP: _speedup}


def _refused(ctx: Context, row: dict, exc: WeChatError) -> None:
    """WeChat said no (explained, ended) or did not answer (tried again a few times)."""
    entry = exc.entry
    tries = (actions.get(ctx.db, row["id"]) or row)["tries"]
    if exc.errcode is None or entry.kind == codes.TRANSIENT:
        said = "微信没有答复" if exc.errcode is None else f"{entry.title}（{exc.errcode}）"
        if tries < TRIES:
            wait = max(ctx.timing.retry_delay, 1.0) * 2 ** max(tries - 1, 0)
            actions.later(ctx.db, row["id"], time.time() + wait, f"{said}，稍后自动再试")
            return
        actions.finish(ctx.db, row["id"], actions.FAILED, f"{said}，已试 {tries} 次", exc.errcode)
        return
    log.warning("go-live %s for setup %s refused: %s", row["action"], row["setup_id"], exc)
    said = f"{entry.title}（{exc.errcode}）：{entry.explanation}"
    actions.finish(ctx.db, row["id"], actions.FAILED, said, exc.errcode)


def _refresh_quota(ctx: Context) -> None:
    """The platform's monthly quota, with the first mini program token that works."""
    error = "没有可用的小程序调用凭证"
    for holder in quota.holders(ctx.db, time.time()):
        try:
            found = ctx.call_authorizer(None, holder["appid"], ctx.mp.quota.query_quota)
        except (WeChatError, AuthorizerMissing, PlatformWaiting) as exc:
            log.warning("queryquota with %s failed: %s", holder["appid"], exc)
            error = str(exc)
            continue
        quota.remember(ctx.db, found, holder["appid"])
        return
    quota.failed(ctx.db, error)
