"""Record a message push once and hand it to the domain (``apply``).

The message and event URL (``POST /wechat/messages/<appid>``) brings a mini program's
code-audit results and its name and category audits (SETUP.md §1.4, §2, §6.1).
WeChat re-sends a push it did not see answered, with the same XML; the SHA-256 of
that XML is unique in ``message_pushes``, so a repeat (or a replay) is recorded once.
Recording and ``apply`` run in one transaction: a push is never stored without its
effect, nor its effect without the push.

A mini program's original id (``ToUserName``, gh_...) and its appid (the URL's
``$APPID$``) belong together for good. The URL is not covered by the signature, so
a push whose pair contradicts one already recorded is refused (``Inconsistent``)
rather than filed under the wrong mini program.
"""

from __future__ import annotations

import hashlib
import json
import time

import sqlite_utils

from portal.db import first, insert, transaction
from portal.wechat.messages import EVENTS, Message


class Inconsistent(Exception):
    """The push's appid and original id contradict what was recorded before."""


def fingerprint(xml: str) -> str:
    return hashlib.sha256(xml.encode()).hexdigest()


def record(
    db: sqlite_utils.Database,
    appid: str,
    event: Message,
    xml: str,
    now: float | None = None,
) -> str:
    """Store the push and hand it to ``apply``; return a short outcome for logs.

    Raises ``Inconsistent`` (nothing written) when ``appid`` and ``event.to_user``
    contradict an earlier push.
    """
    now = time.time() if now is None else now
    digest = fingerprint(xml)
    with transaction(db):
        seen = db.execute("SELECT id FROM message_pushes WHERE fingerprint = ?", [digest])
        if seen.fetchone() is not None:
            return "duplicate"
        _check_pair(db, appid, event.to_user)
        row_id = insert(
            db,
            "message_pushes",
            {
                "received_at": now,
                "fingerprint": digest,
                "appid": appid,
                "to_user": event.to_user,
                "msg_type": event.msg_type,
                "event": event.event or "(none)",
                "create_time": event.create_time,
                "xml": xml,
                "fields": json.dumps(event.fields, ensure_ascii=False),
            },
        )
        row = first(db, "SELECT * FROM message_pushes WHERE id = ?", [row_id])
        assert row is not None
        outcome = apply(db, row)
        db.execute("UPDATE message_pushes SET outcome = ? WHERE id = ?", [outcome, row_id])
    return outcome


def _check_pair(db: sqlite_utils.Database, appid: str, to_user: str) -> None:
    other = db.execute(
        "SELECT to_user FROM message_pushes WHERE appid = ? AND to_user != ? LIMIT 1",
        [appid, to_user],
    ).fetchone()
    if other is not None:
        raise Inconsistent(f"{appid} was recorded as {other[0]}, this push says {to_user}")
    other = db.execute(
        "SELECT appid FROM message_pushes WHERE to_user = ? AND appid != ? LIMIT 1",
        [to_user, appid],
    ).fetchone()
    if other is not None:
        raise Inconsistent(f"{to_user} was recorded for {other[0]}, this push's URL says {appid}")


def apply(db: sqlite_utils.Database, row: dict) -> str:
    """Hand a newly recorded message push to the domain; return its outcome.

    The hook for the go-live steps (the next issue): an audit result, a name audit or
    a category audit will move that mini program's go-live state here, in the same
    transaction as the row, and set ``applied_at``. Until then it only records: the
    rows keep ``applied_at`` NULL, so the steps can take up what arrived before them.
    """
    known = db.execute("SELECT 1 FROM authorizers WHERE appid = ?", [row["appid"]]).fetchone()
    whose = "known" if known else "unknown"
    if row["event"].lower() in EVENTS:
        return f"recorded {row['event']} for {whose} mini program {row['appid']}"
    return f"recorded unknown event {row['event']!r} for {whose} mini program {row['appid']}"


def get(db: sqlite_utils.Database, push_id: int) -> dict | None:
    return first(db, "SELECT * FROM message_pushes WHERE id = ?", [push_id])
