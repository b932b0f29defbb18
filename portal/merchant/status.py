"""The merchant's status page on the private link: the page, its poll and QR code, the
trailing-slash redirect, and sending the same facts again when nothing needs fixing."""

from __future__ import annotations

import time

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

from portal import ratelimit
from portal.db import get_db, transaction
from portal.golive import steps as golive_steps
from portal.merchant import sms
from portal.merchant.blueprint import bp
from portal.merchant.prefill import proven, remember
from portal.merchant.routes import (
    JUST_SUBMITTED,
    company_rows,
    minutes_until_submit_allowed,
    submission_or_404,
)
from portal.qr import qr_response
from portal.registration import same_company
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor


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
    wait = minutes_until_submit_allowed()
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
        same=company_rows(earlier) if not sub["purged_at"] else [],
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
    summary = status_view.poll(row)
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
