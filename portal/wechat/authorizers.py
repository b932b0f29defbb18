"""The new mini programs' tokens (REFERENCE §6), kept as secrets.

The refresh token lets the platform manage a mini program for good, so with
``PORTAL_TOKEN_KEY`` set (a Fernet key) both tokens are encrypted at rest; values
stored before the key was set stay readable. Without the key they are stored as
given, and check-config says so in production.
"""

from __future__ import annotations

import json
import time

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

from portal.db import first, transaction
from portal.wechat.shapes import Authorization, AuthorizerToken

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


#: api_query_auth: the authorization code was used already, or has expired.
CODE_SPENT = 61010
#: api_authorizer_token: the refresh token is no longer valid.
REFRESH_INVALID = 61023


def save(
    db: sqlite_utils.Database, vault: Vault, submission_id: int, appid: str, auth: Authorization
) -> None:
    """Store the tokens and the permission sets granted (``func_info`` as api_query_auth
    sent it). An empty ``func_info`` (a recovery from the authorizer list, which does not
    say) keeps what was stored before, or NULL: unknown, never "granted nothing"."""
    now = time.time()
    with transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO authorizers (appid, submission_id, access_token, "
            "expires_at, refresh_token, func_info, state, updated_at) "
            "VALUES (?, ?, ?, ?, ?, coalesce(?, (SELECT func_info FROM authorizers "
            "WHERE appid = ?)), 'authorized', ?)",
            [
                appid,
                submission_id,
                vault.seal(auth.access_token),
                now + auth.expires_in,
                vault.seal(auth.refresh_token),
                json.dumps(auth.func_info) if auth.func_info else None,
                appid,
                now,
            ],
        )


def store_func_info(db: sqlite_utils.Database, appid: str, func_ids: list[int]) -> None:
    """The permission-set ids api_get_authorizer_info says ``appid`` granted."""
    with transaction(db):
        db.execute(
            "UPDATE authorizers SET func_info = ? WHERE appid = ?", [json.dumps(func_ids), appid]
        )


def due_for_refresh(db: sqlite_utils.Database, margin: float) -> list[str]:
    """Appids of authorizers whose token expires within ``margin`` and whose turn it is."""
    now = time.time()
    rows = db.execute(
        "SELECT appid FROM authorizers WHERE state = 'authorized' AND expires_at < ? "
        "AND (next_try_at IS NULL OR next_try_at <= ?)",
        [now + margin, now],
    ).fetchall()
    return [row[0] for row in rows]


def get(db: sqlite_utils.Database, appid: str) -> dict | None:
    return first(db, "SELECT * FROM authorizers WHERE appid = ?", [appid])


def store_refreshed(
    db: sqlite_utils.Database, vault: Vault, appid: str, fresh: AuthorizerToken
) -> None:
    now = time.time()
    with transaction(db):
        db.execute(
            "UPDATE authorizers SET access_token = ?, expires_at = ?, refresh_token = ?, "
            "updated_at = ?, failures = 0, next_try_at = NULL, last_error = NULL, "
            "state = 'authorized' WHERE appid = ?",
            [
                vault.seal(fresh.access_token),
                now + fresh.expires_in,
                vault.seal(fresh.refresh_token),
                now,
                appid,
            ],
        )


def record_failure(
    db: sqlite_utils.Database,
    appid: str,
    error: str,
    next_try_at: float | None,
    state: str = "authorized",
) -> None:
    """Count a failed refresh; ``state`` 'lost' stops refreshing until re-authorized."""
    with transaction(db):
        db.execute(
            "UPDATE authorizers SET failures = failures + 1, last_error = ?, next_try_at = ?, "
            "state = ?, updated_at = ? WHERE appid = ?",
            [error[:300], next_try_at, state, time.time(), appid],
        )
