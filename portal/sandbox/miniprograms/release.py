"""Going live (SETUP §6), A-token: release, revertcoderelease (GET), getversioninfo and the
live mini program's code (getwxacodeunlimit).

- release (body ``{}``; empty 44002) releases the last approved version: 85019 when no
  audit ever passed, 85020 when the latest audit did not pass (pending, rejected or
  withdrawn), 85052 when that approved version is already live, and 85020 while the mini
  program's ICP filing is not done (status 6, ``icp``): since 2023-09-01 an unlisted mini
  program must be filed first (SETUP §11; which call WeChat refuses is unconfirmed, so
  the sandbox takes the stricter reading, §0). On release the audited
  privacy setting goes live, and under Way 1 every domain the platform's published list
  lacks is removed from the mini program (§4).
- revertcoderelease: ``action=get_history_version`` lists the earlier releases (the last
  5); without it the live version goes back to the previous one (or ``app_version``).
  87012 when there is nothing earlier, or right after a revert (no second one until the
  next release).
- getversioninfo (body ``{}``): ``exp_info`` (the last commit) and ``release_info``.
- getwxacodeunlimit: a PNG only once a version is live; before, or for a ``page`` the
  live version lacks (with ``check_path`` true, the default), or a page starting with
  "/", 41030 "invalid page" (WeChat's own code for it; SETUP lists none). ``scene``
  1–32 characters (40097).
"""

from __future__ import annotations

import json
import time

import sqlite_utils
from flask import Response, g, request

from portal.db import insert, transaction
from portal.sandbox.miniprograms import domains, icp, images, limits, model
from portal.sandbox.miniprograms.calls import GET, POST, a_call, answer, integer
from portal.sandbox.miniprograms.model import AUDIT_PASSED

ENV_VERSIONS = ("release", "trial", "develop")


@a_call("/wxa/release", POST)
def release(mp: dict, _data: dict) -> Response:
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    passed = db.execute(
        "SELECT count(*) FROM audits WHERE appid = ? AND status = ?", [appid, AUDIT_PASSED]
    ).fetchone()[0]
    if not passed:
        return answer(85019)
    latest = model.latest_audit(db, appid)
    assert latest is not None
    if latest["status"] != AUDIT_PASSED:
        return answer(85020)
    if latest["released_at"] is not None:
        return answer(85052)
    if not icp.filed(db, mp):
        return answer(85020)  # not filed yet (SETUP §11, the stricter reading)
    with transaction(db):
        row = {"appid": appid, "version_id": latest["version_id"], "auditid": latest["auditid"]}
        insert(db, "releases", {**row, "released_at": now})
        db.execute("UPDATE audits SET released_at = ? WHERE auditid = ?", [now, latest["auditid"]])
        db.execute(
            "UPDATE miniprograms SET revert_blocked = 0, privacy_live = ? WHERE appid = ?",
            [latest["privacy"], appid],
        )
        domains.at_release(db, model.load(db, appid) or mp)
    return answer(0)


def history(db: sqlite_utils.Database, appid: str) -> list[dict]:
    """The releases before the live one, newest first (the last ``HISTORY``)."""
    rows = list(
        db.query(
            "SELECT * FROM releases WHERE appid = ? AND reverted = 0 ORDER BY id DESC", [appid]
        )
    )
    return rows[1 : 1 + limits.HISTORY]


@a_call("/wxa/revertcoderelease", GET)
def revertcoderelease(mp: dict, _data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    action = request.args.get("action")
    if action == "get_history_version":
        rows = []
        for past in history(db, appid):
            version = model.version(db, past["version_id"]) or {}
            rows.append(
                {
                    "app_version": past["version_id"],
                    "user_version": version.get("user_version", ""),
                    "user_desc": version.get("user_desc", ""),
                    "commit_time": int(version.get("committed_at", 0)),
                }
            )
        return answer(0, version_list=rows)
    if action is not None:
        return answer(40097)
    earlier = history(db, appid)
    if mp["revert_blocked"] or not earlier:
        return answer(87012)
    wanted = request.args.get("app_version")
    target = earlier[0]
    if wanted is not None:
        matches = [r for r in earlier if r["version_id"] == integer(wanted)]
        if not matches:
            return answer(87012)
        target = matches[0]
    with transaction(db):
        db.execute(
            "UPDATE releases SET reverted = 1 WHERE appid = ? AND id > ?", [appid, target["id"]]
        )
        db.execute("UPDATE miniprograms SET revert_blocked = 1 WHERE appid = ?", [appid])
    return answer(0)


@a_call("/wxa/getversioninfo", POST)
def getversioninfo(mp: dict, _data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    info = {}
    trial = model.latest_version(db, appid)
    if trial is not None:
        info["exp_info"] = {
            "exp_time": int(trial["committed_at"]),
            "exp_version": trial["user_version"],
            "exp_desc": trial["user_desc"],
        }
    live = model.current_release(db, appid)
    if live is not None:
        version = model.version(db, live["version_id"]) or {}
        info["release_info"] = {
            "release_time": int(live["released_at"]),
            "release_version": version.get("user_version", ""),
            "release_desc": version.get("user_desc", ""),
        }
    return answer(0, **info)


@a_call("/wxa/getwxacodeunlimit", POST)
def getwxacodeunlimit(mp: dict, data: dict) -> Response:
    db = g.sandbox_db
    scene = data.get("scene")
    if not isinstance(scene, str) or not 1 <= len(scene) <= limits.SCENE_LENGTH:
        return answer(40097)
    env = data.get("env_version", "release")
    width = integer(data.get("width", 430))
    if env not in ENV_VERSIONS or width is None:
        return answer(40097)
    page = data.get("page", "")
    live = model.current_release(db, mp["appid"])
    if live is None or not isinstance(page, str) or page.startswith("/"):
        return answer(41030)
    version = model.version(db, live["version_id"]) or {"pages": "[]"}
    if (
        page
        and data.get("check_path", True) is not False
        and page not in json.loads(version["pages"])
    ):
        return answer(41030)
    code = images.wxacode(f"sandbox-code:{mp['appid']}:{page}?{scene}", width)
    return Response(code, mimetype="image/png")
