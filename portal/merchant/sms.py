"""The merchant's SMS consent on their pages: the form's checkbox, the status page's line
and its button to turn SMS off (``notify.consent`` keeps it)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.db import get_db
from portal.merchant.blueprint import bp
from portal.notify import consent
from portal.notify.phones import mask
from portal.registration import submissions as subs
from portal.validation import Result

WHAT_YOU_GET = consent.WHAT_YOU_GET


def check_form(check: Result, form: FlaskForm) -> None:
    """The checkbox needs a mobile number: say so beside the phone."""
    wanted = bool(form.sms_opt_in.data)  # type: ignore[attr-defined]
    if problem := consent.form_problem(check.values.get("contact_phone", ""), wanted):
        check.errors.setdefault("contact_phone", problem)


def after_submit(sub: dict, created: bool, wanted: bool) -> None:
    """Record the consent given with a new submission (a mobile number only)."""
    if created and not consent.form_problem(sub["contact_phone"] or "", wanted) and wanted:
        consent.grant(get_db(), sub["id"])


def after_resubmit(previous: dict, sub: dict, created: bool) -> None:
    """The same facts sent again from the status page keep the merchant's choice."""
    if created:
        consent.carry(get_db(), previous["id"], sub["id"])


@bp.app_template_global()
def sms_notice(submission: dict) -> dict:
    """What the status page says about SMS: on (to which masked number) or off."""
    row = consent.get(get_db(), submission["id"])
    on = row is not None and row["revoked_at"] is None and bool(submission.get("contact_phone"))
    # The form (its CSRF token) only where the off button is shown: a token writes the
    # session, and a status page that nothing changes should not set a cookie.
    form = FlaskForm() if on else None
    return {"on": on, "phone": mask(submission.get("contact_phone")), "form": form}


@bp.post("/s/<public_id>/sms/off")
def sms_off(public_id: str) -> ResponseReturnValue:
    """Turn SMS off for this submission; anything still queued is not sent."""
    sub = subs.get_by_public_id(get_db(), public_id)
    if sub is None:
        return "", 404
    if not FlaskForm().validate_on_submit():
        flash("页面停留太久已过期，请再点一次“关闭短信通知”。", "error")
    elif consent.revoke(get_db(), sub["id"]):
        flash("已关闭短信通知，平台不会再给您发短信。进度仍可在本页查看。", "ok")
    return redirect(url_for(".status", public_id=public_id), code=303)


@bp.context_processor
def sms_texts() -> dict:
    return {"sms_what_you_get": WHAT_YOU_GET}
