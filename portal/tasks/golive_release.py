"""Go-live: release the audited version, then keep its mini program code (SETUP.md §6).

``release`` answered 85052 means the version is already live: an earlier release whose
answer was lost went through, so it counts as released. After release the mini
program's code image (``getwxacodeunlimit``) is kept for the merchant's page.

85020 ("audit status does not allow release") is also what WeChat may answer while an
unlisted mini program's ICP filing is not done (SETUP §11, §9; unconfirmed). When the
filing as last read is not 6, the release waits for it (no try spent, nothing held: the
merchant files in WeChat's console) and the filing is read again at once; reading 6
makes the release due (``golive.icp``, ``outcomes.filed``). An 85020 while filed is held
for staff as before. After a release the filing is read at once too, so step 8 is fresh.
"""

from __future__ import annotations

import time

from portal.db import transaction
from portal.golive import icp, outcomes
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "golive.release"
ALREADY_RELEASED = 85052
NOT_RELEASABLE = 85020  # the audit's state, or (unconfirmed) the ICP filing not done


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
                if exc.errcode == NOT_RELEASABLE and _waits_for_filing(ctx, setup["id"]):
                    return
                if exc.errcode != ALREADY_RELEASED:
                    raise
            with transaction(ctx.db):
                outcomes.progress(ctx.db, setup["id"], st.RELEASE, "code", {}, "小程序已发布上线")
                ctx.db.execute(
                    "UPDATE setups SET released_at = ? WHERE id = ?", [time.time(), setup["id"]]
                )
                icp.read_soon(ctx.db, setup["id"])  # can it be listed now? (step 8)
        image = common.call(
            ctx, setup, lambda token: ctx.mp.quota.get_wxacode_unlimit(token, "from=portal")
        )
    except WeChatError as exc:
        common.refused(ctx, setup, st.RELEASE, exc)
        return
    common.keep_file(ctx, setup, "wxacode", "image/png", image)
    outcomes.done(ctx.db, setup["id"], st.RELEASE, {}, "小程序码已生成，可长按保存分享")


def _waits_for_filing(ctx: Context, setup_id: int) -> bool:
    """85020 while the filing (as last read) is not 6: the release waits for it, with the
    merchant's words, and the filing is read again at once. False: filed, so 85020 means
    the audit's state (held for staff, as the catalogue says)."""
    with transaction(ctx.db):
        if icp.filing(ctx.db, setup_id).filed:
            return False
        waits = {"waiting": icp.RELEASE_WAITS}
        outcomes.waiting(ctx.db, setup_id, st.RELEASE, None, waits, icp.RELEASE_WAITS)
        icp.read_soon(ctx.db, setup_id)
    return True
