"""``Idempotency-Key`` as Stripe does it, for every call that changes something.

The first answer is kept for 24 hours under (API key, Idempotency-Key) with the digest
of the request, and given again, marked ``Idempotent-Replayed: true``, for the same key
and digest; the same key with another request is ``400 idempotency_key_reused``.
``kept`` and ``keep`` run inside the caller's write transaction, with the change
itself, so two identical requests racing change things once. ``lookup`` only reads: a
replay is answered before any work (an image's conversion) is done again.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import sqlite_utils
from flask import Response, g
from flask.typing import ResponseReturnValue

from portal.api.errors import error
from portal.db import first, insert
from portal.registration.retention import IDEMPOTENCY_SECONDS

KEPT_FOR = IDEMPOTENCY_SECONDS  # the purge of personal data erases them after it too
MAX_KEY_LENGTH = 255
REUSED = "这个 Idempotency-Key 已用于另一个请求体；新请求请换一个新的键。"


def digest(value: Any) -> str:
    """The SHA-256 of a request's canonical JSON (keys sorted)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _answer(row: dict, request_hash: str) -> ResponseReturnValue:
    if row["request_hash"] != request_hash:
        return error(400, "idempotency_key_reused", REUSED)
    return Response(
        row["body"],
        row["status"],
        mimetype="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


def _row(db: sqlite_utils.Database, key: str, since: float) -> dict | None:
    return first(
        db,
        "SELECT * FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND created_at >= ?",
        [g.api_key["id"], key, since],
    )


def lookup(db: sqlite_utils.Database, key: str, request_hash: str) -> ResponseReturnValue | None:
    """The kept answer for ``key`` (or the refusal of a reused key); reads only."""
    row = _row(db, key, time.time() - KEPT_FOR) if key else None
    return None if row is None else _answer(row, request_hash)


def kept(db: sqlite_utils.Database, key: str, request_hash: str) -> ResponseReturnValue | None:
    """``lookup`` inside the caller's write transaction, after clearing expired keys."""
    db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", [time.time() - KEPT_FOR])
    row = _row(db, key, 0)
    return None if row is None else _answer(row, request_hash)


def keep(db: sqlite_utils.Database, key: str, request_hash: str, status: int, text: str) -> None:
    """Keep the answer given under ``key`` (inside the caller's write transaction)."""
    insert(
        db,
        "idempotency_keys",
        {
            "api_key_id": g.api_key["id"],
            "key": key,
            "request_hash": request_hash,
            "status": status,
            "body": text,
            "created_at": time.time(),
        },
    )
