"""Admin routes: health, users, partners (the audit log is in audit_log.py)."""

from __future__ import annotations

import sqlite3

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from portal import accounts, audit
from portal.admin.blueprint import bp
from portal.admin.forms import PartnerForm, PasswordForm, UserForm
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.health import PERMISSION_SETS, operator_report


@bp.get("/")
@role_required("admin")
def health() -> ResponseReturnValue:
    return render_template(
        "admin/health.html", r=operator_report(get_db()), permission_sets=PERMISSION_SETS
    )


def _user_form(db) -> UserForm:
    form = UserForm()
    form.partner.choices += [
        SelectChoice(str(p["id"]), p["name"]) for p in accounts.list_partners(db)
    ]
    return form


@bp.route("/users", methods=["GET", "POST"])
@role_required("admin")
def users() -> ResponseReturnValue:
    db = get_db()
    form, partner_form = _user_form(db), PartnerForm(prefix="p")
    if form.submit.data and form.validate_on_submit():
        partner_id = int(form.partner.data) if form.partner.data else None
        try:
            user_id = accounts.create_user(
                db,
                form.username.data,
                form.password.data,
                form.role.data,
                partner_id if form.role.data == "partner" else None,
            )
        except (ValueError, sqlite3.IntegrityError) as exc:
            message = (
                "用户名已存在。"
                if isinstance(exc, sqlite3.IntegrityError)
                else "代理商账号必须选择所属代理商。"
            )
            form.username.errors.append(message)
        else:
            audit.record(
                "create user", f"user {user_id}", f"{form.username.data} ({form.role.data})"
            )
            flash(f"账号 {form.username.data} 已创建。", "ok")
            return redirect(url_for(".users"))
    if partner_form.submit.data and partner_form.validate_on_submit():
        partner_id = accounts.create_partner(db, partner_form.name.data.strip())
        audit.record("create partner", f"partner {partner_id}", partner_form.name.data)
        flash(f"代理商 {partner_form.name.data} 已添加。", "ok")
        return redirect(url_for(".users"))
    return render_template(
        "admin/users.html",
        form=form,
        partner_form=partner_form,
        users=accounts.list_users(db),
        partners=accounts.list_partners(db),
        button=ButtonForm(),
        password_form=PasswordForm(),
    )


@bp.post("/users/<int:user_id>/<any(disable, enable):action>")
@role_required("admin")
def toggle_user(user_id: int, action: str) -> ResponseReturnValue:
    db = get_db()
    accounts.get_user(db, user_id) or abort(404)
    accounts.set_user_disabled(db, user_id, action == "disable")
    audit.record(f"{action} user", f"user {user_id}")
    flash("账号已停用，其登录已全部失效。" if action == "disable" else "账号已启用。", "ok")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int) -> ResponseReturnValue:
    db = get_db()
    accounts.get_user(db, user_id) or abort(404)
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.set_password(db, user_id, form.password.data)
        audit.record("reset password", f"user {user_id}")
        flash("密码已重置，该账号的登录已全部失效。", "ok")
    else:
        flash("；".join(form.password.errors) or "请重试。", "error")
    return redirect(url_for(".users"))


@bp.post("/partners/<int:partner_id>/<any(disable, enable):action>")
@role_required("admin")
def toggle_partner(partner_id: int, action: str) -> ResponseReturnValue:
    accounts.get_partner(get_db(), partner_id) or abort(404)
    accounts.set_partner_disabled(get_db(), partner_id, action == "disable")
    audit.record(f"{action} partner", f"partner {partner_id}")
    flash("代理商及其账号、链接已停用。" if action == "disable" else "代理商已启用。", "ok")
    return redirect(url_for(".users"))
