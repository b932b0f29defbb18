"""Go-live: the mini program's ICP filing (备案) state, read with
``get_icp_entrance_info`` on a budget (``portal.golive.icp``): as soon as the name, avatar,
introduction and category are done (filing takes 1-20 working days: the merchant sees
step 8 early), then every few hours until WeChat says 6 (filed), and at once when the
release waits for it or has just gone through. Never from a page. The filing is the
merchant's, in WeChat's console; reading 6 makes a release that waits for it due
(``icp.record`` → ``outcomes.filed``, one transaction).

Runs under the setup's lease. A refused or unanswered read is noted for staff and tried
again later (doubling); waiting for the platform's token spends nothing.
"""

from __future__ import annotations

import logging
import time

from portal.golive import icp, setup_lease
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat.client import WeChatError, WeChatUnavailable

log = logging.getLogger(__name__)
NAME = "golive.icp"


def due(ctx: Context, now: float) -> list[dict]:
    return [{"setup_id": setup_id} for setup_id in icp.due(ctx.db, now)]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    if not setup_lease.claim(ctx.db, item["setup_id"], ctx.timing.lease, now):
        return None
    if not icp.is_due(ctx.db, item["setup_id"], now):
        setup_lease.unclaim(ctx.db, item["setup_id"])
        return None  # read meanwhile
    return item


def run(ctx: Context, item: dict) -> None:
    setup_id = item["setup_id"]
    try:
        _read(ctx, setup_id)
    except PlatformWaiting as exc:
        log.info("ICP state of setup %s waits for the platform: %s", setup_id, exc)
        icp.postpone(ctx.db, setup_id, time.time() + max(ctx.timing.retry_delay, 1.0))
    except AuthorizerMissing:
        icp.failed(ctx.db, setup_id, "平台没有这个小程序的授权凭证")
    except WeChatUnavailable:
        icp.failed(ctx.db, setup_id, "微信没有答复")
    except WeChatError as exc:
        log.warning("ICP state of setup %s: %s", setup_id, exc)
        icp.failed(ctx.db, setup_id, f"{exc.entry.title}（{exc.errcode}）", exc.errcode)
    finally:
        setup_lease.unclaim(ctx.db, setup_id)


def _read(ctx: Context, setup_id: int) -> None:
    found = common.call(ctx, st.get(ctx.db, setup_id), ctx.mp.icp.get_icp_entrance_info)
    rejections = [
        {"key_name": r.key_name, "error": r.error, "suggest": r.suggest} for r in found.audit_data
    ]
    icp.record(ctx.db, setup_id, found.status, rejections, found.sms_verify_status)
