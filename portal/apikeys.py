"""API keys: shown once, stored as a SHA-256 hash, scoped, revocable.

A key is 32 random bytes, so a fast hash is enough: nobody can guess one from its hash.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable

import sqlite_utils

from portal.db import first, insert, transaction

PREFIX = "frp_"
SCOPES = {
    "submissions:read": "读取申请（不含法人信息和商户进度页链接）",
    "submissions:write": "代商户创建申请",
    "setup:write": "代商户设置小程序：名称、头像、简介、类目、体验者，重新提交审核，确认发布",
    "personal_data:read": "读取法人姓名、微信号、联系电话、商户进度页链接和体验者微信号",
}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(
    db: sqlite_utils.Database, name: str, scopes: Iterable[str], created_by: int | None
) -> tuple[int, str]:
    """Make a key; return its id and the key itself (never stored, shown once)."""
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen:
        raise ValueError("a key needs at least one scope")
    key = PREFIX + secrets.token_urlsafe(32)
    row = {
        "name": name,
        "prefix": key[:12],
        "key_hash": _hash(key),
        "scopes": ",".join(chosen),
        "created_by": created_by,
        "created_at": time.time(),
    }
    with transaction(db):
        return insert(db, "api_keys", row), key


def authenticate(db: sqlite_utils.Database, presented: str) -> dict | None:
    """The live key matching ``presented``, or None (unknown or revoked)."""
    if not presented.startswith(PREFIX) or len(presented) > 100:
        return None
    row = first(db, "SELECT * FROM api_keys WHERE key_hash = ?", [_hash(presented)])
    if row is None or row["revoked_at"] is not None:
        return None
    row["scope_set"] = set(row["scopes"].split(","))
    return row


def touch(db: sqlite_utils.Database, key_id: int) -> None:
    with transaction(db):
        db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [time.time(), key_id])


def revoke(db: sqlite_utils.Database, key_id: int) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [time.time(), key_id],
        )
    return cursor.rowcount == 1


def listed(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM api_keys ORDER BY revoked_at IS NOT NULL, id DESC"))
