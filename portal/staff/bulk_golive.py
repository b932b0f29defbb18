"""恢复处理 in bulk for go-live steps: after a platform-wide fix, release every step held
for one reason (its errcode) at once, with a confirmation step that shows how many.

Each step is released by ``outcomes.release_held``, the single 重试's own function, and
audited as the single action is: the worker tries each again within seconds. One click
releases at most ``BATCH`` (the page says how many remain), as ``portal.staff.bulk``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal import audit
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.golive import actions, outcomes
from portal.golive import held as golive_held
from portal.golive import steps as st
from portal.staff.blueprint import bp
from portal.staff.bulk import errcode_of, reason_key
from portal.wechat import codes

STAFF = ("staff", "admin")
BATCH = 500
SHOWN = 50  # rows the confirmation lists


def _back() -> ResponseReturnValue:
    return redirect(url_for(".dashboard") + "#held-golive")


@bp.get("/held/golive/release")
@role_required(*STAFF)
def bulk_release_golive_confirm() -> ResponseReturnValue:
    """The confirmation: the reason, how many steps are held for it, the first 50."""
    key = reason_key()
    if not key:
        flash("没有指定暂停原因：请在客服看板的“上线步骤暂停”一栏选择要批量恢复的原因。", "error")
        return _back()
    db = get_db()
    errcode = errcode_of(key)
    _, total = golive_held.held_for(db, errcode, 0)
    return render_template(
        "staff/bulk_release_golive.html",
        key=key,
        errcode=errcode,
        entry=codes.golive_entry(errcode),
        total=total,
        batch=min(total, BATCH),
        rows=golive_held.listing_for(db, errcode, SHOWN),
        step_titles=actions.TITLES,
        form=ButtonForm(),
    )


@bp.post("/held/golive/release")
@role_required(*STAFF)
def bulk_release_golive() -> ResponseReturnValue:
    key = reason_key()
    if not key or not ButtonForm().validate_on_submit():
        flash("页面已过期或缺少暂停原因，请回到客服看板重新选择。", "error")
        return _back()
    db = get_db()
    errcode = errcode_of(key)
    pairs, total = golive_held.held_for(db, errcode, BATCH)
    shown = "无代码" if errcode is None else str(errcode)
    released = 0
    for setup_id, step in pairs:  # each as the single 重试, each in the audit log
        if outcomes.release_held(db, setup_id, step):
            released += 1
            submission_id = st.get(db, setup_id)["submission_id"]
            audit.record(
                "retry golive step", f"submission {submission_id}", f"{step}，批量：{shown}"
            )
    if released:
        audit.record("bulk release held golive steps", f"errcode {shown}", f"{released} 个步骤")
    left = total - released
    if not released:
        flash("没有因这个原因暂停的上线步骤了（可能已被恢复），无需操作。", "ok")
    elif left > 0:
        flash(
            f"已恢复 {released} 个上线步骤，后台会逐个重新提交给微信；还有 {left} 个因同一原因"
            "暂停，请再次点“批量恢复处理”。",
            "ok",
        )
    else:
        flash(
            f"已恢复 {released} 个上线步骤，后台会逐个重新提交给微信，结果见各申请的上线记录。",
            "ok",
        )
    return _back()
