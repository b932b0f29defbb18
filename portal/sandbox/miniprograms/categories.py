"""Categories (SETUP §2), A-token: getallcategories (GET), getcategoriesbytype (POST),
addcategory, getcategory (GET), deletecategory, modifycategory and /wxa/get_category (GET).

addcategory's rules, in order: ``categories`` must be a non-empty array of
``{first, second}`` pairs of the tree, the second under the first, not retired (53303);
the subject type (an enterprise) must be allowed the category (53302, also for what
getallcategories lists: §9); not already set nor twice in one call (53304); at most
CATEGORY_CHANGES changes a month (53300: every category added, modified or deleted
counts, SETUP §2) and CATEGORY_LIMIT categories (53301); a sensitive category needs
``certicates`` (sic) naming one document of each group its ``qualify`` lists (every group
is needed, a group's documents are alternatives: 53311), each value this MP's own
unexpired temporary media (40007). Sensitive
categories go to audit and end after SANDBOX_CATEGORY_AUDIT_DELAY with a
wxa_category_audit push; the others are approved at once. Only an approved category
counts for submit_audit (85008) and is listed by /wxa/get_category.
"""

from __future__ import annotations

import json
import time
from typing import Any

import sqlite_utils
from flask import Response, g

from portal.db import insert, transaction
from portal.sandbox.miniprograms import catalog, limits, magic, model
from portal.sandbox.miniprograms.calls import GET, POST, a_call, answer, integer, settings
from portal.sandbox.miniprograms.model import PASSED, REJECTED, UNDER_AUDIT
from portal.sandbox.state import one


@a_call("/cgi-bin/wxopen/getallcategories", GET)
def getallcategories(_mp: dict, _data: dict) -> Response:
    return answer(0, categories_list={"categories": catalog.tree()})


@a_call("/cgi-bin/wxopen/getcategoriesbytype", POST)
def getcategoriesbytype(_mp: dict, data: dict) -> Response:
    verify_type = integer(data.get("verify_type", 0))
    if verify_type not in catalog.VERIFY_TYPES:
        return answer(40097)
    return answer(0, categories_list={"categories": catalog.tree(verify_type)})


def certificates_errcode(
    db: sqlite_utils.Database, appid: str, second: int, certicates: Any
) -> tuple[int, str]:
    """(errcode, outcome of the audit) for a category's qualifications."""
    if certicates is None:
        certicates = []
    if not isinstance(certicates, list) or not all(isinstance(c, dict) for c in certicates):
        return 53303, ""
    outcome = "pass"
    for cert in certicates:
        media = model.media(db, cert.get("value"), appid, "temp")
        if media is None:
            return 40007, ""
        if (
            magic.number(str(cert.get("key", "")), "C") == 2
            or magic.number(media["filename"], "C") == 2
        ):
            outcome = "fail"
    keys = {magic.MAGIC.sub("", str(c.get("key", ""))).strip() for c in certicates}
    groups = catalog.BY_ID[second][3]
    if any(not keys.intersection(group) for group in groups):
        return 53311, ""
    return 0, outcome


def _pair(item: Any) -> tuple[int, int] | None:
    if not isinstance(item, dict):
        return None
    first, second = integer(item.get("first")), integer(item.get("second"))
    row = catalog.BY_ID.get(second) if second is not None else None
    if row is None or row[1] != first or row[4] == "retired":
        return None
    return first, second


@a_call("/cgi-bin/wxopen/addcategory", POST)
def addcategory(mp: dict, data: dict) -> Response:
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    wanted = data.get("categories")
    if not isinstance(wanted, list) or not wanted:
        return answer(53303)  # an object instead of an array: "提交的参数不合法" (§9)
    pairs = [_pair(item) for item in wanted]
    if any(pair is None for pair in pairs):
        return answer(53303)
    if any(catalog.ENTERPRISE not in catalog.allowed_types(catalog.BY_ID[p[1]]) for p in pairs):
        return answer(53302)
    held = {(c["first"], c["second"]) for c in model.categories(db, appid)}
    if len(set(pairs)) != len(pairs) or held.intersection(pairs):
        return answer(53304)
    if len(pairs) > _changes_left(db, appid, now):
        return answer(53300)
    if len(held) + len(pairs) > limits.CATEGORY_LIMIT:
        return answer(53301)
    rows = []
    for item, (first, second) in zip(wanted, pairs, strict=True):
        failed, outcome = certificates_errcode(db, appid, second, item.get("certicates"))
        if failed:
            return answer(failed)
        sensitive = bool(catalog.BY_ID[second][3])
        rows.append(
            {
                "appid": appid,
                "first": first,
                "second": second,
                "certicates": json.dumps(item.get("certicates") or [], ensure_ascii=False),
                "status": UNDER_AUDIT if sensitive else PASSED,
                "outcome": outcome,
                "created_at": now,
                "ends_at": now + float(settings()["SANDBOX_CATEGORY_AUDIT_DELAY"]),
            }
        )
    with transaction(db):
        for row in rows:
            insert(db, "mp_categories", row)
            _changed(db, appid, now)
    return answer(0)


def _changes_left(db: sqlite_utils.Database, appid: str, now: float) -> int:
    """Category changes (adds, modifies, deletes) left this month (53300 at none)."""
    used = model.count_changes(db, appid, "category", model.month_start(now))
    return max(limits.CATEGORY_CHANGES - used, 0)


def _changed(db: sqlite_utils.Database, appid: str, now: float) -> None:
    insert(db, "changes", {"appid": appid, "what": "category", "at": now})


@a_call("/cgi-bin/wxopen/getcategory", GET)
def getcategory(mp: dict, _data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    rows = []
    for c in model.categories(db, appid):
        first_name, second_name = catalog.names(c["first"], c["second"])
        rows.append(
            {
                "first": c["first"],
                "first_name": first_name,
                "second": c["second"],
                "second_name": second_name,
                "audit_status": c["status"],
                "audit_reason": c["reason"],
            }
        )
    return answer(
        0,
        categories=rows,
        limit=limits.CATEGORY_CHANGES,
        quota=_changes_left(db, appid, time.time()),
        category_limit=limits.CATEGORY_LIMIT,
    )


def _held(appid: str, data: dict) -> dict | None:
    return one(
        g.sandbox_db,
        "SELECT * FROM mp_categories WHERE appid = ? AND first = ? AND second = ?",
        [appid, integer(data.get("first")), integer(data.get("second"))],
    )


@a_call("/cgi-bin/wxopen/deletecategory", POST)
def deletecategory(mp: dict, data: dict) -> Response:
    """A delete counts against the monthly change limit, as an add does (53300)."""
    db, now = g.sandbox_db, time.time()
    held = _held(mp["appid"], data)
    if held is None:
        return answer(53303)
    if held["status"] == UNDER_AUDIT:
        return answer(53308)
    if _changes_left(db, mp["appid"], now) < 1:
        return answer(53300)
    with transaction(db):
        db.execute("DELETE FROM mp_categories WHERE id = ?", [held["id"]])
        _changed(db, mp["appid"], now)
    return answer(0)


@a_call("/cgi-bin/wxopen/modifycategory", POST)
def modifycategory(mp: dict, data: dict) -> Response:
    """Only the qualifications of a rejected category can change (53307); it goes back to
    audit. A modify counts against the monthly change limit, as an add does (53300)."""
    db, now = g.sandbox_db, time.time()
    held = _held(mp["appid"], data)
    if held is None:
        return answer(53303)
    if held["status"] != REJECTED:
        return answer(53307)
    if _changes_left(db, mp["appid"], now) < 1:
        return answer(53300)
    failed, outcome = certificates_errcode(db, mp["appid"], held["second"], data.get("certicates"))
    if failed:
        return answer(failed)
    ends = now + float(settings()["SANDBOX_CATEGORY_AUDIT_DELAY"])
    with transaction(db):
        db.execute(
            "UPDATE mp_categories SET certicates = ?, status = ?, outcome = ?, reason = '', "
            "ends_at = ? WHERE id = ?",
            [
                json.dumps(data.get("certicates") or [], ensure_ascii=False),
                UNDER_AUDIT,
                outcome,
                ends,
                held["id"],
            ],
        )
        _changed(db, mp["appid"], now)
    return answer(0)


@a_call("/wxa/get_category", GET)
def get_category(mp: dict, _data: dict) -> Response:
    """The approved categories, in the shape submit_audit's item_list takes."""
    rows = []
    for c in model.approved_categories(g.sandbox_db, mp["appid"]):
        first_name, second_name = catalog.names(c["first"], c["second"])
        rows.append(
            {
                "first_class": first_name,
                "second_class": second_name,
                "third_class": "",
                "first_id": c["first"],
                "second_id": c["second"],
                "third_id": 0,
            }
        )
    return answer(0, category_list=rows)
