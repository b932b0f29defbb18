"""The ticket and the component token as stored rows: read by pages, written by pushes
and the token store (``tokens``). Nothing here calls WeChat."""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import first, transaction

TICKET = "component_verify_ticket"
TOKEN = "component_access_token"


def get_credential(db: sqlite_utils.Database, name: str) -> dict | None:
    return first(db, "SELECT * FROM credentials WHERE name = ?", [name])


def set_credential(
    db: sqlite_utils.Database, name: str, value: str, expires_at: float | None = None
) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO credentials (name, value, expires_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value, "
            "expires_at = excluded.expires_at, updated_at = excluded.updated_at",
            [name, value, expires_at, time.time()],
        )
