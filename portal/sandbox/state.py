"""The sandbox's own database: tickets, tokens, tasks, the push outbox and faults.

A separate SQLite file, so the sandbox survives restarts and its HTTP threads and
background pusher see the same state.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

import sqlite_utils

from portal.db import connect, first, insert, migrate, transaction
from portal.sandbox.miniprograms.schema import MIGRATION as MINIPROGRAMS
from portal.timefmt import day_start

SCHEMA = [
    """
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, ticket TEXT NOT NULL, created_at REAL NOT NULL);
    CREATE TABLE tokens (
        token TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        appid TEXT,
        refresh_token TEXT,
        expires_at REAL NOT NULL
    );
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        api TEXT NOT NULL DEFAULT 'classic',
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        code_type INTEGER,
        legal_persona_wechat TEXT,
        legal_persona_name TEXT,
        component_phone TEXT,
        state TEXT NOT NULL,
        status INTEGER,
        created_at REAL NOT NULL,
        check_until REAL NOT NULL,
        expire_at REAL,
        appid TEXT,
        auth_code TEXT,
        auth_used INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        xml TEXT NOT NULL,
        kind TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        last_answer TEXT
    );
    CREATE TABLE calls (id INTEGER PRIMARY KEY, at REAL NOT NULL, endpoint TEXT NOT NULL);
    CREATE TABLE faults (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the newer API's tasks have a task id and a verification link.
    """
    ALTER TABLE tasks ADD COLUMN taskid TEXT;
    ALTER TABLE tasks ADD COLUMN authorize_url TEXT;
    CREATE UNIQUE INDEX tasks_taskid ON tasks(taskid);
    """,
    # 3: the mini programs' model (miniprograms/schema.py); pushes to the message URL.
    MINIPROGRAMS,
    # 4: each mini program's ICP filing (miniprograms/icp.py) and the SMS twin's texts
    # (sms.py).
    """
    CREATE TABLE IF NOT EXISTS mp_icp (
        appid TEXT PRIMARY KEY,
        status INTEGER,
        reason TEXT NOT NULL DEFAULT '',
        revoked INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL,
        ready_at REAL
    );
    CREATE TABLE IF NOT EXISTS sms (
        id INTEGER PRIMARY KEY,
        phone TEXT NOT NULL,
        sign TEXT NOT NULL,
        template_id TEXT NOT NULL,
        params TEXT NOT NULL,
        moment TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        serial TEXT NOT NULL,
        at REAL NOT NULL
    );
    """,
]

# Task states.
CHECKING, LEGAL_PERSON, DONE = "checking", "legal_person", "done"


def open_db(path: str) -> sqlite_utils.Database:
    db = connect(path)
    migrate(db, SCHEMA)
    return db


#: The portal's "first row or None" helper, under the sandbox's name for it.
one = first


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(24)


def new_appid() -> str:
    return "wx" + secrets.token_hex(8)


def issue_token(
    db: sqlite_utils.Database, kind: str, lifetime: float, appid: str | None = None
) -> dict:
    row = {
        "token": new_secret(),
        "kind": kind,
        "appid": appid,
        "refresh_token": new_secret("refresh@@@") if kind == "authorizer" else None,
        "expires_at": time.time() + lifetime,
    }
    with transaction(db):
        insert(db, "tokens", row)
    return row


def latest_ticket(db: sqlite_utils.Database) -> dict | None:
    return one(db, "SELECT * FROM tickets ORDER BY id DESC LIMIT 1", [])


def enqueue_push(
    db: sqlite_utils.Database,
    xml: str,
    kind: str,
    channel: str = "event",
    appid: str | None = None,
) -> None:
    """Queue a push: ``event`` goes to the authorization event URL, ``message`` to the
    message URL of mini program ``appid`` (its ``$APPID$``)."""
    row = {"xml": xml, "kind": kind, "next_at": time.time(), "channel": channel, "appid": appid}
    with transaction(db):
        insert(db, "outbox", row)


def original_id(appid: str) -> str:
    """The mini program's original id (gh_…), the same every time for one appid."""
    return "gh_" + hashlib.sha256(appid.encode()).hexdigest()[:12]


def count_calls_today(db: sqlite_utils.Database, endpoints: tuple[str, ...]) -> int:
    today = day_start(time.time())
    marks = ", ".join("?" for _ in endpoints)
    row = db.execute(
        f"SELECT count(*) FROM calls WHERE at >= ? AND endpoint IN ({marks})",
        [today, *endpoints],
    ).fetchone()
    return row[0]


def get_faults(db: sqlite_utils.Database) -> dict[str, Any]:
    return {r["name"]: json.loads(r["value"]) for r in db.query("SELECT * FROM faults")}


def set_faults(db: sqlite_utils.Database, faults: dict[str, Any]) -> None:
    with transaction(db):
        for name, value in faults.items():
            db.execute(
                "INSERT OR REPLACE INTO faults (name, value) VALUES (?, ?)",
                [name, json.dumps(value)],
            )


def take_fault(db: sqlite_utils.Database, name: str, target: str = "") -> Any:
    """Consume one use of a counted fault ({"count": n, "match": "..."}); return it or None.

    A fault with ``match`` applies only to requests whose path and query contain it.
    """
    with transaction(db):
        row = one(db, "SELECT value FROM faults WHERE name = ?", [name])
        if row is None:
            return None
        value = json.loads(row["value"])
        if not isinstance(value, dict) or int(value.get("count", 0)) <= 0:
            return None
        if value.get("match") and str(value["match"]) not in target:
            return None
        value["count"] = int(value["count"]) - 1
        db.execute("UPDATE faults SET value = ? WHERE name = ?", [json.dumps(value), name])
        return value
