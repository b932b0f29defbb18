"""Personal data kept only as long as it is needed (PIPL 第十九条: 个人信息的保存期限应当为
实现处理目的所必要的最短时间).

``PORTAL_PERSONAL_DATA_DAYS`` after a submission ended (rejected, failed, expired) or
was authorized, the worker (or ``flask purge-personal-data``) purges it:

- the legal person's name and WeChat ID are masked (张*, zh*******88), as is the person
  in a 个体户 company name, so staff still recognise the row;
- the decrypted XML of its pushes is erased, and the personal fields of their parsed
  copy masked;
- the match key, which holds those facts in plain text, is replaced;
- ended submissions lose the contact phone too. Authorized ones keep it with the
  company name, code and AppID: the platform manages that mini program for the
  merchant and needs to reach them.

Each purged submission gets ``purged_at`` and one audit-log line per run.
"""

from __future__ import annotations

import json
import time

import sqlite_utils

from portal.db import insert, transaction
from portal.privacy import mask_name, mask_wechat
from portal.registration import submissions as subs

PURGEABLE = (*subs.ENDED, subs.AUTHORIZED)
PERSONAL_PUSH_FIELDS = ("legal_persona_name", "legal_persona_wechat", "component_phone")
#: How many submissions one worker round purges (the rest wait for the next round).
BATCH = 200


def due(db: sqlite_utils.Database, days: float, now: float | None = None, limit: int = BATCH):
    """Submissions whose personal data has been kept ``days`` past their end."""
    if days <= 0:
        return []
    cutoff = (time.time() if now is None else now) - days * 86400
    marks = ", ".join("?" for _ in PURGEABLE)
    return list(
        db.query(
            f"SELECT * FROM submissions WHERE state IN ({marks}) AND purged_at IS NULL "
            "AND updated_at < ? ORDER BY id LIMIT ?",
            [*PURGEABLE, cutoff, limit],
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


def purge(db: sqlite_utils.Database, sub: dict, now: float | None = None) -> None:
    """Mask and erase one submission's personal data, in one transaction."""
    now = time.time() if now is None else now
    keep_phone = sub["state"] == subs.AUTHORIZED
    with transaction(db):
        db.execute(
            "UPDATE submissions SET legal_persona_name = ?, legal_persona_wechat = ?, "
            "name = ?, contact_phone = ?, match_key = ?, purged_at = ? WHERE id = ?",
            [
                mask_name(sub["legal_persona_name"]),
                mask_wechat(sub["legal_persona_wechat"]),
                _company(sub["name"]),
                sub["contact_phone"] if keep_phone else "",
                f"purged:{sub['id']}",
                now,
                sub["id"],
            ],
        )
        for push_id, fields in db.execute(
            "SELECT id, fields FROM pushes WHERE submission_id = ?", [sub["id"]]
        ).fetchall():
            db.execute(
                "UPDATE pushes SET xml = '', fields = ? WHERE id = ?",
                [_push_fields(fields), push_id],
            )


def run(db: sqlite_utils.Database, days: float, actor: str, dry_run: bool = False) -> int:
    """Purge everything due (all of it, in batches); return how many submissions."""
    total = 0
    while batch := due(db, days):
        if dry_run:
            return len(due(db, days, limit=10**9))
        for sub in batch:
            purge(db, sub)
        total += len(batch)
    if total:
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
                    "detail": f"older than {days:g} days after they ended",
                    "address": "",
                },
            )
    return total
