"""Personal data kept only as long as it is needed (PIPL 第十九条: 个人信息的保存期限应当为
实现处理目的所必要的最短时间).

``PORTAL_PERSONAL_DATA_DAYS`` after a submission last changed (it ended, was authorized,
or was left unfinished: held, stuck in sending, queued …), the worker (or ``flask
purge-personal-data``) purges it:

- the legal person's name and WeChat ID are masked (张*, zh*******88), as is the person
  in a 个体户 company name, so staff still recognise the row;
- the decrypted XML of its pushes is erased, and the personal fields of their parsed
  copy masked;
- the match key, which holds those facts in plain text, is replaced;
- the contact phone goes too, unless a mini program exists (authorized, or succeeded
  and stuck after): the platform manages it for the merchant and needs to reach them;
- an unfinished one without a mini program is ended as expired (its 24 hours are long
  over), so its masked facts are never sent to WeChat nor released by staff.

Past the same period, what is not tied to a submission goes too: the XML of pushes that
matched none (it holds the legal person's facts), the personal terms of staff searches
in the audit log (the rest of the line, who searched and when, stays), and the answers
the API keeps for ``Idempotency-Key`` (gone after their 24 hours whatever the period).

Each purged submission gets ``purged_at``; each run that purged anything is one
audit-log line, which no later run touches.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qsl, urlencode

import sqlite_utils

from portal.db import insert, transaction
from portal.privacy import mask_name, mask_wechat
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.messages import EVENTS

PURGEABLE = (*subs.ENDED, subs.AUTHORIZED)
ALL_STATES = (*subs.IN_FLIGHT, subs.SUCCEEDED, *PURGEABLE)
PERSONAL_PUSH_FIELDS = ("legal_persona_name", "legal_persona_wechat", "component_phone")
#: How many rows one worker round purges per kind (the rest wait for the next round).
BATCH = 200
#: How long the API replays a kept answer for an Idempotency-Key (portal.api.create).
IDEMPOTENCY_SECONDS = 24 * 3600
SEARCH_ACTION = "search submissions"
#: Search terms that are not personal: kept in the audit line when the rest goes.
SEARCH_KEPT_TERMS = ("code", "state", "partner", "date_from", "date_to", "page")
#: The target of a search line whose personal terms were purged (searches have none).
SEARCH_PURGED = "检索词已按保留期限清除"


def _cutoff(days: float, now: float | None) -> float:
    return (time.time() if now is None else now) - days * 86400


def due(
    db: sqlite_utils.Database, days: float, now: float | None = None, limit: int = BATCH
) -> list[dict]:
    """Submissions whose personal data has been kept ``days`` past their last change."""
    if days <= 0:
        return []
    marks = ", ".join("?" for _ in ALL_STATES)
    return list(
        db.query(
            f"SELECT * FROM submissions WHERE state IN ({marks}) AND purged_at IS NULL "
            "AND updated_at < ? ORDER BY id LIMIT ?",
            [*ALL_STATES, _cutoff(days, now), limit],
        )
    )


def _company(name: str) -> str:
    """A 个体户 name carries the owner's name: mask that part."""
    prefix = "个体户"
    return prefix + mask_name(name[len(prefix) :]) if name.startswith(prefix) else name


def _push_fields(fields: str) -> str:
    try:
        parsed = json.loads(fields)
    except ValueError:
        return "{}"
    for key in PERSONAL_PUSH_FIELDS:
        if parsed.get(key):
            value = str(parsed[key])
            parsed[key] = mask_wechat(value) if value.isascii() else mask_name(value)
    return json.dumps(parsed, ensure_ascii=False)


def _mask_pushes(db: sqlite_utils.Database, rows: list) -> None:
    for push_id, fields in rows:
        db.execute(
            "UPDATE pushes SET xml = '', fields = ? WHERE id = ?", [_push_fields(fields), push_id]
        )


def purge(
    db: sqlite_utils.Database, sub: dict, now: float | None = None, cutoff: float | None = None
) -> bool:
    """Mask and erase one submission's personal data, in one transaction; end it if it
    was left unfinished. False if it changed meanwhile and is no longer due."""
    now = time.time() if now is None else now
    with transaction(db):
        sub = subs.get(db, sub["id"]) or {}
        if not sub or sub["purged_at"] or (cutoff is not None and sub["updated_at"] >= cutoff):
            return False
        mini_program = sub["state"] == subs.AUTHORIZED or bool(sub["appid"])
        db.execute(
            "UPDATE submissions SET legal_persona_name = ?, legal_persona_wechat = ?, "
            "name = ?, contact_phone = ?, match_key = ?, purged_at = ? WHERE id = ?",
            [
                mask_name(sub["legal_persona_name"]),
                mask_wechat(sub["legal_persona_wechat"]),
                _company(sub["name"]),
                sub["contact_phone"] if mini_program else "",
                f"purged:{sub['id']}",
                now,
                sub["id"],
            ],
        )
        _mask_pushes(
            db,
            db.execute("SELECT id, fields FROM pushes WHERE submission_id = ?", [sub["id"]]),
        )
        if sub["state"] not in PURGEABLE and not mini_program:
            flavor = FLAVORS.get(sub["flavor"])
            subs.transition(
                db,
                sub["id"],
                subs.EXPIRED,
                "超过个人信息保留期限仍未办完：平台已结束这次申请并清除法人信息；如仍需要，请重新提交",
                expect=[sub["state"]],
                now=now,
                push_status=flavor.silent_expiry if flavor else None,
                push_msg="",
                held_from=None,
                claimed_until=None,
            )
    return True


def _unmatched_pushes(db: sqlite_utils.Database, cutoff: float) -> int:
    """Erase the XML of pushes no submission claimed (and mask their parsed copy)."""
    total = 0
    while True:
        with transaction(db):
            rows = db.execute(
                "SELECT id, fields FROM pushes WHERE submission_id IS NULL AND xml != '' "
                "AND received_at < ? ORDER BY id LIMIT ?",
                [cutoff, BATCH],
            ).fetchall()
            _mask_pushes(db, rows)
        total += len(rows)
        if len(rows) < BATCH:
            return total


def _message_pushes(db: sqlite_utils.Database, cutoff: float) -> int:
    """Erase the XML of message pushes; unknown ones (users' messages to authorized
    accounts: openids, content) lose their parsed copy too. Audit events keep theirs."""
    marks = ", ".join("?" for _ in EVENTS)
    with transaction(db):
        return db.execute(
            f"UPDATE message_pushes SET xml = '', fields = CASE WHEN lower(event) IN ({marks}) "
            "THEN fields ELSE '{}' END WHERE xml != '' AND received_at < ?",
            [*EVENTS, cutoff],
        ).rowcount


def _search_terms(detail: str) -> str:
    """A search's query string without its personal terms (names, WeChat IDs)."""
    return urlencode([(k, v) for k, v in parse_qsl(detail) if k in SEARCH_KEPT_TERMS and v])


def _searches(db: sqlite_utils.Database, cutoff: float) -> int:
    """Drop the personal terms of staff searches from the audit log; keep who and when."""
    total = 0
    while True:
        with transaction(db):
            rows = db.execute(
                "SELECT id, detail FROM audit_log WHERE action = ? AND target = '' AND at < ? "
                "ORDER BY id LIMIT ?",
                [SEARCH_ACTION, cutoff, BATCH],
            ).fetchall()
            for line_id, detail in rows:
                db.execute(
                    "UPDATE audit_log SET target = ?, detail = ? WHERE id = ?",
                    [SEARCH_PURGED, _search_terms(detail), line_id],
                )
        total += len(rows)
        if len(rows) < BATCH:
            return total


def _idempotency_keys(db: sqlite_utils.Database, cutoff: float) -> int:
    """Kept API answers (they hold the legal person's facts) past the period or their 24 hours."""
    cutoff = max(cutoff, time.time() - IDEMPOTENCY_SECONDS)
    with transaction(db):
        return db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", [cutoff]).rowcount


def run(db: sqlite_utils.Database, days: float, actor: str, dry_run: bool = False) -> int:
    """Purge everything due (all of it, in batches); return how many submissions."""
    if days <= 0:
        return 0
    if dry_run:
        return len(due(db, days, limit=10**9))
    now = time.time()
    cutoff = _cutoff(days, now)
    total = 0
    while batch := due(db, days, now=now):
        total += sum(purge(db, sub, cutoff=cutoff) for sub in batch)
    others = {
        "pushes": _unmatched_pushes(db, cutoff),
        "message pushes": _message_pushes(db, cutoff),
        "searches": _searches(db, cutoff),
        "idempotency keys": _idempotency_keys(db, cutoff),
    }
    if total or any(others.values()):
        counts = ", ".join(f"{n} {what}" for what, n in others.items())
        with transaction(db):
            insert(
                db,
                "audit_log",
                {
                    "at": time.time(),
                    "user_id": None,
                    "username": actor,
                    "action": "purge personal data",
                    "target": f"{total} submissions",
                    "detail": f"older than {days:g} days; also {counts}",
                    "address": "",
                },
            )
    return total
