"""The audit log: who viewed personal data or acted, when, from where. Admins read it."""

from __future__ import annotations

import time

import sqlite_utils
from flask import request
from flask_login import current_user

from portal.db import get_db, insert, transaction


def record(action: str, target: str = "", detail: str = "") -> None:
    """Log an action of the logged-in user on ``target`` (e.g. "submission 12")."""
    db = get_db()
    with transaction(db):
        insert(
            db,
            "audit_log",
            {
                "at": time.time(),
                "user_id": current_user.id if current_user.is_authenticated else None,
                "username": current_user.username if current_user.is_authenticated else "",
                "action": action,
                "target": target,
                "detail": detail[:500],
                "address": request.remote_addr or "",
            },
        )


def recent(db: sqlite_utils.Database, page: int = 1, per_page: int = 50) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
            [per_page, (page - 1) * per_page],
        )
    )
