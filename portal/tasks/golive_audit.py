"""Go-live: the code audit's result when no push came, by a budgeted poll of
``get_auditstatus`` (WeChat's audit pushes can be lost; SETUP.md §6.1)."""

from __future__ import annotations

from portal.golive import audits, platform
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "golive.audit"


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.AUDIT,), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    common.run(ctx, item, _poll)


def _poll(ctx: Context, setup: dict, row: dict) -> None:
    auditid = row["result"].get("auditid") or setup["auditid"]
    try:
        if auditid:
            found = common.call(
                ctx, setup, lambda token: ctx.mp.audit.get_audit_status(token, auditid)
            )
        else:
            found = common.call(ctx, setup, ctx.mp.audit.get_latest_audit_status)
    except WeChatError as exc:
        common.refused(ctx, setup, st.AUDIT, exc)
        return
    audits.apply(
        ctx.db,
        setup["id"],
        found.status if found.status is not None else audits.UNDER_AUDIT,
        found.reason,
        tuple(found.screenshots),
        auto_release=platform.get(ctx.db).release_policy == "auto",
        auditid=auditid,
    )
