"""Staff and a mini program's go-live: its setup beside the registration, and the actions
the worker carries out (retry a held step, undo or speed up the code audit). Pages
store; the worker's go-live kinds call WeChat (docs/golive.md).

退回商户修改 gives one merchant step back to the merchant with staff's reason, for what a
retry cannot fix (85094: a UGC category needs a declaration the portal does not make):
on a held deploy any of the four steps (``reopen.for_deploy``: the deploy waits and goes
on once the step is set again), else a held merchant step itself
(``outcomes.needs_merchant``). A category given back has its choices cleared, so
``golive.open`` fetches a fresh list."""

from __future__ import annotations

import sqlite_utils
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import audit
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db, transaction
from portal.golive import actions, outcomes, quota, reopen
from portal.golive import steps as st
from portal.registration import messages
from portal.registration import submissions as subs
from portal.staff.blueprint import bp
from portal.staff.forms import GiveBackForm
from portal.wechat import codes

STAFF = ("staff", "admin")
#: What the merchant reads: staff's reason, said to be the platform's (never a name).
GIVEN_BACK_REASON = "平台客服：{reason}"
GIVEN_BACK = "平台客服已退回，请商户修改后重新保存"


def context(db, sub: dict) -> dict:
    """What the submission page shows of its setup (empty before the mini program exists)."""
    setup = st.for_submission(db, sub["id"])
    if setup is None:
        return {"setup": None}
    rows = st.steps(db, setup["id"])
    shown = []
    for name in st.STEPS:
        row = rows[name]
        held = row["state"] == st.HELD
        entry = codes.golive_entry(row["errcode"], row["reason"] or "") if row["errcode"] else None
        shown.append({
            **row, "title": actions.TITLES.get(name, name), "held": held, "entry": entry,
            "label": actions.step_label(name, row["state"]),
            "tone": actions.TONES.get(row["state"], "progress"),
        })  # fmt: skip
    audit_step = rows[st.AUDIT]
    return {
        "setup": setup,
        "setup_steps": shown,
        "setup_now": actions.current(rows),
        "setup_history": actions.timeline(db, setup),
        "setup_actions": actions.history(db, setup["id"]),
        "setup_open_action": actions.open_action(db, setup["id"]),
        "audit_waiting": audit_step["state"] == st.WAITING,
        "can_undo": not actions.why_not(db, setup["id"], actions.UNDO),
        "can_speedup": not actions.why_not(db, setup["id"], actions.SPEEDUP),
        "why_not_speedup": actions.why_not(db, setup["id"], actions.SPEEDUP),
        "auditid": actions.auditid(db, setup["id"]),
        "submit_quota": quota.last(db),
        "step_titles": actions.TITLES,
        "state_labels": st.STATE_LABELS,
        "action_labels": actions.LABELS,
        "outcome_labels": actions.OUTCOME_LABELS,
        "golive_form": ButtonForm(),
        **_give_back_context(rows),
    }


def givable(rows: dict[str, dict]) -> tuple[str, ...]:
    """The merchant steps staff may give back now: any of the four while the deploy is
    held, else the held merchant steps; none otherwise (nothing is with staff)."""
    if rows[st.DEPLOY]["state"] == st.HELD:
        return st.MERCHANT_STEPS
    return tuple(name for name in st.MERCHANT_STEPS if rows[name]["state"] == st.HELD)


def _give_back_context(rows: dict[str, dict]) -> dict:
    steps = givable(rows)
    form = GiveBackForm()
    form.step.choices = [(name, actions.TITLES[name]) for name in steps]
    if st.CATEGORY in steps:
        form.step.data = st.CATEGORY  # what 85094 needs changed
    return {"give_back_steps": steps, "give_back_form": form}


def give_back(db: sqlite_utils.Database, setup_id: int, name: str, reason: str) -> bool:
    """Give the merchant step ``name`` back with staff's ``reason``, deciding on fresh rows
    in one transaction; False, and nothing changes, when ``givable`` does not list it."""
    shown = GIVEN_BACK_REASON.format(reason=reason)
    fresh = {"choices": None} if name == st.CATEGORY else None  # golive.open fetches them
    with transaction(db):
        rows = st.steps(db, setup_id)
        if name not in givable(rows):
            return False
        if rows[st.DEPLOY]["state"] == st.HELD:
            return reopen.for_deploy(
                db, setup_id, name, None, shown, GIVEN_BACK, fresh, answered=False
            )
        changed = outcomes.needs_merchant(db, setup_id, name, None, shown, GIVEN_BACK, fresh)
    return changed is not None


def without_golive_calls(history: list[dict]) -> list[dict]:
    """The registration's timeline: the go-live calls are on the setup's."""
    return [
        item
        for item in history
        if item["kind"] != "call" or not actions.golive_call(item["row"]["endpoint"])
    ]


def _setup(submission_id: int) -> dict:
    db = get_db()
    if subs.get(db, submission_id) is None:
        abort(404)
    return st.for_submission(db, submission_id) or abort(404)


def _back(submission_id: int) -> ResponseReturnValue:
    return redirect(url_for(".submission", submission_id=submission_id) + "#golive")


@bp.post("/submissions/<int:submission_id>/golive/retry/<step>")
@role_required(*STAFF)
def golive_retry(submission_id: int, step: str) -> ResponseReturnValue:
    """Staff fixed what held a step: the worker tries it again now."""
    setup = _setup(submission_id)
    if step not in st.STEPS:
        abort(404)
    if ButtonForm().validate_on_submit() and outcomes.release_held(get_db(), setup["id"], step):
        audit.record("retry golive step", f"submission {submission_id}", step)
        flash(f"已重试“{actions.TITLES[step]}”，后台会在几秒内重新提交给微信。", "ok")
    else:
        flash("这个步骤当前没有暂停，无需重试。", "error")
    return _back(submission_id)


@bp.post("/submissions/<int:submission_id>/golive/give-back")
@role_required(*STAFF)
def golive_give_back(submission_id: int) -> ResponseReturnValue:
    """退回商户修改: the chosen merchant step goes back to the merchant with the reason."""
    setup = _setup(submission_id)
    form = GiveBackForm()
    if not form.validate_on_submit():
        errors = [*form.step.errors, *form.reason.errors]
        flash(errors[0] if errors else "页面已过期，请刷新后再试。", "error")
    elif give_back(get_db(), setup["id"], form.step.data, form.reason.data):
        step = form.step.data
        audit.record("give back golive step", f"submission {submission_id}",
                     f"{step}：{form.reason.data}")  # fmt: skip
        flash(
            f"已把“{actions.TITLES[step]}”退回商户修改：商户会在进度页看到您填写的原因，"
            "改好保存后平台自动继续处理。",
            "ok",
        )
    else:
        flash(
            "这一步现在不能退回：只有“检查并提交”暂停时（可退回任一商户步骤），"
            "或商户步骤本身暂停时才能退回商户修改。",
            "error",
        )
    return _back(submission_id)


@bp.post("/submissions/<int:submission_id>/golive/<any(undo, speedup):action>")
@role_required(*STAFF)
def golive_action(submission_id: int, action: str) -> ResponseReturnValue:
    """Ask the worker to undo or speed up the waiting audit; pages never call WeChat."""
    setup = _setup(submission_id)
    db = get_db()
    if not ButtonForm().validate_on_submit():
        flash("页面已过期，请刷新后再试。", "error")
    elif actions.request(db, setup["id"], action, current_user.username):
        audit.record(f"{action} code audit", f"submission {submission_id}", setup["appid"])
        flash(
            f"已请求{actions.LABELS[action]}，后台通常在几秒内向微信提交，结果记在上线记录里。",
            "ok",
        )
    else:
        flash(actions.why_not(db, setup["id"], action) or "现在不能这样操作。", "error")
    return _back(submission_id)


@bp.get("/message-pushes/<int:push_id>")
@role_required(*STAFF)
def message_push_xml(push_id: int) -> ResponseReturnValue:
    db = get_db()
    push = messages.get(db, push_id) or abort(404)
    setup = actions.setup_for_appid(db, push["appid"])
    audit.record("view message push xml", f"message push {push_id}", push["appid"])
    return render_template("staff/message_push.html", push=push, setup=setup)
