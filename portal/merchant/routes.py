"""Merchant routes: thin; validation and the domain do the work."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import accounts, audit, links, ratelimit
from portal.config import RETIRED_HOST
from portal.db import get_db, transaction
from portal.golive import steps as golive_steps
from portal.merchant import sms
from portal.merchant.blueprint import bp
from portal.merchant.forms import apply_form
from portal.merchant.prefill import prefill, proven, remember
from portal.qr import qr_response
from portal.registration import same_company
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor
from portal.validation import Result, validate

#: The checked form waiting on the confirmation page (kept in the signed session).
DRAFT = "apply_draft"
CARRIED = ("contact_phone", "previous", "ref", "sms_opt_in")
#: [public id, when] of this browser's last submission: the form says so after "back".
JUST_SUBMITTED = "just_submitted"
JUST_KEPT = 24 * 3600
#: The confirmation's checkbox for another mini program of a company that has one.
SAME_COMPANY_OK = "same_company"


def current_flavor() -> Flavor:
    """The API new submissions go to (PORTAL_WECHAT_REGISTER_API)."""
    return get_flavor(current_app.config["REGISTER_API"])


def submission_or_404(public_id: str) -> dict:
    sub = subs.get_by_public_id(get_db(), public_id)
    if sub is None:
        abort(404)
    return sub


def _company_rows(rows: list[dict]) -> list[dict]:
    """Other submissions of a company as this request may see them (same_company's
    module: a stranger learns they exist and a masked AppID, never the status link)."""
    return [
        {
            "registered": same_company.registered(row),
            "appid": same_company.mask_appid(row["appid"]),
            "public_id": row["public_id"] if proven(row) else None,
        }
        for row in rows
    ]


def _same_company(values: dict, match_key: str = "") -> list[dict]:
    """What a new submission of these facts needs consent against, as shown."""
    rows = same_company.others(get_db(), name=values.get("name", ""), code=values.get("code", ""))
    return _company_rows(same_company.needing_consent(rows, match_key))


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
        same=_company_rows(same),
        duplicate=duplicate and not same,
        refused=refused,
    )
    # Back after submitting fetches the page again (its draft is gone: the form says
    # "您刚刚提交过") instead of showing a stale confirmation from the cache.
    return page, status, {"Cache-Control": "no-store"}


@bp.app_context_processor
def environment() -> dict:
    """Outside WeChat's own API (the sandbox demo, a staging copy), every page says so."""
    host = urlparse(str(current_app.config["WECHAT_API_BASE"])).hostname or ""
    if host == RETIRED_HOST:
        return {"demo_banner": ""}
    flavor = current_flavor()
    return {
        "demo_banner": f"演示环境：连接的是微信沙箱，不会真的注册小程序 · 接口：{flavor.title}（{flavor.name}）"
    }


@bp.context_processor
def referrer() -> dict:
    """The partner who brought the merchant, and the phone the partner chose to show."""
    slug = request.args.get("ref") or session.get("ref")
    link = links.usable(get_db(), slug) if slug else None
    partner = accounts.get_partner(get_db(), link["partner_id"]) if link else None
    if not partner:
        return {"referrer": None}
    return {"referrer": {"name": partner["name"], "phone": link["contact_phone"]}}


def _minutes_until_submit_allowed() -> int:
    """Each submission spends WeChat quota: PORTAL_SUBMISSIONS_PER_HOUR per address."""
    limit = int(current_app.config["SUBMISSIONS_PER_HOUR"])
    address = request.remote_addr or ""
    return ratelimit.minutes_until_allowed(get_db(), "submit", address, limit, 3600)


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


@bp.get("/")
def landing() -> ResponseReturnValue:
    return render_template("merchant/landing.html", flavor=current_flavor())


@bp.get("/r/<slug>")
def referral(slug: str) -> ResponseReturnValue:
    """A partner's signup link: count the open, remember the partner, show the landing."""
    link = links.usable(get_db(), slug)
    if link is None:
        return render_template("merchant/link_expired.html"), 410
    links.record_event(get_db(), link["id"], "open")
    session["ref"] = slug
    return redirect(url_for(".landing", ref=slug))


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
    wait = _minutes_until_submit_allowed()
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


@bp.get("/s/<public_id>/")
def status_slash(public_id: str) -> ResponseReturnValue:
    """A status link copied with a trailing slash still opens the page."""
    return redirect(url_for(".status", public_id=public_id), code=301)


@bp.post("/s/<public_id>/resubmit")
def resubmit(public_id: str) -> ResponseReturnValue:
    """Nothing to fix (expired, face check failed): send the same facts again."""
    previous = submission_or_404(public_id)
    flavor = get_flavor(previous["flavor"])
    view = status_view.view(get_db(), previous)
    if view.resubmit_waits:  # WeChat would refuse it (89249): say when, send nothing
        flash(view.retry_hint, "error")
        return redirect(url_for(".status", public_id=public_id))
    if not view.can_resubmit or view.next_submission or previous["purged_at"]:
        return redirect(url_for(".apply", **{"from": public_id}))
    wait = _minutes_until_submit_allowed()
    if wait:
        flash(f"这台设备提交得太频繁了，请 {wait} 分钟后再提交。", "error")
        return redirect(url_for(".status", public_id=public_id))
    facts = {f: previous[f] for f in flavor.field_names}
    others = same_company.of_submission(get_db(), previous)
    if same_company.needing_consent(others, flavor.match_key(facts)):
        # Another mini program for a company that has one is a choice made on the
        # confirmation page, never one tap away.
        return redirect(url_for(".apply", **{"from": public_id}))
    with transaction(get_db()):  # the submission and the carried SMS consent, or neither
        sub, created = subs.submit(
            get_db(),
            flavor,
            facts,
            component_phone=current_app.config["WECHAT_COMPONENT_PHONE"],
            contact_phone=previous["contact_phone"] or "",
            previous_id=previous["id"],
        )
        sms.after_resubmit(previous, sub, created)
    if proven(previous):
        remember(sub["public_id"])
        session[JUST_SUBMITTED] = [sub["public_id"], time.time()]
    if created:
        ratelimit.record(get_db(), "submit", request.remote_addr or "")
        flash("已重新提交。请保存本页链接，随时回来查看进度。", "ok")
    return redirect(url_for(".status", public_id=sub["public_id"]))


@bp.get("/s/<public_id>")
def status(public_id: str) -> ResponseReturnValue:
    sub = submission_or_404(public_id)
    view = status_view.view(get_db(), sub)
    setup = golive_steps.for_submission(get_db(), sub["id"])
    live = bool(setup) and golive_steps.live(get_db(), setup["id"])
    if view.tone == "error":  # "submitted" would contradict a red page; a refusal stays
        kept = [f for f in session.pop("_flashes", []) if f[0] == "error"]
        if kept:
            session["_flashes"] = kept
    left = status_view.seconds_left(view.deadline_at)
    earlier = [r for r in same_company.of_submission(get_db(), sub) if r["id"] < sub["id"]]
    return render_template(
        "merchant/status.html",
        v=view,
        same=_company_rows(earlier) if not sub["purged_at"] else [],
        live=live,
        labels=status_view.STATE_LABELS,
        status_url=url_for(".status", public_id=public_id, _external=True),
        countdown=f"{left // 3600} 小时 {left % 3600 // 60} 分" if left is not None else "",
    )


@bp.get("/s/<public_id>/status.json")
def status_json(public_id: str) -> ResponseReturnValue:
    """The poll: one indexed row; 304 when nothing changed since the page's last look."""
    db = get_db()
    row = subs.poll_row(db, public_id, status_view.POLL_COLUMNS) or abort(404)
    summary = status_view.poll(row, db)
    if summary["version"] in request.if_none_match:
        response = Response(status=304)
    else:
        response = jsonify(summary)
    response.set_etag(summary["version"])
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/s/<public_id>/qr.svg")
def status_qr(public_id: str) -> Response:
    submission_or_404(public_id)
    return qr_response(url_for(".status", public_id=public_id, _external=True))
