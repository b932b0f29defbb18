"""The admin's audit log: filtered by who, what, when and which submission, each row
linked to what it acted on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, Regexp

from portal import audit
from portal.admin.blueprint import bp
from portal.auth import role_required
from portal.db import get_db
from portal.inputs import no_control_characters, page_number
from portal.timefmt import date_start

PER_PAGE = 50
#: An action's Chinese name → the action the log stores.
ACTIONS = {label: action for action, label in audit.LABELS.items()}


class AuditFilterForm(FlaskForm):
    """Read-only filters: sent with GET, so no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField("账号", validators=[Optional(), no_control_characters])
    action = SelectField(
        "操作",
        # Chosen by its Chinese name: the address bar reads ?action=查找申请.
        choices=[SelectChoice("", "全部"), *(SelectChoice(v, v) for v in audit.LABELS.values())],
        validators=[Optional()],
    )
    date_from = DateField("日期从", validators=[Optional()])
    date_to = DateField("到", validators=[Optional()])
    submission = StringField(
        "申请编号",
        validators=[Optional(), Regexp(r"^[0-9]{1,18}$", message="请填写申请编号（数字）。")],
    )


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    date_from: float | None = None
    date_to: float | None = None
    submission: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["1 = 1"], []
        if self.actor:
            clauses.append("username = ?")
            params.append(self.actor)
        if self.action:
            clauses.append("action = ?")
            params.append(self.action)
        if self.date_from is not None:
            clauses.append("at >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("at < ?")
            params.append(self.date_to)
        if self.submission is not None:
            # Its own rows, and those that name it in their detail (a push of it).
            clauses.append("(target = ? OR detail = ?)")
            params += [f"submission {self.submission}"] * 2
        return " AND ".join(clauses), params


def filtered(
    db: sqlite_utils.Database, filters: AuditFilters, page: int = 1, per_page: int = PER_PAGE
) -> list[dict]:
    where, params = filters.where()
    rows = db.query(
        f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    return [audit.shown(row) for row in rows]


#: An audit row's target → the page of what it acted on.
SUBJECTS = (
    (re.compile(r"^submission (\d+)$"), "staff.submission", "submission_id"),
    (re.compile(r"^push (\d+)$"), "staff.push_xml", "push_id"),
    (re.compile(r"^message push (\d+)$"), "staff.message_push_xml", "push_id"),
    (re.compile(r"^webhook (\d+)$"), "admin.webhook_detail", "endpoint_id"),
)
#: Targets whose page is a list, not one row's page.
LISTS = {"user": "admin.users", "partner": "admin.users", "api key": "admin.api_keys"}


def subject_url(target: str) -> str | None:
    """Where the row's subject is shown, or None (a link of a partner's, a tally)."""
    for pattern, endpoint, arg in SUBJECTS:
        found = pattern.match(target or "")
        if found:
            return url_for(endpoint, **{arg: int(found.group(1))})
    kind = re.match(r"^(user|partner|api key) \d+$", target or "")
    return url_for(LISTS[kind.group(1)]) if kind else None


@bp.get("/audit")
@role_required("admin")
def audit_log() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    page = page_number()
    filters, valid = AuditFilters(), form.validate()
    if valid:
        filters = AuditFilters(
            actor=(form.actor.data or "").strip(),
            action=ACTIONS.get(form.action.data or "", ""),
            date_from=date_start(form.date_from.data),
            date_to=date_start(form.date_to.data, 1),
            submission=int(form.submission.data) if form.submission.data else None,
        )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=filtered(get_db(), filters, page) if valid else [],
        page=page,
        per_page=PER_PAGE,
        args=args,
        subject_url=subject_url,
    )
