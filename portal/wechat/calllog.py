"""Record every WeChat API call: endpoint, errcode, latency; never a secret or a token."""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import insert, transaction
from portal.wechat.shapes import CallRecord

#: A call failed unless WeChat answered 0 or a task state (search's 89250-89252).
ANSWERED_ERRCODES = (0, 89250, 89251, 89252)
FAILED_CALL_SQL = f"(errcode IS NULL OR errcode NOT IN {ANSWERED_ERRCODES})"


class CallLog:
    """An ``on_call`` hook for ``WeChatClient`` that writes to ``api_calls``.

    Set ``submission_id`` before a call made on a submission's behalf.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.submission_id: int | None = None

    def __call__(self, record: CallRecord) -> None:
        with transaction(self.db):
            insert(
                self.db,
                "api_calls",
                {
                    "at": time.time(),
                    "endpoint": record.endpoint,
                    "http_status": record.http_status,
                    "errcode": record.errcode,
                    "errmsg": record.errmsg[:300],
                    "latency_ms": record.latency_ms,
                    "error": record.error,
                    "submission_id": self.submission_id,
                },
            )


#: The calls that spend the search quota, under both APIs.
SEARCH_ENDPOINTS = ("fastregisterweapp.search", "fastregisterenterpriseweapp.query")
CREATE_ENDPOINTS = ("fastregisterweapp.create", "fastregisterenterpriseweapp.create")


def calls_since(db: sqlite_utils.Database, endpoints: tuple[str, ...], since: float) -> int:
    marks = ", ".join("?" for _ in endpoints)
    row = db.execute(
        f"SELECT count(*) FROM api_calls WHERE endpoint IN ({marks}) AND at >= ?",
        [*endpoints, since],
    ).fetchone()
    return row[0]


def calls_and_failures(db: sqlite_utils.Database, since: float) -> tuple[int, int]:
    """WeChat calls made since ``since``, and how many failed (health page, dashboard)."""
    calls, failures = db.execute(
        f"SELECT count(*), coalesce(sum({FAILED_CALL_SQL}), 0) FROM api_calls WHERE at >= ?",
        [since],
    ).fetchone()
    return calls, failures
