"""Console accounts (admin, staff, partner) and the partners they belong to.

A session names the user, their ``session_version`` and a row in ``console_sessions``.
Logging out deletes that row, so a copied cookie stops working; bumping the version
(logout everywhere, password reset, disabling) ends every session of the user at once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import sqlite_utils
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from portal.db import first, insert, transaction

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
    session_token: str = ""

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return not self.disabled

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def _user(row: dict | None) -> User | None:
    if row is None:
        return None
    return User(
        row["id"],
        row["username"],
        row["role"],
        row["partner_id"],
        row["session_version"],
        row["disabled"],
    )


def _row(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    return first(db, sql, params)


def load_session_user(db: sqlite_utils.Database, session_id: str) -> User | None:
    """The user a session belongs to, unless it ended, was revoked, or the user disabled."""
    user_id, version, token = (session_id.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and token) or len(user_id) > 18:
        return None
    row = _row(
        db,
        "SELECT users.* FROM users JOIN console_sessions ON console_sessions.user_id = users.id "
        "WHERE users.id = ? AND console_sessions.token = ? AND console_sessions.expires_at > ?",
        [int(user_id), token, time.time()],
    )
    user = _user(row)
    if user is None or user.disabled or user.session_version != int(version):
        return None
    user.session_token = token
    return user


def start_session(db: sqlite_utils.Database, user: User, hours: float) -> User:
    """Record a new console session for ``user``; its id goes into the cookie."""
    now = time.time()
    user.session_token = secrets.token_urlsafe(24)
    with transaction(db):
        db.execute(
            "DELETE FROM console_sessions WHERE user_id = ? AND expires_at <= ?", [user.id, now]
        )
        insert(
            db,
            "console_sessions",
            {
                "token": user.session_token,
                "user_id": user.id,
                "created_at": now,
                "expires_at": now + hours * 3600,
            },
        )
    return user


def end_session(db: sqlite_utils.Database, token: str) -> None:
    """Log out: this session stops working, whoever holds a copy of its cookie."""
    with transaction(db):
        db.execute("DELETE FROM console_sessions WHERE token = ?", [token])


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
        db.execute("DELETE FROM console_sessions WHERE user_id = ?", [user_id])


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


def get_partner(db: sqlite_utils.Database, partner_id: int) -> dict | None:
    return _row(db, "SELECT * FROM partners WHERE id = ?", [partner_id])


def list_partners(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM partners ORDER BY id"))
