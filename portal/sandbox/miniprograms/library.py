"""The platform's code-template library (SETUP §5), C-token: gettemplatedraftlist (GET),
addtotemplate, gettemplatelist (GET; a POST answers 43001), deletetemplate.

Drafts come from the platform's development mini programs; each keeps only its latest
draft (a new upload replaces it, and the old draft_id then answers 85064). The library
holds at most 200 templates (85065). The sandbox starts with two drafts: the demo
template (draft 2: pages/index/index, pages/shop/shop, pages/order/order,
pages/mine/mine; its code uses the privacy keys Location, PhoneNumber and Album and
calls getLocation) and a plain one (draft 1: two pages, no privacy key). The sandbox
page's button uploads a new draft of the demo template, as DevTools would.
"""

from __future__ import annotations

import json
import time

import sqlite_utils
from flask import Response, g, request

from portal.db import insert, transaction
from portal.sandbox.miniprograms import limits, model, schema
from portal.sandbox.miniprograms.calls import GET, POST, answer, c_call, integer
from portal.sandbox.state import one

LISTED = (
    "create_time",
    "user_version",
    "user_desc",
    "draft_id",
    "source_miniprogram_appid",
    "source_miniprogram",
    "developer",
)
TYPES = (0, 1)  # 0 ordinary, 1 standard (retired with the transaction component)


def upload_draft(db: sqlite_utils.Database, user_version: str, user_desc: str) -> int:
    """DevTools uploading the demo template from the development mini program: it replaces
    that mini program's previous draft. Returns the new draft_id."""
    with transaction(db):
        draft_id = model.next_id(db, "drafts", "draft_id", 0)
        db.execute("DELETE FROM drafts WHERE source_miniprogram_appid = ?", [schema.DEV_APPID])
        row = {
            "draft_id": draft_id,
            "user_version": user_version,
            "user_desc": user_desc,
            "create_time": int(time.time()),
            "source_miniprogram_appid": schema.DEV_APPID,
            "source_miniprogram": schema.DEV_NAME,
            "developer": "沙箱开发者",
            "pages": json.dumps(schema.DEMO_PAGES),
            "privacy_keys": json.dumps(schema.DEMO_PRIVACY),
            "location_apis": json.dumps(schema.DEMO_LOCATION),
        }
        insert(db, "drafts", row)
    return draft_id


@c_call("/wxa/gettemplatedraftlist", GET)
def gettemplatedraftlist(_data: dict) -> Response:
    drafts = g.sandbox_db.query("SELECT * FROM drafts ORDER BY draft_id")
    return answer(0, draft_list=[{key: d[key] for key in LISTED} for d in drafts])


@c_call("/wxa/addtotemplate", POST)
def addtotemplate(data: dict) -> Response:
    db = g.sandbox_db
    draft = one(db, "SELECT * FROM drafts WHERE draft_id = ?", [integer(data.get("draft_id"))])
    if draft is None:
        return answer(85064)
    template_type = integer(data.get("template_type", 0))
    if template_type not in TYPES:
        return answer(40097)
    with transaction(db):
        count = db.execute("SELECT count(*) FROM code_templates").fetchone()[0]
        if count >= limits.TEMPLATE_LIMIT:
            return answer(85065)
        row = dict(draft)
        row.update(template_type=template_type, create_time=int(time.time()))
        insert(db, "code_templates", row)
    return answer(0)


def listed_template(t: dict) -> dict:
    row = {key: t[key] for key in ("template_id", "template_type", *LISTED)}
    if t["template_type"] == 1:
        row.update(category_list=[], audit_scene=0, audit_status=0, reason="")
    return row


@c_call("/wxa/gettemplatelist", GET)
def gettemplatelist(_data: dict) -> Response:
    wanted = request.args.get("template_type")
    rows = list(g.sandbox_db.query("SELECT * FROM code_templates ORDER BY template_id"))
    if wanted is not None:
        if integer(wanted) not in TYPES:
            return answer(40097)
        rows = [t for t in rows if t["template_type"] == integer(wanted)]
    return answer(0, template_list=[listed_template(t) for t in rows])


@c_call("/wxa/deletetemplate", POST)
def deletetemplate(data: dict) -> Response:
    with transaction(g.sandbox_db):
        gone = g.sandbox_db.execute(
            "DELETE FROM code_templates WHERE template_id = ?", [integer(data.get("template_id"))]
        )
    return answer(0) if gone.rowcount == 1 else answer(85064)


def template(db: sqlite_utils.Database, template_id: object) -> dict | None:
    return one(db, "SELECT * FROM code_templates WHERE template_id = ?", [integer(template_id)])
