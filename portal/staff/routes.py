"""Staff routes: thin; ``reports`` reads, the worker's jobs call WeChat."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from portal import accounts, audit
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.golive import actions
from portal.golive import held as golive_held
from portal.inputs import page_number
from portal.registration import budget, held, pushes, reports, same_company
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.staff import golive
from portal.staff.blueprint import bp
from portal.staff.filters import StaffFilters, phone_digits
from portal.staff.forms import NoteForm, SearchForm
from portal.timefmt import beijing, date_start, day_start
from portal.wechat import codes

STAFF = ("staff", "admin")


def _submission(submission_id: int) -> dict:
    return subs.get(get_db(), submission_id) or abort(404)


@bp.get("/")
@role_required(*STAFF)
def dashboard() -> ResponseReturnValue:
    db = get_db()
    figures = reports.dashboard(db)
    today = day_start(figures["now"])
    return render_template(
        "staff/dashboard.html",
        d=figures,
        labels=status_view.STATE_LABELS,
        held_groups=held.groups(db),
        held_golive_groups=golive_held.groups(db),
        held_golive=golive_held.listing(db),
        step_titles=actions.TITLES,
        today=beijing(today, "%Y-%m-%d"),
        week=beijing(today - 6 * 86400, "%Y-%m-%d"),
    )


@bp.get("/search")
@role_required(*STAFF)
def search() -> ResponseReturnValue:
    db = get_db()
    form = SearchForm(request.args)
    form.partner.choices += [
        SelectChoice(str(p["id"]), p["name"]) for p in accounts.list_partners(db)
    ]
    rows, total, page = [], 0, page_number()
    searched = any(v for k, v in request.args.items() if k != "page")
    searched = searched and form.validate()
    if searched:
        filters = StaffFilters(
            phone=phone_digits(form.phone.data or ""),
            outcome=int(form.outcome.data) if form.outcome.data else None,
            changed_from=date_start(form.changed_from.data),
            name=(form.name.data or "").strip(),
            code=(form.code.data or "").strip(),
            legal_name=(form.legal_name.data or "").strip(),
            wechat=(form.wechat.data or "").strip(),
            state=form.state.data or "",
            partner_id=int(form.partner.data) if form.partner.data else None,
            date_from=date_start(form.date_from.data),
            date_to=date_start(form.date_to.data, 1),
        )
        rows, total = reports.search(db, filters, page)
        audit.record("search submissions", detail=request.query_string.decode()[:300])
    pages = max(1, -(-total // reports.PER_PAGE))
    return render_template(
        "staff/search.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        searched=searched,
        labels=status_view.STATE_LABELS,
    )


@bp.get("/submissions/<int:submission_id>")
@role_required(*STAFF)
def submission(submission_id: int) -> ResponseReturnValue:
    db = get_db()
    sub = _submission(submission_id)
    audit.record("view submission", f"submission {submission_id}")
    view = status_view.view(db, sub)
    return render_template(
        "staff/submission.html",
        sub=sub,
        view=view,
        attempts=reports.chain(db, sub),
        same_company=same_company.of_submission(db, sub, states=None),
        history=golive.without_golive_calls(reports.history(db, submission_id)),
        note_form=NoteForm(),
        release_form=ButtonForm(),
        status_url=url_for("merchant.status", public_id=sub["public_id"], _external=True),
        labels=status_view.STATE_LABELS,
        resubmit_refusal=resubmit_refusal(view),
        held=codes.api_entry(sub["errcode"], sub["errmsg"] or "")
        if sub["state"] == subs.HELD
        else None,
        **golive.context(db, sub),
    )


def resubmit_refusal(view: status_view.StatusView) -> str:
    """Why staff may not edit and resubmit for the merchant ("" when they may): only an
    attempt that ended without a mini program, and only its latest attempt."""
    sub = view.sub
    if view.next_submission is not None:
        return "这家企业已经重新提交过：请打开最新一次申请再操作。"
    if view.created or sub["state"] in (subs.SUCCEEDED, subs.AUTHORIZED):
        return "小程序已经创建，不能重新提交：再提交会为同一企业再申请一个小程序。"
    if sub["state"] == subs.HELD:
        return "这条申请已暂停，商户的资料没有问题：平台问题解决后点“恢复处理”即可，无需重新提交。"
    if sub["state"] not in subs.ENDED:
        return f"这条申请还在办理中（{view.label}），不能重新提交；请等微信给出结果。"
    return ""


@bp.get("/submissions/<int:submission_id>/resubmit")
@role_required(*STAFF)
def resubmit(submission_id: int) -> ResponseReturnValue:
    """代商户修改并重新提交: only where it makes sense, else back with the reason."""
    sub = _submission(submission_id)
    refusal = resubmit_refusal(status_view.view(get_db(), sub))
    if refusal:
        flash(refusal, "error")
        return redirect(url_for(".submission", submission_id=submission_id), code=303)
    return redirect(url_for("merchant.apply", **{"from": sub["public_id"]}))


@bp.get("/pushes/<int:push_id>")
@role_required(*STAFF)
def push_xml(push_id: int) -> ResponseReturnValue:
    push = pushes.get(get_db(), push_id) or abort(404)
    audit.record("view push xml", f"push {push_id}", f"submission {push['submission_id']}")
    return render_template("staff/push.html", push=push)


@bp.post("/submissions/<int:submission_id>/notes")
@role_required(*STAFF)
def add_note(submission_id: int) -> ResponseReturnValue:
    _submission(submission_id)
    form = NoteForm()
    if form.validate_on_submit():
        subs.add_note(
            get_db(), submission_id, current_user.id, current_user.username, form.body.data.strip()
        )
        audit.record("add note", f"submission {submission_id}")
        flash("备注已添加。", "ok")
    else:
        flash("备注内容不能为空，最多 2000 字。", "error")
    return redirect(url_for(".submission", submission_id=submission_id) + "#history")


@bp.get("/submissions/<int:submission_id>/ask")
@role_required(*STAFF)
def ask_wechat(submission_id: int) -> ResponseReturnValue:
    """Today's budget, a waiting request, and the last answer the worker stored."""
    db = get_db()
    sub = _submission(submission_id)
    return render_template(
        "staff/ask.html",
        sub=sub,
        ask=reports.last_search(db, sub),
        form=ButtonForm(),
        left=budget.left_today(db, int(current_app.config["SEARCH_DAILY_BUDGET"])),
        budget=int(current_app.config["SEARCH_DAILY_BUDGET"]),
    )


@bp.post("/submissions/<int:submission_id>/ask")
@role_required(*STAFF)
def request_search(submission_id: int) -> ResponseReturnValue:
    """Ask the worker to search now; pages never call WeChat themselves."""
    db = get_db()
    _submission(submission_id)
    if ButtonForm().validate_on_submit():
        if budget.left_today(db, int(current_app.config["SEARCH_DAILY_BUDGET"])) <= 0:
            flash("今天的查询额度已用完，请明天再试；推送到达时状态会自动更新。", "error")
        elif budget.request(db, submission_id):
            audit.record("ask wechat", f"submission {submission_id}")
            flash("已请求查询，后台通常在几秒内向微信查询，本页会自动显示结果。", "ok")
        else:
            flash("上一次查询请求还在处理中。", "ok")
    return redirect(url_for(".ask_wechat", submission_id=submission_id))


@bp.post("/submissions/<int:submission_id>/release")
@role_required(*STAFF)
def release(submission_id: int) -> ResponseReturnValue:
    """Staff fixed what held a submission: the worker tries again."""
    _submission(submission_id)
    if ButtonForm().validate_on_submit() and subs.release(get_db(), submission_id):
        audit.record("release held submission", f"submission {submission_id}")
        flash("已恢复处理，平台会立即重新尝试。", "ok")
    else:
        flash("这条申请当前没有暂停。", "error")
    return redirect(url_for(".submission", submission_id=submission_id))
