"""Go-live: the categories a mini program may add, and the merchant's category (SETUP §2).

``getallcategories`` is fetched once per setup into the category step's choices for the
merchant's picker. The merchant's choice is added with ``addcategory`` (qualification
photos as ``certicates`` media); ``getcategory`` then says whether WeChat audits it
(audit_status 1), rejected it (2) or approved it (3). An ``addcategory`` that got no
answer is resolved with ``getcategory`` before it is sent again (53304: already set).
"""

from __future__ import annotations

from portal.golive import audits, outcomes
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.categories import CategoryChoice, Certificate

NAME = "golive.category"
ALREADY_SET = 53304


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.CATEGORY,), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    common.run(ctx, item, _category)


def _status(ctx: Context, setup: dict, first: int, second: int):
    listed = common.call(ctx, setup, ctx.mp.categories.get_category)
    return next((c for c in listed.categories if (c.first, c.second) == (first, second)), None)


def _category(ctx: Context, setup: dict, row: dict) -> None:
    first, second = int(row["input"]["first"]), int(row["input"]["second"])
    try:
        found = None
        if row["state"] in (st.WORKING, st.WAITING):  # added before, or under audit
            found = _status(ctx, setup, first, second)
        if found is None:
            outcomes.working(ctx.db, setup["id"], st.CATEGORY, ctx.timing.lease)
            certificates = []
            named = {f"qualification:{q}" for q in row["input"].get("qualifications", [])}
            for file in st.files(ctx.db, setup["id"], st.CATEGORY):
                if file["role"] not in named:
                    continue  # another category's permits, from before a change
                media = common.call(
                    ctx,
                    setup,
                    lambda token, f=file: ctx.mp.basic.upload_media(
                        token, f["content"], "qualification.jpg", f["content_type"]
                    ),
                )
                certificates.append(Certificate(file["role"].split(":", 1)[1], media.media_id))
            choice = CategoryChoice(first, second, tuple(certificates))
            try:
                common.call(
                    ctx, setup, lambda token: ctx.mp.categories.add_category(token, [choice])
                )
            except WeChatError as exc:
                if exc.errcode != ALREADY_SET:
                    raise
            found = _status(ctx, setup, first, second)
    except WeChatError as exc:
        common.refused(ctx, setup, st.CATEGORY, exc)
        return
    status = found.audit_status if found else 1
    audits.category_audit(ctx.db, setup["id"], status, found.audit_reason if found else "")
