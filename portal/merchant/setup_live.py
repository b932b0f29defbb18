"""The go-live checklist after the merchant's four steps: the poll that brings the
worker's results without a reload, the testers, the release the merchant confirms, the
speed-up the merchant may ask for, the resubmit after a rejected audit, and the images
the worker kept (codes, an audit's screenshots).

The shared lookups and the post/redirect/get helpers are in ``portal.merchant.setup``.
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import get_db
from portal.golive import actions, audits, icp, rules, screenshots
from portal.golive import steps as st
from portal.merchant import setup_view
from portal.merchant.blueprint import bp
from portal.merchant.setup import authorized_setup, back_to, give, open_view, render, view_of
from portal.merchant.setup_forms import ResubmitForm, TestersForm
from portal.merchant.setup_speedup import speedup_of


@bp.get("/s/<public_id>/setup.json")
def setup_json(public_id: str) -> ResponseReturnValue:
    """The poll: every step's state; 304 when nothing changed since the page's last look."""
    _sub, found = authorized_setup(public_id)
    if found is None:
        abort(404)
    db = get_db()
    marker = setup_view.filing_marker(icp.filing(db, found["id"]))
    summary = setup_view.poll_summary(st.steps(db, found["id"]), marker)
    response = (
        Response(status=304) if summary["version"] in request.if_none_match else jsonify(summary)
    )
    response.set_etag(summary["version"])
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.post("/s/<public_id>/setup/testers")
def setup_testers(public_id: str) -> ResponseReturnValue:
    view, refused = open_view(public_id, st.TESTERS)
    if view is None:
        return refused
    form = TestersForm()
    ids, error = rules.check_testers(form.wechat_ids.data)
    if error:
        return render(view, {st.TESTERS: form}, {"wechat_ids": error}, 422)
    saved = f"已保存 {len(ids)} 位体验者，平台会把他们添加到小程序。"
    return give(view, st.TESTERS, {"wechat_ids": ids}, (), saved)


@bp.post("/s/<public_id>/setup/release")
def setup_release(public_id: str) -> ResponseReturnValue:
    sub, found = authorized_setup(public_id)
    if found is None:
        return redirect(url_for(".status", public_id=public_id))
    view = view_of(sub, found)
    if not view.can_release:
        flash("现在不需要确认发布：审核通过后才能发布，或平台会自动发布。", "warn")
        return back_to(public_id, "step-release")
    return give(view, st.RELEASE, {"confirmed": True}, (), "已确认发布，平台正在发布小程序。")


@bp.post("/s/<public_id>/setup/resubmit")
def setup_resubmit(public_id: str) -> ResponseReturnValue:
    sub, found = authorized_setup(public_id)
    if found is None:
        return redirect(url_for(".status", public_id=public_id))
    view = view_of(sub, found)
    form = ResubmitForm()
    checked = rules.check_feedback(form.feedback_info.data)
    if checked.error:
        return render(view, {"resubmit": form}, {"feedback_info": checked.error}, 422)
    plan = view.plan
    if plan is not None and audits.resubmit(get_db(), found["id"], checked.value):
        waits = f"等{plan.words(plan.pending)}在微信设置好后，" if plan.pending else ""
        again = "重新上传代码并" if plan.recommit else ""
        flash(f"已确认重新提交：平台会{waits}{again}提交微信审核，结果会在本页自动显示。", "ok")
    else:
        flash("现在不需要重新提交：只有审核未通过时才能重新提交。", "warn")
    return back_to(public_id, "step-audit")


def _image(public_id: str, name: str, role: str) -> Response:
    """A stored image, typed by its own bytes (never by what was stored beside it)."""
    _sub, found = authorized_setup(public_id)
    if found is None:
        abort(404)
    kept = [f for f in st.files(get_db(), found["id"], name) if f["role"] == role]
    if not kept:
        abort(404)
    content = kept[-1]["content"]
    kind = screenshots.image_type(content) or abort(404)
    response = Response(content, mimetype=kind)
    response.set_etag(kept[-1]["sha256"])
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.get("/s/<public_id>/setup/wxacode.png")
def setup_wxacode(public_id: str) -> Response:
    return _image(public_id, st.RELEASE, "wxacode")


@bp.get("/s/<public_id>/setup/trial-qr.jpg")
def setup_trial_qr(public_id: str) -> Response:
    return _image(public_id, st.RELEASE, "trial_qr")


@bp.get("/s/<public_id>/setup/avatar.jpg")
def setup_avatar_image(public_id: str) -> Response:
    return _image(public_id, st.AVATAR, "avatar")


@bp.get("/s/<public_id>/setup/screenshots/<int:auditid>/<int:n>")
def setup_screenshot(public_id: str, auditid: int, n: int) -> Response:
    """A rejected audit's screenshots, as the worker fetched them from WeChat (never
    fetched here: a page does not call WeChat)."""
    return _image(public_id, st.AUDIT, screenshots.role(auditid, n))


@bp.post("/s/<public_id>/setup/speedup")
def setup_speedup(public_id: str) -> ResponseReturnValue:
    """The merchant asks for an expedited audit: stored; the worker asks WeChat."""
    sub, found = authorized_setup(public_id)
    if found is None:
        return redirect(url_for(".status", public_id=public_id))
    can = speedup_of(get_db(), found["id"])
    if not can.can:
        flash(can.why_not or "现在不能申请加急。", "warn")
    elif actions.request(get_db(), found["id"], actions.SPEEDUP, actions.MERCHANT):
        flash("已申请加急审核，平台会在几秒内向微信提交，结果会显示在这里。", "ok")
    else:
        flash(
            actions.why_not(get_db(), found["id"], actions.SPEEDUP) or "现在不能申请加急。", "warn"
        )
    return back_to(public_id, "step-audit")
