"""Go-live: open a setup for each authorized submission, and fetch the categories its
mini program may add (``getcategoriesbytype`` for an enterprise: golive_common.choices)
for the merchant's picker.

Due for a category step without its choices that waits for the merchant: a new setup's
(``todo``), or one the category task gave back to the merchant after WeChat refused the
pick as retired or not for an enterprise (53303 / 53302) when it could not fetch the list
again itself (``needs_merchant``, the choices cleared).
"""

from __future__ import annotations

import logging
import time

from portal.golive import outcomes, setup_lease
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)
NAME = "golive.open"
RETRY = 600.0
WANTING = (st.TODO, st.NEEDS_MERCHANT)


def due(ctx: Context, now: float) -> list[dict]:
    new = ctx.db.execute(
        "SELECT s.id, s.appid FROM submissions s LEFT JOIN setups u ON u.submission_id = s.id "
        "WHERE s.state = 'authorized' AND s.appid IS NOT NULL AND u.id IS NULL LIMIT 20"
    ).fetchall()
    for submission_id, appid in new:
        st.open_setup(ctx.db, submission_id, appid)
    rows = ctx.db.execute(
        "SELECT c.setup_id FROM setup_steps c JOIN setups u ON u.id = c.setup_id "
        "WHERE c.step = ? AND c.state IN (?, ?) "
        "AND json_type(COALESCE(c.result, '{}'), '$.choices') IS NOT 'array' "
        "AND (c.due_at IS NULL OR c.due_at <= ?) "
        "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) LIMIT 20",
        [st.CATEGORY, *WANTING, now, now],
    ).fetchall()
    return [{"setup_id": row[0]} for row in rows]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    if not setup_lease.claim(ctx.db, item["setup_id"], ctx.timing.lease, now):
        return None
    return {**item, "setup": st.get(ctx.db, item["setup_id"])}


def run(ctx: Context, item: dict) -> None:
    setup = item["setup"]
    try:
        found = common.choices(ctx, setup)
    except (WeChatError, PlatformWaiting, AuthorizerMissing) as exc:
        log.warning("categories for %s not fetched: %s", setup["appid"], exc)
        ctx.db.execute(
            "UPDATE setup_steps SET due_at = ? WHERE setup_id = ? AND step = ?",
            [time.time() + RETRY, setup["id"], st.CATEGORY],
        )
        ctx.db.conn.commit()
        return
    finally:
        setup_lease.unclaim(ctx.db, setup["id"])
    outcomes.progress(ctx.db, setup["id"], st.CATEGORY, "choices", {"choices": found}, "")
