"""The state of one mini program, read and written in one place.

A row in ``miniprograms`` appears the first time a call reaches a mini program a task
created; the other tables (name audits, categories, versions, audits, releases, testers,
media, changes) hang off its appid.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import sqlite_utils

from portal.db import insert, transaction
from portal.sandbox.miniprograms.limits import MEDIA_LIFETIME
from portal.sandbox.state import one
from portal.timefmt import BEIJING

#: Name audit states (api_wxa_querynickname's audit_stat) and category audit states.
UNDER_AUDIT, REJECTED, PASSED = 1, 2, 3
#: Code audit states (get_auditstatus's status).
AUDIT_PASSED, AUDIT_FAILED, AUDITING, WITHDRAWN, DELAYED = 0, 1, 2, 3, 4
PENDING = (AUDITING, DELAYED)
#: Fast-registered mini programs belong to an enterprise (principal_type 1).
ENTERPRISE = 1
JSON_COLUMNS = ("privacy", "privacy_live", "domains")


def load(db: sqlite_utils.Database, appid: str) -> dict[str, Any] | None:
    """The mini program ``appid`` (created on first sight), or None if no task made it."""
    row = one(db, "SELECT * FROM miniprograms WHERE appid = ?", [appid])
    if row is None:
        task = one(db, "SELECT * FROM tasks WHERE appid = ? ORDER BY id DESC LIMIT 1", [appid])
        if task is None:
            return None
        with transaction(db):
            db.execute(
                "INSERT OR IGNORE INTO miniprograms (appid, principal_name, credential, "
                "created_at) VALUES (?, ?, ?, ?)",
                [appid, task["name"], task["code"], time.time()],
            )
        row = one(db, "SELECT * FROM miniprograms WHERE appid = ?", [appid])
    assert row is not None
    for column in JSON_COLUMNS:
        row[column] = json.loads(row[column]) if row[column] else None
    return row


def update(db: sqlite_utils.Database, appid: str, **fields: Any) -> None:
    """Write ``fields`` of the mini program (dicts and lists as JSON)."""
    values = [
        json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
        for v in fields.values()
    ]
    sets = ", ".join(f"{name} = ?" for name in fields)
    with transaction(db):
        db.execute(f"UPDATE miniprograms SET {sets} WHERE appid = ?", [*values, appid])


def listed(value: str | None) -> list:
    """A JSON list column as a list."""
    return json.loads(value) if value else []


def month_start(now: float) -> float:
    """Midnight on the first of this month, Beijing time (monthly quotas)."""
    local = datetime.fromtimestamp(now, BEIJING)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()


def year_start(now: float) -> float:
    """Midnight on 1 January, Beijing time (the yearly name quota)."""
    local = datetime.fromtimestamp(now, BEIJING)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start.timestamp()


def count_changes(db: sqlite_utils.Database, appid: str | None, what: str, since: float) -> int:
    """How many ``what`` changes the mini program (None: the platform) made since then."""
    row = db.execute(
        "SELECT count(*) FROM changes WHERE what = ? AND appid IS ? AND at >= ?",
        [what, appid, since],
    ).fetchone()
    return row[0]


def add_change(db: sqlite_utils.Database, appid: str | None, what: str) -> None:
    with transaction(db):
        insert(db, "changes", {"appid": appid, "what": what, "at": time.time()})


def next_id(db: sqlite_utils.Database, table: str, column: str, base: int) -> int:
    """The next id of ``table`` (WeChat's audit ids are large numbers)."""
    row = db.execute(f"SELECT coalesce(max({column}), ?) + 1 FROM {table}", [base]).fetchone()
    return row[0]


def pending_name_audit(db: sqlite_utils.Database, appid: str) -> dict | None:
    return one(
        db,
        "SELECT * FROM name_audits WHERE appid = ? AND status = ? ORDER BY audit_id DESC",
        [appid, UNDER_AUDIT],
    )


def latest_version(db: sqlite_utils.Database, appid: str) -> dict | None:
    """The last commit: the trial (体验版) version."""
    return one(db, "SELECT * FROM versions WHERE appid = ? ORDER BY id DESC LIMIT 1", [appid])


def version(db: sqlite_utils.Database, version_id: int) -> dict | None:
    return one(db, "SELECT * FROM versions WHERE id = ?", [version_id])


def latest_audit(db: sqlite_utils.Database, appid: str) -> dict | None:
    return one(db, "SELECT * FROM audits WHERE appid = ? ORDER BY auditid DESC LIMIT 1", [appid])


def current_release(db: sqlite_utils.Database, appid: str) -> dict | None:
    """The live version's release (the newest not reverted), or None."""
    return one(
        db,
        "SELECT * FROM releases WHERE appid = ? AND reverted = 0 ORDER BY id DESC LIMIT 1",
        [appid],
    )


def categories(db: sqlite_utils.Database, appid: str) -> list[dict]:
    return list(db.query("SELECT * FROM mp_categories WHERE appid = ? ORDER BY id", [appid]))


def approved_categories(db: sqlite_utils.Database, appid: str) -> list[dict]:
    return [c for c in categories(db, appid) if c["status"] == PASSED]


def media(db: sqlite_utils.Database, media_id: Any, appid: str, source: str) -> dict | None:
    """A media of this mini program from upload ``source`` that has not expired."""
    row = one(db, "SELECT * FROM media WHERE media_id = ?", [str(media_id or "")])
    if row is None or row["appid"] != appid or row["source"] != source:
        return None
    return row if time.time() - row["created_at"] < MEDIA_LIFETIME else None
