"""Login, logout, logout everywhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from portal import audit
from portal.accounts import check_password, end_session, revoke_sessions, start_session
from portal.auth import throttle
from portal.auth.blueprint import bp
from portal.auth.forms import ButtonForm, LoginForm
from portal.db import get_db

HOME = {"admin": "admin.health", "staff": "staff.dashboard", "partner": "partner.dashboard"}


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def home_for(role: str) -> str:
    return url_for(HOME[role])


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        address = request.remote_addr or ""
        wait = throttle.minutes_locked(db, username, address)
        if wait:
            flash(f"登录失败次数过多，请 {wait} 分钟后再试。", "error")
            return render_template("auth/login.html", form=form), 429
        user = check_password(db, username, form.password.data)
        throttle.record(db, username, address, succeeded=user is not None)
        if user is not None:
            session.clear()
            login_user(start_session(db, user, float(current_app.config["SESSION_HOURS"])))
            session.permanent = True
            audit.record("login")
            return redirect(safe_next(request.args.get("next")) or home_for(user.role))
        flash("用户名或密码不对，或账号已停用。", "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    if ButtonForm().validate_on_submit():
        audit.record("logout")
        end_session(get_db(), current_user.session_token)
        logout_user()
        session.clear()
        flash("已退出登录。", "ok")
    return redirect(url_for(".login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> ResponseReturnValue:
    if ButtonForm().validate_on_submit():
        audit.record("logout everywhere")
        revoke_sessions(get_db(), current_user.id)
        logout_user()
        session.clear()
        flash("已在所有设备上退出登录。", "ok")
    return redirect(url_for(".login"))
