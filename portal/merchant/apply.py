"""The merchant's application: the form, the confirmation of exactly what WeChat receives,
and the submit (post, then redirect: back and reload never post a form twice)."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import audit, links, ratelimit
from portal.db import get_db, transaction
from portal.merchant import sms
from portal.merchant.blueprint import bp
from portal.merchant.forms import apply_form
from portal.merchant.prefill import prefill, remember
from portal.merchant.routes import (
    JUST_SUBMITTED,
    company_rows,
    current_flavor,
    minutes_until_submit_allowed,
    submission_or_404,
)
from portal.registration import same_company
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.validation import Result, validate

#: The checked form waiting on the confirmation page (kept in the signed session).
DRAFT = "apply_draft"
CARRIED = ("contact_phone", "previous", "ref", "sms_opt_in")
#: How long the form remembers this browser's last submission (JUST_SUBMITTED).
JUST_KEPT = 24 * 3600
#: The confirmation's checkbox for another mini program of a company that has one.
SAME_COMPANY_OK = "same_company"


def _same_company(values: dict, match_key: str = "") -> list[dict]:
    """What a new submission of these facts needs consent against, as shown."""
    rows = same_company.others(get_db(), name=values.get("name", ""), code=values.get("code", ""))
    return company_rows(same_company.needing_consent(rows, match_key))


def _just_submitted() -> dict | None:
    """This browser's submission of the last day, for the notice after "back"."""
    just = session.get(JUST_SUBMITTED)
    if not (isinstance(just, list) and len(just) == 2 and time.time() - just[1] < JUST_KEPT):
        return None
    sub = subs.get_by_public_id(get_db(), str(just[0]))
    if sub is None:
        return None
    recent = time.time() - just[1] < 3600
    return {"public_id": sub["public_id"], "name": sub["name"], "at": just[1], "recent": recent}


def _render_form(
    form, check: Result | None = None, highlight=(), status=200, reason=None, just=None
):
    page = render_template(
        "merchant/apply.html",
        form=form,
        flavor=current_flavor(),
        check=check,
        highlight=highlight,
        previous=bool(form.previous.data),
        reason=reason,
        same=_same_company(form.data) if form.data.get("name") or form.data.get("code") else [],
        just=just,
    )
    return page, status


def _render_confirm(form, flavor: Flavor, check: Result, status=200, refused=False):
    key = flavor.match_key(check.values)
    rows = same_company.others(get_db(), name=check.values["name"], code=check.values["code"])
    same = same_company.needing_consent(rows, key)
    duplicate = any(r["match_key"] == key and r["state"] in subs.IN_FLIGHT for r in rows)
    page = render_template(
        "merchant/confirm.html",
        form=form,
        flavor=flavor,
        check=check,
        facts=flavor.facts(check.values),
        same=company_rows(same),
        duplicate=duplicate and not same,
        refused=refused,
    )
    # Back after submitting fetches the page again (its draft is gone: the form says
    # "您刚刚提交过") instead of showing a stale confirmation from the cache.
    return page, status, {"Cache-Control": "no-store"}


def _attribute(form) -> None:
    """Carry a partner's signup link into the form; count the form as started once."""
    slug = request.args.get("ref") or session.get("ref")
    link = links.usable(get_db(), slug) if slug else None
    if link is None or form.previous.data:
        return
    form.ref.data = slug
    if session.get("started") != slug:
        links.record_event(get_db(), link["id"], "start")
        session["started"] = slug


@bp.route("/apply", methods=["GET", "POST"])
def apply() -> ResponseReturnValue:
    flavor = current_flavor()
    form = apply_form(flavor)
    if request.method == "GET":
        highlight: tuple[str, ...] = ()
        reason = None
        previous_id = request.args.get("from")
        if previous_id:
            previous = submission_or_404(previous_id)
            view = status_view.view(get_db(), previous)
            if view.created or previous["state"] not in subs.ENDED:
                # Only an attempt that ended without a mini program is fixed and resubmitted.
                flash(
                    "这条申请已经创建了小程序或仍在办理中，不需要重新提交：再提交会为同一企业"
                    "再申请一个小程序。请按本页的提示操作。",
                    "error",
                )
                return redirect(url_for(".status", public_id=previous_id), code=303)
            prefill(form, flavor, previous)
            form.previous.data = previous_id
            highlight, reason = view.fields_to_highlight, view.entry
        _attribute(form)
        just = None if previous_id else _just_submitted()
        return _render_form(form, highlight=highlight, reason=reason, just=just)
    if not form.validate_on_submit():
        flash("页面停留太久已过期，请再提交一次。", "error")
        return _render_form(form, status=400)
    check = validate(form.data, flavor.field_names)
    sms.check_form(check, form)
    if not check.ok:
        return _render_form(form, check, status=422)
    # Post, then redirect: back and reload on the confirmation never re-post a form.
    session[DRAFT] = {k: form.data[k] or "" for k in (*flavor.field_names, *CARRIED)}
    return redirect(url_for(".review"), code=303)


@bp.get("/apply/confirm")
def review() -> ResponseReturnValue:
    """The confirmation of exactly what WeChat receives, from the checked draft."""
    flavor = current_flavor()
    draft = session.get(DRAFT)
    if not isinstance(draft, dict) or any(k not in draft for k in flavor.field_names):
        return redirect(url_for(".apply"))
    check = validate(draft, flavor.field_names)
    form = apply_form(flavor, data={**draft, **check.values})
    if not check.ok:
        return _render_form(form, check, status=422)
    return _render_confirm(form, flavor, check)


@bp.post("/apply/confirm")
def confirm() -> ResponseReturnValue:
    flavor = current_flavor()
    form = apply_form(flavor)
    if not form.validate_on_submit():
        flash("页面停留太久已过期，请核对后再提交一次。", "error")
        return _render_form(form, status=400)
    check = validate(form.data, flavor.field_names)
    if request.form.get("action") == "edit" or not check.ok:
        return _render_form(form, check if not check.ok else None, status=200 if check.ok else 422)
    consented = request.form.get(SAME_COMPANY_OK) == "yes"
    if not consented and _same_company(check.values, flavor.match_key(check.values)):
        return _render_confirm(form, flavor, check, status=409, refused=True)
    wait = minutes_until_submit_allowed()
    if wait:
        flash(f"这台设备提交得太频繁了，请 {wait} 分钟后再提交；您填写的信息已保留。", "error")
        return _render_form(form, status=429)
    previous = subs.get_by_public_id(get_db(), form.previous.data) if form.previous.data else None
    early = status_view.view(get_db(), previous) if previous else None
    if early is not None and early.resubmit_waits:
        flash(early.retry_hint, "error")
        return _render_form(form, status=429)
    link = links.usable(get_db(), form.ref.data) if form.ref.data and not previous else None
    with transaction(get_db()):  # the submission and its SMS consent, or neither
        sub, created = subs.submit(
            get_db(),
            flavor,
            check.values,
            component_phone=current_app.config["WECHAT_COMPONENT_PHONE"],
            contact_phone=check.values["contact_phone"],
            previous_id=previous["id"] if previous else None,
            partner_id=link["partner_id"] if link else None,
            link_id=link["id"] if link else None,
        )
        sms.after_submit(sub, created, bool(form.sms_opt_in.data))
    if created and current_user.is_authenticated:
        audit.record(
            "submit on behalf",
            f"submission {sub['id']}",
            f"resubmission of {previous['id']}" if previous else "",
        )
    session.pop(DRAFT, None)
    remember(sub["public_id"])
    session[JUST_SUBMITTED] = [sub["public_id"], time.time()]
    if created:
        ratelimit.record(get_db(), "submit", request.remote_addr or "")
        flash("已提交。请保存本页链接，随时回来查看进度。", "ok")
    else:
        flash("相同信息的申请正在办理中，已为您打开它的进度页，无需重复提交。", "warn")
    return redirect(url_for(".status", public_id=sub["public_id"]))
