"""The go-live checklist after the merchant's four steps: the poll that brings the
worker's results without a reload, the testers, the release the merchant confirms, the
resubmit after a rejected audit, and the images the worker kept (codes, screenshots).

The shared lookups and the post/redirect/get helpers are in ``portal.merchant.setup``.
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import get_db
from portal.golive import audits, rules
from portal.golive import steps as st
from portal.merchant import setup_view
from portal.merchant.blueprint import bp
from portal.merchant.setup import authorized_setup, back_to, give, open_view, render, view_of
from portal.merchant.setup_forms import ResubmitForm, TestersForm

#: Images are served as what their bytes are, whatever was stored beside them.
SIGNATURES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


@bp.get("/s/<public_id>/setup.json")
def setup_json(public_id: str) -> ResponseReturnValue:
    """The poll: every step's state; 304 when nothing changed since the page's last look."""
    _sub, found = authorized_setup(public_id)
    if found is None:
        abort(404)
    summary = setup_view.poll_summary(st.steps(get_db(), found["id"]))
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
    if audits.resubmit(get_db(), found["id"], checked.value):
        flash("已重新提交审核，结果会在本页自动显示。", "ok")
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
    kind = next((t for sig, t in SIGNATURES.items() if content.startswith(sig)), None) or abort(404)
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


@bp.get("/s/<public_id>/setup/screenshot-<int:n>")
def setup_screenshot(public_id: str, n: int) -> Response:
    """WeChat's audit screenshots, as the worker stored them (roles screenshot:…)."""
    return _image(public_id, st.AUDIT, f"screenshot:{n}")
