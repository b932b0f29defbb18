"""Basic info and the name (SETUP §1.1–§1.4): getaccountbasicinfo, checkwxverifynickname,
setnickname and api_wxa_querynickname, all with the A-token.

The name rules, in the order they are checked:
- the name's own format: 4–30 characters (a Chinese one counts 2), Chinese, letters,
  digits and a few marks, and never 小程序 (53010 at the check, 91004 at setnickname);
  微信/腾讯 (53012); the same as a WeChat ID the sandbox knows, a legal person's or a
  tester's, letter case aside (53018: "名称与微信号相同" is about existing IDs, not a shape,
  so "Coca-Cola" passes); another mini program's name, set or under audit (53013); magic
  ``E<errcode>`` for the rest (53014–53019, 91005–91017);
- setnickname only: no rename after release, the MP being an organisation's (91002);
  none while a code audit is pending (91019) or a name audit runs (91003); two a natural
  year (91003 when used: the stricter reading of §1.3/§10);
- the business licence (``license``) is required for an organisation's MP, and a name
  for which the check answers ``hit_condition`` also needs proof in
  ``naming_other_stuff_1`` (91009 when missing: the stricter reading of "may be needed");
  a proof that is the licence's own media id is no proof (91009: the wording asks for a
  trademark certificate or a brand licence, not the licence again); each must be this
  MP's own temporary media, unexpired (40007 otherwise, §1.5);
- a name that hits a keyword goes to audit: setnickname answers ``audit_id``, and the
  audit ends after SANDBOX_NAME_AUDIT_DELAY with a wxa_nickname_audit push (§1.4).
"""

from __future__ import annotations

import re
import time
from typing import Any

import sqlite_utils
from flask import Response, g, url_for

from portal.db import insert, transaction
from portal.sandbox.miniprograms import limits, magic, model
from portal.sandbox.miniprograms.calls import ANY, POST, a_call, answer, integer, settings
from portal.sandbox.miniprograms.model import PENDING, UNDER_AUDIT
from portal.sandbox.state import one

NAME_CHARACTERS = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9 ·&+\-（）()]+$")
NAME_WIDTH = (4, 30)


def width(name: str) -> int:
    """The name's length as WeChat counts it: a Chinese character is 2."""
    return sum(2 if "\u4e00" <= c <= "\u9fa5" else 1 for c in name)


def is_wechat_id(db: sqlite_utils.Database, nickname: str) -> bool:
    """The name is a WeChat ID the sandbox has met: a legal person's or a tester's."""
    found = db.execute(
        "SELECT 1 FROM tasks WHERE lower(legal_persona_wechat) = lower(?) UNION "
        "SELECT 1 FROM testers WHERE lower(wechatid) = lower(?)",
        [nickname, nickname],
    ).fetchone()
    return found is not None


def name_errcode(db: sqlite_utils.Database, appid: str, nickname: Any, setting: bool) -> int:
    """The errcode a name meets at the check (or at setnickname); 0 when it passes."""
    invalid = 91004 if setting else 53010
    if not isinstance(nickname, str) or not nickname.strip():
        return invalid
    forced = magic.number(nickname, "E")
    if forced is not None:
        return forced
    if is_wechat_id(db, nickname.strip()):
        return 53018
    if "小程序" in nickname or not NAME_CHARACTERS.match(nickname):
        return invalid
    if not NAME_WIDTH[0] <= width(nickname) <= NAME_WIDTH[1]:
        return invalid
    if any(word in nickname for word in magic.FORBIDDEN_WORDS):
        return 53012
    taken = db.execute(
        "SELECT 1 FROM miniprograms WHERE nickname = ? AND appid != ? UNION "
        "SELECT 1 FROM name_audits WHERE nickname = ? AND appid != ? AND status = ?",
        [nickname, appid, nickname, appid, UNDER_AUDIT],
    ).fetchone()
    return 53013 if taken else 0


def needs_proof(nickname: str) -> bool:
    """The check's ``hit_condition``: such a name needs proof and goes to audit (§1.2)."""
    return magic.name_audit(nickname) is not None


def proof_errcode(db: sqlite_utils.Database, appid: str, data: dict, proof: bool) -> int:
    """What setnickname's licence and proof fields meet (91009, 40007); 0 when they pass."""
    stuff = [f"naming_other_stuff_{i}" for i in range(1, 6)]
    needed = ["license"] + (stuff[:1] if proof else [])
    if any(not data.get(field) for field in needed):
        return 91009
    own = [data[field] for field in ("license", "id_card") if data.get(field)]
    if any(data.get(field) and data[field] in own for field in stuff):
        return 91009  # the licence again is not the proof the wording asks for
    for field in ["license", "id_card", *stuff]:
        if data.get(field) and model.media(db, data[field], appid, "temp") is None:
            return 40007
    return 0


def renames_used(db: sqlite_utils.Database, mp: dict) -> int:
    """setnickname calls this natural year; an organisation's released MP reads 2 (§1.1)."""
    if model.current_release(db, mp["appid"]) is not None:
        return limits.NAME_QUOTA
    return model.count_changes(db, mp["appid"], "nickname", model.year_start(time.time()))


@a_call("/cgi-bin/account/getaccountbasicinfo", ANY, body=False)
def getaccountbasicinfo(mp: dict, _data: dict) -> Response:
    """POST in the new doc, GET in WxJava and SKIT; both work (§1.1, §10)."""
    db, appid, month = g.sandbox_db, mp["appid"], model.month_start(time.time())
    head = ""
    if mp["head_image_media"]:
        head = url_for("sandbox_mp.media_file", media_id=mp["head_image_media"], _external=True)
    quota = {
        "nickname_info": {
            "nickname": mp["nickname"],
            "modify_used_count": renames_used(db, mp),
            "modify_quota": limits.NAME_QUOTA,
        },
        "head_image_info": {
            "head_image_url": head,
            "modify_used_count": model.count_changes(db, appid, "head_image", month),
            "modify_quota": limits.HEAD_IMAGE_QUOTA,
        },
        "signature_info": {
            "signature": mp["signature"],
            "modify_used_count": model.count_changes(db, appid, "signature", month),
            "modify_quota": limits.SIGNATURE_QUOTA,
        },
    }
    verify = {"qualification_verify": False, "naming_verify": False, "annual_review": False}
    verify.update(annual_review_begin_time=0, annual_review_end_time=0)
    return answer(
        0,
        appid=appid,
        account_type=3,
        principal_type=model.ENTERPRISE,
        principal_name=mp["principal_name"],
        realname_status=1,
        wx_verify_info=verify,
        nickname=mp["nickname"],
        registered_country=1,
        credential=mp["credential"],
        customer_type=0,  # not verified: fast-registered MPs start unverified (§10)
        **quota,
    )


@a_call("/cgi-bin/wxverify/checkwxverifynickname", POST)
def checkwxverifynickname(mp: dict, data: dict) -> Response:
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    if model.count_changes(db, appid, "name_check", now - 60) >= limits.NAME_CHECKS_PER_MINUTE:
        return answer(53011)
    model.add_change(db, appid, "name_check")
    nickname = data.get("nick_name")
    failed = name_errcode(db, appid, nickname, setting=False)
    if failed:
        return answer(failed)
    if not needs_proof(nickname):
        return answer(0, hit_condition=False, wording="")
    word = magic.protected_word(nickname)
    hint = f"名称中含有“{word}”，" if word else "该名称需要人工审核，"
    wording = hint + "请补充营业执照，以及商标注册证书或品牌授权书等证明材料。"
    return answer(0, hit_condition=True, wording=wording)


@a_call("/wxa/setnickname", POST)
def setnickname(mp: dict, data: dict) -> Response:
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    nickname = data.get("nick_name")
    failed = name_errcode(db, appid, nickname, setting=True)
    if failed:
        return answer(failed)
    if model.current_release(db, appid) is not None:
        return answer(91002)  # an organisation's MP: no rename after release (§1.3)
    latest = model.latest_audit(db, appid)
    if latest is not None and latest["status"] in PENDING:
        return answer(91019)
    if model.pending_name_audit(db, appid) is not None or renames_used(db, mp) >= limits.NAME_QUOTA:
        return answer(91003)
    audit = magic.name_audit(nickname)
    failed = proof_errcode(db, appid, data, needs_proof(nickname))
    if failed:
        return answer(failed)
    model.add_change(db, appid, "nickname")
    if audit is None:
        model.update(db, appid, nickname=nickname)
        return answer(0, wording="")
    delay = float(settings()["SANDBOX_NAME_AUDIT_DELAY"])
    with transaction(db):
        audit_id = model.next_id(db, "name_audits", "audit_id", 420000000)
        row = {"audit_id": audit_id, "appid": appid, "nickname": nickname}
        row.update(status=UNDER_AUDIT, outcome=audit, created_at=now, ends_at=now + delay)
        insert(db, "name_audits", row)
    return answer(0, wording="", audit_id=audit_id)


@a_call("/wxa/api_wxa_querynickname", POST)
def querynickname(mp: dict, data: dict) -> Response:
    audit_id = integer(data.get("audit_id"))
    audit = one(
        g.sandbox_db,
        "SELECT * FROM name_audits WHERE audit_id = ? AND appid = ?",
        [audit_id, mp["appid"]],
    )
    if audit is None:
        return answer(91011)
    return answer(
        0,
        nickname=audit["nickname"],
        audit_stat=audit["status"],
        fail_reason=audit["reason"],
        create_time=int(audit["created_at"]),
        audit_time=int(audit["audit_time"] or 0),
    )
