"""Console accounts (admin, staff, partner) and the partners they belong to.

A session names the user *and* their ``session_version``; bumping the version (logout
everywhere, password reset, disabling) ends every session of that user at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlite_utils
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from portal.db import insert, transaction

ROLES = ("admin", "staff", "partner")
ROLE_LABELS = {"admin": "管理员", "staff": "客服", "partner": "代理商"}
MIN_PASSWORD = 10
# Checked when the username is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass
class User(UserMixin):
    id: int
    username: str
    role: str
    partner_id: int | None
    session_version: int
    disabled: int = 0

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return not self.disabled

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def _user(row: dict | None) -> User | None:
    if row is None:
        return None
    return User(row["id"], row["username"], row["role"], row["partner_id"],
                row["session_version"], row["disabled"])  # fmt: skip


def _row(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def load_session_user(db: sqlite_utils.Database, session_id: str) -> User | None:
    """The user a session belongs to, unless disabled or their sessions were revoked."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = _user(_row(db, "SELECT * FROM users WHERE id = ?", [int(user_id)]))
    if user is None or user.disabled or user.session_version != int(version):
        return None
    return user


def get_user(db: sqlite_utils.Database, user_id: int) -> User | None:
    return _user(_row(db, "SELECT * FROM users WHERE id = ?", [user_id]))


def check_password(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    row = _row(db, "SELECT * FROM users WHERE username = ?", [username])
    if row is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row["password_hash"], password) or row["disabled"]:
        return None
    return _user(row)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位。"
    return None


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
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    row = {
        "username": username,
        "password_hash": generate_password_hash(password),
        "role": role,
        "partner_id": partner_id,
        "created_at": time.time(),
    }
    with transaction(db):
        return insert(db, "users", row)


def revoke_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    """End every session of this user (logout everywhere)."""
    with transaction(db):
        db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def set_password(db: sqlite_utils.Database, user_id: int, password: str) -> None:
    with transaction(db):
        db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1 "
            "WHERE id = ?",
            [generate_password_hash(password), user_id],
        )


def set_user_disabled(db: sqlite_utils.Database, user_id: int, disabled: bool) -> None:
    with transaction(db):
        db.execute(
            "UPDATE users SET disabled = ?, session_version = session_version + 1 WHERE id = ?",
            [int(disabled), user_id],
        )


def set_partner_disabled(db: sqlite_utils.Database, partner_id: int, disabled: bool) -> None:
    """Disable a partner with its accounts and links (or enable it again)."""
    with transaction(db):
        db.execute("UPDATE partners SET disabled = ? WHERE id = ?", [int(disabled), partner_id])
        db.execute(
            "UPDATE users SET disabled = ?, session_version = session_version + 1 "
            "WHERE partner_id = ?",
            [int(disabled), partner_id],
        )


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(
        db.query(
            "SELECT users.id, username, role, users.disabled, users.created_at, "
            "partners.name AS partner_name FROM users "
            "LEFT JOIN partners ON partners.id = users.partner_id ORDER BY users.id"
        )
    )


def list_partners(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM partners ORDER BY id"))
