"""Go-live: the merchant's category (SETUP §2).

The merchant picks among the step's choices (``golive.open`` fetched them with
``getcategoriesbytype`` for an enterprise). The choice is added with ``addcategory``,
one qualification photo of each of the category's groups as ``certicates`` media;
``getcategory`` then says whether WeChat audits it (audit_status 1), rejected it (2) or
approved it (3). Every run reads ``getcategory`` first, so an ``addcategory`` that got
no answer is never sent twice (53304 is taken as set). New photos for a rejected
category go by ``modifycategory``. The categories added for a setup are kept in the
step's result (``added``); once a changed choice is approved, the ones it replaced are
deleted (``deletecategory``).

53303 (a category WeChat retired since the list was fetched) and 53302 (one this subject
type may not set) are the merchant's to pick again, never a hold that a retry repeats:
the list is fetched again (or cleared, for ``golive.open`` to fetch) and the step goes
back to the merchant with why.
"""

from __future__ import annotations

import logging

from portal.golive import audits, outcomes
from portal.golive import category_rules as rules
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.categories import CategoryChoice, Certificate, SetCategory

NAME = "golive.category"
ALREADY_SET, NOT_REJECTED = 53304, 53307
#: addcategory's "not for this subject type" and "invalid" (a retired category: our
#: client always sends the array WeChat wants): the merchant picks again.
NOT_FOR_SUBJECT, RETIRED = 53302, 53303
PICK_AGAIN = "这个类目已被微信调整或不适用于企业主体，请重新选择。"
REJECTED, APPROVED = 2, 3
ADD, MODIFY = "add", "modify"
log = logging.getLogger(__name__)


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.CATEGORY,), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    common.run(ctx, item, _category)


def _listed(ctx: Context, setup: dict) -> dict[tuple[int, int], SetCategory]:
    listed = common.call(ctx, setup, ctx.mp.categories.get_category)
    return {(c.first, c.second): c for c in listed.categories}


def _documents(row: dict) -> list[str]:
    """The documents to send: one of each of the chosen category's groups (when its
    choice is still listed), of those the merchant gave."""
    given = [n for n in row["input"].get("qualifications") or [] if isinstance(n, str)]
    pair = f"{row['input'].get('first')}:{row['input'].get('second')}"
    choice, _error = rules.find_choice(row["result"].get("choices") or [], pair)
    if choice is None or not rules.document_groups(choice):
        return list(dict.fromkeys(given))
    return rules.chosen_documents(choice, given, given)


def _certificates(ctx: Context, setup: dict, row: dict) -> tuple[Certificate, ...]:
    """The chosen category's qualification photos, one per group, as temporary media."""
    certificates = []
    named = {f"qualification:{q}" for q in _documents(row)}
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
    return tuple(certificates)


def _send(ctx: Context, setup: dict, row: dict, pair: tuple[int, int], rejected: bool) -> None:
    """Add the category, or give a rejected one its new photos (``modifycategory``:
    ``addcategory`` would answer 53304 and the new photos would never reach WeChat)."""
    phase = MODIFY if rejected else ADD
    outcomes.working(ctx.db, setup["id"], st.CATEGORY, ctx.timing.lease, phase)
    choice = CategoryChoice(*pair, _certificates(ctx, setup, row))
    categories = ctx.mp.categories
    try:
        if rejected:
            common.call(ctx, setup, lambda token: categories.modify_category(token, choice))
        else:
            common.call(ctx, setup, lambda token: categories.add_category(token, [choice]))
    except WeChatError as exc:
        if exc.errcode not in (ALREADY_SET, NOT_REJECTED):
            raise  # 53304 / 53307: an earlier unanswered try got there first


def _category(ctx: Context, setup: dict, row: dict) -> None:
    pair = (int(row["input"]["first"]), int(row["input"]["second"]))
    try:
        held = _listed(ctx, setup)
        found = held.get(pair)
        # GIVEN: the merchant gave it (again). A lost add that WeChat holds is not sent
        # again; a lost modify of a still-rejected category is (its audit may have
        # rejected it again, which costs one audit, not the merchant's new photos).
        # WAITING: under WeChat's audit, so a rejection now is the audit's answer.
        again = row["state"] == st.GIVEN or (row["state"], row["phase"]) == (st.WORKING, MODIFY)
        if found is None or (again and found.audit_status == REJECTED):
            _send(ctx, setup, row, pair, rejected=found is not None)
            held = _listed(ctx, setup)
            found = held.get(pair)
    except WeChatError as exc:
        if exc.errcode in (NOT_FOR_SUBJECT, RETIRED):
            _pick_again(ctx, setup, row, exc)
        else:
            common.refused(ctx, setup, st.CATEGORY, exc)
        return
    ours = sorted({*(tuple(p) for p in row["result"].get("added", [])), pair})
    status = found.audit_status if found else 1
    if status == APPROVED:
        _drop_replaced(ctx, setup, pair, ours, held)
    reason = found.audit_reason if found else ""
    added = {"added": [list(p) for p in ours]}
    audits.category_audit(ctx.db, setup["id"], status, reason, added)


def _pick_again(ctx: Context, setup: dict, row: dict, exc: WeChatError) -> None:
    """WeChat will not take this category (retired, or not for an enterprise): fetch the
    list again and give the step back to the merchant. If the list cannot be fetched
    now, it is cleared and ``golive.open`` fetches it (the page says it is coming)."""
    try:
        fresh: list[dict] | None = common.choices(ctx, setup)
    except (WeChatError, PlatformWaiting, AuthorizerMissing) as failed:
        log.warning("categories for %s not fetched again: %s", setup["appid"], failed)
        fresh = None
    given = row["input"]
    shown = f"“{given.get('first_name', '')} › {given.get('second_name', '')}”："
    detail = f"微信不接受所选类目（{exc.errcode}），可选类目已重新获取，请商户重新选择"
    outcomes.needs_merchant(
        ctx.db, setup["id"], st.CATEGORY, exc.errcode, shown + PICK_AGAIN, detail,
        {"choices": fresh},
    )  # fmt: skip


def _drop_replaced(
    ctx: Context,
    setup: dict,
    pair: tuple[int, int],
    ours: list[tuple[int, int]],
    held: dict[tuple[int, int], SetCategory],
) -> None:
    """Once the merchant's new choice is approved, delete the categories we added for
    the choices it replaced (a rejected one, or one an audit said was wrong), as this
    run's ``getcategory`` listed them. Only ours: a category set in WeChat's console
    stays. A refusal is logged, never the step's."""
    for old in ours:
        if old == pair or old not in held:
            continue
        try:
            common.call(
                ctx, setup, lambda token, o=old: ctx.mp.categories.delete_category(token, *o)
            )
        except WeChatError as exc:
            log.warning("setup %s: category %s not deleted: %s", setup["id"], old, exc)
