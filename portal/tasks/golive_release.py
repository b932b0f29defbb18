"""Go-live: release the audited version, then keep its mini program code (SETUP.md §6).

``release`` answered 85052 means the version is already live: an earlier release whose
answer was lost went through, so it counts as released. After release the mini
program's code image (``getwxacodeunlimit``) is kept for the merchant's page.
"""

from __future__ import annotations

import time

from portal.db import transaction
from portal.golive import outcomes
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "golive.release"
ALREADY_RELEASED = 85052


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.RELEASE,), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    common.run(ctx, item, _release)


def _release(ctx: Context, setup: dict, row: dict) -> None:
    try:
        if row["phase"] != "code":
            outcomes.working(ctx.db, setup["id"], st.RELEASE, ctx.timing.lease, phase="release")
            try:
                common.call(ctx, setup, ctx.mp.code.release)
            except WeChatError as exc:
                if exc.errcode != ALREADY_RELEASED:
                    raise
            with transaction(ctx.db):
                outcomes.progress(ctx.db, setup["id"], st.RELEASE, "code", {}, "小程序已发布上线")
                ctx.db.execute(
                    "UPDATE setups SET released_at = ? WHERE id = ?", [time.time(), setup["id"]]
                )
        image = common.call(
            ctx, setup, lambda token: ctx.mp.quota.get_wxacode_unlimit(token, "from=portal")
        )
    except WeChatError as exc:
        common.refused(ctx, setup, st.RELEASE, exc)
        return
    common.keep_file(ctx, setup, "wxacode", "image/png", image)
    outcomes.done(ctx.db, setup["id"], st.RELEASE, {}, "小程序码已生成，可长按保存分享")
