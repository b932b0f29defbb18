"""Go-live: a rejected audit's screenshots, fetched once per audit with the permanent-
media API (``get_material``) and kept for the merchant's and staff's pages
(``portal.golive.screenshots``).

Due when the audit step is rejected with screenshot media ids and nothing was fetched
for that audit yet. Runs under the setup's lease. A refused id (40007: invalid or
expired) is recorded and never asked again; a fetch WeChat did not answer is tried again
a few times; waiting for the platform's token spends nothing. None of it blocks the
merchant: the reason is shown already and the resubmission does not wait for images.
"""

from __future__ import annotations

import logging

from portal.golive import screenshots, setup_lease
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat.client import WeChatError, WeChatUnavailable

log = logging.getLogger(__name__)
NAME = "golive.screenshots"


def due(ctx: Context, now: float) -> list[dict]:
    return [{"setup_id": row["setup_id"]} for row in screenshots.due(ctx.db, now)]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    if not setup_lease.claim(ctx.db, item["setup_id"], ctx.timing.lease, now):
        return None
    want = screenshots.wanted(ctx.db, item["setup_id"])
    if want is None:
        setup_lease.unclaim(ctx.db, item["setup_id"])
        return None  # fetched meanwhile, or resubmitted
    return {**item, "want": want}


def run(ctx: Context, item: dict) -> None:
    setup_id, want = item["setup_id"], item["want"]
    try:
        _fetch(ctx, setup_id, want)
    except (PlatformWaiting, AuthorizerMissing) as exc:
        log.info("audit screenshots of setup %s wait: %s", setup_id, exc)
        unanswered = {n: "平台暂时无法连接微信" for n in range(len(want.media_ids))}
        screenshots.record(ctx.db, setup_id, want, list(want.stored), unanswered, True)
    finally:
        setup_lease.unclaim(ctx.db, setup_id)


def _fetch(ctx: Context, setup_id: int, want: screenshots.Wanted) -> None:
    setup = st.get(ctx.db, setup_id)
    stored, failed, unanswered = list(want.stored), {}, False
    for n, media_id in enumerate(want.media_ids):
        if n in stored:
            continue
        try:
            content = common.call(
                ctx, setup, lambda token, m=media_id: ctx.mp.audit.get_material(token, m)
            )
        except WeChatUnavailable:
            failed[n], unanswered = "微信没有答复", True
            continue
        except WeChatError as exc:
            failed[n] = f"{exc.entry.title}（{exc.errcode}）"
            continue
        if screenshots.image_type(content) is None:
            failed[n] = "微信返回的不是图片"
            continue
        screenshots.keep(ctx.db, setup_id, want.auditid, n, content)
        stored.append(n)
    screenshots.record(ctx.db, setup_id, want, stored, failed, unanswered)
