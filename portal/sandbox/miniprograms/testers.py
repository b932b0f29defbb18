"""Testers (体验者, SETUP §7), A-token: bind_tester, unbind_tester and memberauth.

bind_tester takes a WeChat ID (not an openid): one shaped otherwise (a letter, then 5–19
letters, digits, _ or -), or magic ``nosuch…``, is not found (85001); magic ``busy…`` is
a tester of too many mini programs (85003); one already bound 85004; at most
SANDBOX_TESTER_LIMIT testers (85002). It answers ``userstr``. unbind_tester takes
``wechatid`` or ``userstr`` (neither 40097; not bound 85001). memberauth with
``action`` get_experiencer lists ``members[{userstr}]``, never WeChat IDs.
"""

from __future__ import annotations

import hashlib
import re
import time

from flask import Response, g

from portal.db import insert, transaction
from portal.sandbox.miniprograms import magic
from portal.sandbox.miniprograms.calls import POST, a_call, answer, settings
from portal.sandbox.state import one

WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")


def userstr(appid: str, wechatid: str) -> str:
    return hashlib.sha256(f"{appid}:{wechatid}".encode()).hexdigest()[:32]


@a_call("/wxa/bind_tester", POST)
def bind_tester(mp: dict, data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    wechatid = data.get("wechatid")
    if not isinstance(wechatid, str) or not WECHAT_ID.match(wechatid):
        return answer(85001)
    failed = magic.tester_errcode(wechatid)
    if failed:
        return answer(failed)
    with transaction(db):
        if one(db, "SELECT 1 FROM testers WHERE appid = ? AND wechatid = ?", [appid, wechatid]):
            return answer(85004)
        count = db.execute("SELECT count(*) FROM testers WHERE appid = ?", [appid]).fetchone()[0]
        if count >= int(settings()["SANDBOX_TESTER_LIMIT"]):
            return answer(85002)
        row = {"appid": appid, "wechatid": wechatid, "userstr": userstr(appid, wechatid)}
        insert(db, "testers", {**row, "bound_at": time.time()})
    return answer(0, userstr=row["userstr"])


@a_call("/wxa/unbind_tester", POST)
def unbind_tester(mp: dict, data: dict) -> Response:
    wechatid, user = data.get("wechatid"), data.get("userstr")
    if not wechatid and not user:
        return answer(40097)
    with transaction(g.sandbox_db):
        gone = g.sandbox_db.execute(
            "DELETE FROM testers WHERE appid = ? AND (wechatid = ? OR userstr = ?)",
            [mp["appid"], str(wechatid or ""), str(user or "")],
        )
    return answer(0) if gone.rowcount else answer(85001)


@a_call("/wxa/memberauth", POST)
def memberauth(mp: dict, data: dict) -> Response:
    if data.get("action") != "get_experiencer":
        return answer(40097)
    rows = g.sandbox_db.query(
        "SELECT userstr FROM testers WHERE appid = ? ORDER BY bound_at", [mp["appid"]]
    )
    return answer(0, members=[{"userstr": row["userstr"]} for row in rows])
