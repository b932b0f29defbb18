"""The new mini programs' tokens (REFERENCE §6), kept as secrets.

The refresh token lets the platform manage a mini program for good, so with
``PORTAL_TOKEN_KEY`` set (a Fernet key) both tokens are encrypted at rest; values
stored before the key was set stay readable. Without the key they are stored as
given, and check-config says so in production.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

from portal.db import transaction
from portal.wechat.client import Authorization, AuthorizerToken

SEALED = "fernet:"


class VaultError(Exception):
    """A stored token cannot be read: PORTAL_TOKEN_KEY is missing or was changed."""


class Vault:
    def __init__(self, key: str = "") -> None:
        self.fernet = Fernet(key.encode()) if key else None

    def seal(self, text: str) -> str:
        if self.fernet is None or not text:
            return text
        return SEALED + self.fernet.encrypt(text.encode()).decode()

    def open(self, stored: str | None) -> str:
        if not stored or not stored.startswith(SEALED):
            return stored or ""
        if self.fernet is None:
            raise VaultError("token is encrypted but PORTAL_TOKEN_KEY is not set")
        try:
            return self.fernet.decrypt(stored[len(SEALED) :].encode()).decode()
        except InvalidToken as exc:
            raise VaultError("token does not decrypt with PORTAL_TOKEN_KEY") from exc


def key_problem(key: str) -> str | None:
    """Why ``key`` is not a usable Fernet key, or None."""
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return "must be a Fernet key: 44 URL-safe base64 characters (Fernet.generate_key())"
    return None


@dataclass(frozen=True)
class Due:
    appid: str
    refresh_token: str


def save(db: sqlite_utils.Database, vault: Vault, submission_id: int, appid: str,
         auth: Authorization) -> None:  # fmt: skip
    now = time.time()
    with transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO authorizers (appid, submission_id, access_token, "
            "expires_at, refresh_token, func_info, state, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'authorized', ?)",
            [appid, submission_id, vault.seal(auth.access_token), now + auth.expires_in,
             vault.seal(auth.refresh_token), json.dumps(auth.func_info), now],
        )  # fmt: skip


def due_for_refresh(db: sqlite_utils.Database, vault: Vault, margin: float,
                    retry_after: float) -> list[Due]:  # fmt: skip
    """Authorizers whose token expires within ``margin`` and were not tried just now."""
    now = time.time()
    rows = db.query(
        "SELECT appid, refresh_token FROM authorizers "
        "WHERE state = 'authorized' AND expires_at < ? AND updated_at < ?",
        [now + margin, now - retry_after],
    )
    return [Due(r["appid"], vault.open(r["refresh_token"])) for r in rows]


def store_refreshed(db: sqlite_utils.Database, vault: Vault, appid: str,
                    fresh: AuthorizerToken) -> None:  # fmt: skip
    now = time.time()
    with transaction(db):
        db.execute(
            "UPDATE authorizers SET access_token = ?, expires_at = ?, refresh_token = ?, "
            "updated_at = ? WHERE appid = ?",
            [vault.seal(fresh.access_token), now + fresh.expires_in,
             vault.seal(fresh.refresh_token), now, appid],
        )  # fmt: skip


def mark_tried(db: sqlite_utils.Database, appid: str) -> None:
    with transaction(db):
        db.execute("UPDATE authorizers SET updated_at = ? WHERE appid = ?", [time.time(), appid])
