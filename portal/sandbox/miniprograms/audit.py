"""Code audit (SETUP §6, §8), A-token: submit_audit, get_auditstatus, get_latest_auditstatus
(GET), undocodeaudit (GET), speedupaudit, queryquota (GET) and get_material (a rejected
audit's screenshots: the PNG's bytes for a media id of this mini program's, else 40007).

submit_audit checks, in this order (each WeChat's errcode from §6 and §9):
1. magic ``E<errcode>`` in ``version_desc`` answers it (86007, 86009, 86010, 87006 …);
2. 86002: no name (or the name still under audit), no head image or no introduction;
3. 85086: nothing committed;  4. 85009: an audit is pending (under audit or delayed);
5. 61039: the privacy scan of the last commit is still running;
6. 85008: no approved category;
7. item_list: 1–5 items (85023; required, the stricter reading); each an object with
   address, first/second class and id (85010); address a committed page (85007); at
   most 10 tags of 20 characters (85006); title ≤ 32 (85011); its category one of the
   approved (85008);
8. 85094: a 社交 UGC category (社区/论坛, 笔记, 问答) on the first submission without
   ``ugc_declare``;
9. ``preview_info`` an object (85092, also for media not from /wxa/uploadmedia, another
   MP's or expired), at most 5 pictures and 2 videos (85093); ``version_desc`` ≤ 500
   (85051); ``feedback_info`` ≤ 200 (40097);
10. 61040: a privacy key the code uses outside setting_list (none on record covers
   none), or a location API not in requiredPrivateInfos, unless ``privacy_api_not_use``
   is true (then the audit itself fails for it). Code that uses no privacy key needs no
   setting: setprivacysetting could not take one (version 2 requires a non-empty
   setting_list, §3), and SETUP names 61040 only for keys used and not configured;
11. 85085: the platform's monthly submit quota (SANDBOX_SUBMIT_QUOTA) is used.
An accepted audit spends the quota (withdrawing never gives it back) and ends after
SANDBOX_AUDIT_DELAY as the magic values say (see ``magic``).
"""

from __future__ import annotations

import json
import time
from typing import Any

import sqlite_utils
from flask import Response, g, make_response

from portal.db import insert, transaction
from portal.sandbox.miniprograms import catalog, limits, magic, model, privacy
from portal.sandbox.miniprograms.calls import GET, POST, a_call, answer, integer, settings
from portal.sandbox.miniprograms.model import AUDITING, PENDING, WITHDRAWN
from portal.sandbox.state import one
from portal.timefmt import day_start

PRIVACY_REASON = (
    "小程序代码中调用了未在《用户隐私保护指引》中声明的隐私接口，请补充声明后重新提交。"
)


def ready(db: sqlite_utils.Database, mp: dict) -> bool:
    """Name (not under audit), head image and introduction are all set (§1)."""
    if not mp["nickname"] or model.pending_name_audit(db, mp["appid"]) is not None:
        return False
    return bool(mp["head_image_media"]) and bool(mp["signature"])


def item_errcode(item: Any, pages: list[str], approved: list[dict]) -> int:
    fields = ("address", "first_class", "second_class", "first_id", "second_id")
    if not isinstance(item, dict) or any(item.get(f) in (None, "") for f in fields):
        return 85010
    if item["address"] not in pages:
        return 85007
    tag = item.get("tag", "")
    tags = tag.split() if isinstance(tag, str) else None
    if tags is None or len(tags) > limits.TAGS or any(len(t) > limits.TAG_LENGTH for t in tags):
        return 85006
    title = item.get("title", "")
    if not isinstance(title, str) or len(title) > limits.TITLE_LENGTH:
        return 85011
    first, second = integer(item["first_id"]), integer(item["second_id"])
    if not any(c["first"] == first and c["second"] == second for c in approved):
        return 85008
    if (item["first_class"], item["second_class"]) != catalog.names(first, second):
        return 85008
    return 0


def preview_errcode(db: sqlite_utils.Database, appid: str, preview: Any) -> int:
    if preview is None:
        return 0
    if not isinstance(preview, dict):
        return 85092  # an array instead of an object (§9)
    pics, videos = preview.get("pic_id_list", []), preview.get("video_id_list", [])
    if not isinstance(pics, list) or not isinstance(videos, list):
        return 85092
    if len(pics) > limits.PREVIEW_PICS or len(videos) > limits.PREVIEW_VIDEOS:
        return 85093
    for media_id, kind in [(p, "image") for p in pics] + [(v, "video") for v in videos]:
        media = model.media(db, media_id, appid, "audit")
        if media is None or media["type"] != kind:
            return 85092
    return 0


def submit_errcode(db: sqlite_utils.Database, mp: dict, data: dict) -> tuple[int, dict | None]:
    """(errcode, the version to audit) for a submit_audit body."""
    appid = mp["appid"]
    desc = data.get("version_desc", "")
    forced = magic.number(desc if isinstance(desc, str) else "", "E")
    if forced is not None:
        return forced, None
    if not ready(db, mp):
        return 86002, None
    version = model.latest_version(db, appid)
    if version is None:
        return 85086, None
    latest = model.latest_audit(db, appid)
    if latest is not None and latest["status"] in PENDING:
        return 85009, None
    if privacy.scanning(version):
        return 61039, None
    approved = model.approved_categories(db, appid)
    if not approved:
        return 85008, None
    items = data.get("item_list")
    low, high = limits.ITEMS
    if not isinstance(items, list) or not low <= len(items) <= high:
        return 85023, None
    pages = model.listed(version["pages"])
    for item in items:
        failed = item_errcode(item, pages, approved)
        if failed:
            return failed, None
    ugc = any(integer(i["second_id"]) in catalog.UGC for i in items)
    if ugc and latest is None and not isinstance(data.get("ugc_declare"), dict):
        return 85094, None
    failed = preview_errcode(db, appid, data.get("preview_info"))
    if failed:
        return failed, None
    if not isinstance(desc, str) or len(desc) > limits.VERSION_DESC_LENGTH:
        return 85051, None
    feedback = data.get("feedback_info", "")
    if not isinstance(feedback, str) or len(feedback) > limits.FEEDBACK_LENGTH:
        return 40097, None
    gaps = privacy.uncovered(version, mp["privacy"]) + privacy.undeclared(version)
    if gaps and data.get("privacy_api_not_use") is not True:
        return 61040, None
    return 0, version


def submits_this_month(db: sqlite_utils.Database) -> int:
    since = model.month_start(time.time())
    return db.execute("SELECT count(*) FROM audits WHERE submitted_at >= ?", [since]).fetchone()[0]


@a_call("/wxa/submit_audit", POST)
def submit_audit(mp: dict, data: dict) -> Response:
    db, now, config = g.sandbox_db, time.time(), settings()
    failed, version = submit_errcode(db, mp, data)
    if failed or version is None:
        return answer(failed)
    gaps = privacy.uncovered(version, mp["privacy"]) + privacy.undeclared(version)
    outcome = magic.audit_outcome(data.get("version_desc"), version["user_desc"], mp["nickname"])
    with transaction(db):
        if submits_this_month(db) >= int(config["SANDBOX_SUBMIT_QUOTA"]):
            return answer(85085)
        auditid = model.next_id(db, "audits", "auditid", 400000000)
        row = {"auditid": auditid, "appid": mp["appid"], "version_id": version["id"]}
        row.update(status=AUDITING, outcome="fail" if gaps else outcome)
        row.update(reason=PRIVACY_REASON if gaps else "", submitted_at=now)
        row.update(privacy=json.dumps(mp["privacy"], ensure_ascii=False))
        row.update(ends_at=now + float(config["SANDBOX_AUDIT_DELAY"]))
        insert(db, "audits", row)
    return answer(0, auditid=auditid)


def _own_audit(mp: dict, data: dict) -> dict | None:
    auditid = integer(data.get("auditid"))
    sql = "SELECT * FROM audits WHERE auditid = ? AND appid = ?"
    return one(g.sandbox_db, sql, [auditid, mp["appid"]])


@a_call("/wxa/get_auditstatus", POST)
def get_auditstatus(mp: dict, data: dict) -> Response:
    audit = _own_audit(mp, data)
    if audit is None:
        return answer(85012)  # another MP's auditid, or a mistyped one (§9)
    return answer(0, status=audit["status"], reason=audit["reason"], screenshot=audit["screenshot"])


@a_call("/wxa/get_latest_auditstatus", GET)
def get_latest_auditstatus(mp: dict, _data: dict) -> Response:
    db = g.sandbox_db
    audit = model.latest_audit(db, mp["appid"])
    if audit is None:
        return answer(85058)
    version = model.version(db, audit["version_id"]) or {}
    return answer(
        0,
        auditid=audit["auditid"],
        status=audit["status"],
        reason=audit["reason"],
        ScreenShot=audit["screenshot"],  # as the doc's sample spells it (§10)
        user_version=version.get("user_version", ""),
        user_desc=version.get("user_desc", ""),
        submit_audit_time=int(audit["submitted_at"]),
    )


@a_call("/wxa/undocodeaudit", GET)
def undocodeaudit(mp: dict, _data: dict) -> Response:
    """Withdraw the pending audit: 1 a day and 10 a month (the stricter of §10's two)."""
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    audit = model.latest_audit(db, appid)
    if audit is None or audit["status"] not in PENDING:
        return answer(85058)
    today = model.count_changes(db, appid, "undo", day_start(now))
    month = model.count_changes(db, appid, "undo", model.month_start(now))
    if today >= limits.UNDO_PER_DAY or month >= limits.UNDO_PER_MONTH:
        return answer(87013)
    with transaction(db):
        db.execute(
            "UPDATE audits SET status = ?, finished_at = ? WHERE auditid = ?",
            [WITHDRAWN, now, audit["auditid"]],
        )
        insert(db, "changes", {"appid": appid, "what": "undo", "at": now})
    return answer(0)


@a_call("/wxa/speedupaudit", POST)
def speedupaudit(mp: dict, data: dict) -> Response:
    db, now, config = g.sandbox_db, time.time(), settings()
    audit = _own_audit(mp, data)
    if audit is None:
        return answer(85012)
    if audit["status"] not in PENDING:
        return answer(89402)
    if audit["speedup"]:
        return answer(89404)
    used = model.count_changes(db, None, "speedup", model.month_start(now))
    if used >= int(config["SANDBOX_SPEEDUP_QUOTA"]):
        return answer(89405)
    ends = min(audit["ends_at"], now + float(config["SANDBOX_SPEEDUP_DELAY"]))
    with transaction(db):
        db.execute(
            "UPDATE audits SET speedup = 1, ends_at = ? WHERE auditid = ?", [ends, audit["auditid"]]
        )
        insert(db, "changes", {"appid": None, "what": "speedup", "at": now})
    return answer(0)


@a_call("/wxa/queryquota", GET)
def queryquota(_mp: dict, _data: dict) -> Response:
    """The platform's monthly quotas, asked with any of its MPs' A-token (§8, §10)."""
    db, config = g.sandbox_db, settings()
    limit, speedup_limit = int(config["SANDBOX_SUBMIT_QUOTA"]), int(config["SANDBOX_SPEEDUP_QUOTA"])
    speedups = model.count_changes(db, None, "speedup", model.month_start(time.time()))
    return answer(
        0,
        rest=max(limit - submits_this_month(db), 0),
        limit=limit,
        speedup_rest=max(speedup_limit - speedups, 0),
        speedup_limit=speedup_limit,
    )


@a_call("/cgi-bin/material/get_material", POST)
def get_material(mp: dict, data: dict) -> Response:
    """A permanent media's bytes: here, the screenshots of a rejected audit (§6)."""
    media_id = data.get("media_id")
    if not isinstance(media_id, str) or not media_id:
        return answer(40007)
    sql = "SELECT * FROM media WHERE media_id = ? AND appid = ? AND source = 'material'"
    row = one(g.sandbox_db, sql, [media_id, mp["appid"]])
    if row is None:
        return answer(40007)  # unknown, or another mini program's
    response = make_response(bytes(row["data"]))
    response.headers["Content-Type"] = f"image/{row['format']}"
    return response
