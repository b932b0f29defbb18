"""恢复处理 in bulk: after a platform-wide fix, release every submission held for one
reason (its errcode) at once, with a confirmation step that shows how many.

Each is released by ``submissions.release``, the single 恢复处理's own function: the page
only puts them back where the worker left them, and the worker tries each again, as
after the single action. One click releases at most ``BATCH`` (the page says how many
remain), so no request holds the database for long.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import audit
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.registration import submissions as subs
from portal.registration.held import NO_CODE, held_for, named
from portal.staff.blueprint import bp
from portal.wechat import codes

STAFF = ("staff", "admin")
BATCH = 500


def errcode_of(key: str) -> int | None:
    """The errcode a (checked) reason key stands for: None for NO_CODE."""
    return None if key == NO_CODE else int(key)


def reason_key() -> str:
    """The request's ``errcode`` reason key, or "" when it is neither a number nor NO_CODE."""
    key = request.values.get("errcode", "")
    if key != NO_CODE and not key.lstrip("-").isdigit():
        return ""
    return key


@bp.get("/held/release")
@role_required(*STAFF)
def bulk_release_confirm() -> ResponseReturnValue:
    """The confirmation: the reason, how many are held for it, the first 50 of them."""
    key = reason_key()
    if not key:
        flash("没有指定暂停原因：请在客服看板的“暂停”一栏选择要批量恢复的原因。", "error")
        return redirect(url_for(".dashboard"))
    db = get_db()
    errcode = errcode_of(key)
    ids, total = held_for(db, errcode, BATCH)
    names = named(db, ids[:50])
    return render_template(
        "staff/bulk_release.html",
        key=key,
        errcode=errcode,
        entry=codes.api_entry(errcode),
        total=total,
        batch=min(total, BATCH),
        rows=names,
        form=ButtonForm(),
    )


@bp.post("/held/release")
@role_required(*STAFF)
def bulk_release() -> ResponseReturnValue:
    key = reason_key()
    if not key or not ButtonForm().validate_on_submit():
        flash("页面已过期或缺少暂停原因，请回到客服看板重新选择。", "error")
        return redirect(url_for(".dashboard"))
    db = get_db()
    errcode = errcode_of(key)
    ids, total = held_for(db, errcode, BATCH)
    shown = "无代码" if errcode is None else str(errcode)
    released = []
    for submission_id in ids:  # each as the single 恢复处理, each in the audit log
        if subs.release(db, submission_id):
            released.append(submission_id)
            audit.record("release held submission", f"submission {submission_id}", f"批量：{shown}")
    if released:
        audit.record("bulk release held submissions", f"errcode {shown}", f"{len(released)} 条")
    left = total - len(released)
    if not released:
        flash("没有因这个原因暂停的申请了（可能已被恢复），无需操作。", "ok")
    elif left > 0:
        flash(
            f"已恢复 {len(released)} 条，后台会逐条重新尝试；还有 {left} 条因同一原因暂停，"
            "请再次点“批量恢复处理”。",
            "ok",
        )
    else:
        flash(f"已恢复 {len(released)} 条，后台会逐条重新尝试，结果见各申请的记录。", "ok")
    return redirect(url_for(".dashboard") + "#held")
