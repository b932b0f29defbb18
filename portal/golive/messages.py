"""Apply the message URL's pushes to the go-live steps (after ``registration.messages``
recorded them once): audit results (as a prompt to ask about the audit's own id), name
audits and category audits.

A push that arrives before its step waits (or after a poll already applied the same
result) changes nothing: every outcome reads the step as it is now. A name-audit push
applies only to the name under audit now (compared with runs of whitespace made one): a
late push for an earlier name (rejected, then changed by the merchant) is recorded and
ignored; one that names no name makes the waiting audit due now, and the poll of its own
``audit_id`` decides. Each push is marked applied in the transaction that applies it, so
a crash applies it again later, never half.
"""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import transaction
from portal.golive import audits, outcomes
from portal.golive import steps as st
from portal.wechat import messages as wx
from portal.wechat.events import PushError

BATCH = 50


def apply_pending(db: sqlite_utils.Database, auto_release: bool) -> int:
    """Apply every recorded, unapplied go-live push; return how many were looked at."""
    marks = ", ".join("?" for _ in wx.EVENTS)
    rows = list(
        db.query(
            f"SELECT * FROM message_pushes WHERE applied_at IS NULL AND lower(event) IN ({marks}) "
            "ORDER BY id LIMIT ?",
            [*wx.EVENTS, BATCH],
        )
    )
    for row in rows:
        with transaction(db):
            outcome = _apply(db, row, auto_release)
            db.execute(
                "UPDATE message_pushes SET applied_at = ?, outcome = ? WHERE id = ?",
                [time.time(), outcome, row["id"]],
            )
    return len(rows)


def _check_audit_now(db: sqlite_utils.Database, setup_id: int) -> str:
    audit = st.step(db, setup_id, st.AUDIT)
    if audit["state"] != st.WAITING:
        return "recorded"
    outcomes.later(db, setup_id, st.AUDIT, time.time())
    return "audit checked now"


def _apply(db: sqlite_utils.Database, row: dict, auto_release: bool) -> str:
    setup = db.execute("SELECT id FROM setups WHERE appid = ?", [row["appid"]]).fetchone()
    if setup is None:
        return "no setup for this appid"
    try:
        message = wx.parse_message(row["xml"])
    except PushError:
        return "unreadable"
    setup_id = setup[0]
    if isinstance(message, (wx.AuditSuccess, wx.AuditFail, wx.AuditDelay)):
        # The push names no audit, and a late one may be an older audit's: it makes the
        # waiting audit due now, and the poll of its own auditid applies the result.
        return _check_audit_now(db, setup_id)
    if isinstance(message, wx.NicknameAudit):
        return _name_audit(db, setup_id, message)
    if isinstance(message, wx.CategoryAudit):
        category = st.step(db, setup_id, st.CATEGORY)
        chosen = (str(category["input"].get("first")), str(category["input"].get("second")))
        if category["state"] != st.WAITING or chosen != (str(message.first), str(message.second)):
            return "recorded"
        return audits.category_audit(db, setup_id, message.ret, message.reason)
    return "recorded"


def _spaced(text: object) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def _name_audit(db: sqlite_utils.Database, setup_id: int, message: wx.NicknameAudit) -> str:
    """Apply a name-audit push to the name it is about, and only to that one."""
    name = st.step(db, setup_id, st.NAME)
    if name["state"] != st.WAITING:
        return "recorded"
    pushed = _spaced(message.nickname)
    if not pushed:
        outcomes.later(db, setup_id, st.NAME, time.time())
        return "name audit checked now"
    under_audit = name["result"].get("audit_nickname") or name["input"].get("nickname")
    if pushed != _spaced(under_audit):
        return "recorded: the push is for another name"
    return audits.name_audit(db, setup_id, message.ret, message.reason)
