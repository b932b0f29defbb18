"""Users and partners of the consoles (staff, partner, admin)."""

from __future__ import annotations

import time

import sqlite_utils
from werkzeug.security import generate_password_hash

from portal.db import insert, transaction

ROLES = ("admin", "staff", "partner")


def create_partner(db: sqlite_utils.Database, name: str) -> int:
    with transaction(db):
        return insert(db, "partners", {"name": name, "created_at": time.time()})


def create_user(
    db: sqlite_utils.Database,
    username: str,
    password: str,
    role: str,
    partner_id: int | None = None,
) -> int:
    """Create a console account; partners must belong to a partner organisation."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if (role == "partner") != (partner_id is not None):
        raise ValueError("a partner account needs a partner, other roles none")
    row = {
        "username": username,
        "password_hash": generate_password_hash(password),
        "role": role,
        "partner_id": partner_id,
        "created_at": time.time(),
    }
    with transaction(db):
        return insert(db, "users", row)
