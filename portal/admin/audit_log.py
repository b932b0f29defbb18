"""The admin's audit log: filtered by who, what, when and which submission, each row
linked to what it acted on."""

from __future__ import annotations

import re

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
    filters, valid = audit.AuditFilters(), form.validate()
    if valid:
        filters = audit.AuditFilters(
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
        rows=audit.filtered(get_db(), filters, page) if valid else [],
        page=page,
        per_page=audit.PER_PAGE,
        args=args,
        subject_url=subject_url,
    )
