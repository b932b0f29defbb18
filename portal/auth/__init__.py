"""Logging in and out of the consoles, and who may open what."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import LoginManager, current_user

from portal.accounts import load_session_user
from portal.auth.blueprint import bp  # noqa: F401 - what the app registers
from portal.db import get_db

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warn"


@login_manager.user_loader
def load_user(session_id: str):
    return load_session_user(get_db(), session_id)


def role_required(*roles: str) -> Callable:
    """Let only logged-in users with one of ``roles`` through (others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)


from portal.auth import routes  # noqa: E402, F401 - registers the routes
