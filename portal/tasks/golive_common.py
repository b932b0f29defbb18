"""What the go-live kinds share: due steps, the setup's lease, calls with the mini
program's token, and what a refusal means for a step (docs/golive.md).

A go-live item is ``{"step_id", "setup_id", "step"}`` (no submission ``id``: the
scheduler's submission bookkeeping never touches it). ``run`` wraps each kind's work:
the setup's lease is taken for the whole run and given back at its end, so one WeChat
call at a time reaches one mini program (commits are serialised: 9402202); waiting for
the platform spends nothing; a mini program without tokens is held for staff.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from portal.golive import category_rules as rules
from portal.golive import outcomes, setup_lease
from portal.golive import steps as st
from portal.registration import retry
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)
T = TypeVar("T")
ACTIVE = (st.GIVEN, st.WORKING, st.WAITING)


def due(ctx: Context, names: Iterable[str], now: float, limit: int = 50) -> list[dict]:
    names = tuple(names)
    marks = ", ".join("?" for _ in names)
    states = ", ".join("?" for _ in ACTIVE)
    rows = ctx.db.execute(
        f"SELECT s.id, s.setup_id, s.step FROM setup_steps s JOIN setups u ON u.id = s.setup_id "
        f"WHERE s.step IN ({marks}) AND s.state IN ({states}) AND s.due_at <= ? "
        "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) ORDER BY s.due_at LIMIT ?",
        [*names, *ACTIVE, now, now, limit],
    ).fetchall()
    return [{"step_id": r[0], "setup_id": r[1], "step": r[2]} for r in rows]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    if not setup_lease.claim(ctx.db, item["setup_id"], ctx.timing.lease, now):
        return None
    row = st.step(ctx.db, item["setup_id"], item["step"])
    if row["state"] not in ACTIVE or (row["due_at"] or 0) > now:
        setup_lease.unclaim(ctx.db, item["setup_id"])
        return None  # another process did it meanwhile
    return {**item, "setup": st.get(ctx.db, item["setup_id"]), "row": row}


def run(ctx: Context, item: dict, work: Callable[[Context, dict, dict], None]) -> None:
    """Do ``work(ctx, setup, step_row)`` under the setup's lease, whatever happens."""
    setup, name = item["setup"], item["step"]
    try:
        work(ctx, setup, item["row"])
    except PlatformWaiting:
        later = time.time() + max(ctx.timing.retry_delay, 1.0)
        outcomes.platform_waiting(ctx.db, setup["id"], name, later)
    except AuthorizerMissing:
        missing = WeChatError("authorizer", None, "no token for this mini program")
        outcomes.failed_try(ctx.db, setup["id"], name, retry.OPERATOR, missing, 0)
    finally:
        setup_lease.unclaim(ctx.db, setup["id"])


def call(ctx: Context, setup: dict, fn: Callable[[str], T]) -> T:
    """Run ``fn(authorizer_token)`` for the setup's mini program."""
    return ctx.call_authorizer(setup["submission_id"], setup["appid"], fn)


def refused(ctx: Context, setup: dict, name: str, exc: WeChatError) -> None:
    """WeChat refused a step's call: the merchant fixes it, or it is retried or held."""
    failure = retry.classify(exc.errcode, exc.entry)
    if failure == retry.FIXABLE:
        detail = f"微信未通过：{exc.entry.title}（{exc.errcode}）"
        outcomes.needs_merchant(
            ctx.db, setup["id"], name, exc.errcode, exc.entry.explanation, detail
        )
        return
    log.warning("go-live %s for %s: %s", name, setup["appid"], exc)
    outcomes.failed_try(ctx.db, setup["id"], name, failure, exc, ctx.timing.retry_delay)


def keep_file(ctx: Context, setup: dict, role: str, content_type: str, content: bytes) -> None:
    """Store an image WeChat made (the trial QR code, the mini program code) for the pages."""
    st.give_file(ctx.db, setup["id"], st.RELEASE, role, content_type, content)


#: getcategoriesbytype's verify_type for an enterprise: fast-registered mini programs are
#: enterprises' (getallcategories also lists categories the subject may not set: 53302).
ENTERPRISE = 1


def choices(ctx: Context, setup: dict) -> list[dict]:
    """The second-level categories an enterprise's mini program may add, for the
    merchant's picker: each with its qualification ``groups`` (one photo of each group,
    any one document within it) and, for reading only, every document named
    (``qualifications``). Those that need a UGC declaration are left out (rules)."""
    nodes = call(
        ctx, setup, lambda token: ctx.mp.categories.get_categories_by_type(token, ENTERPRISE)
    )
    by_id = {node.id: node for node in nodes}
    found = []
    for node in nodes:
        parent = by_id.get(node.father)
        if node.level != 2 or parent is None:
            continue
        if rules.needs_ugc_declaration(parent.name, node.name):
            continue
        groups = [[i.name for i in group if i.name] for group in node.qualify.exter_list]
        groups = [group for group in groups if group]
        found.append(
            {
                "first": parent.id,
                "first_name": parent.name,
                "second": node.id,
                "second_name": node.name,
                "sensitive": node.sensitive_type == 1,
                "groups": groups,
                "qualifications": [name for group in groups for name in group],
            }
        )
    return found
