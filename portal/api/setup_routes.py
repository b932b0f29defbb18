"""``/api/v1/submissions/<id>/setup``: read the go-live setup, and drive its steps from
the operator's own systems instead of the merchant's pages (docs/api.md § Setup).

Each call is checked by the merchant's rules (``setup_checks``), stored with
``steps.give`` (the worker calls WeChat, as for the merchant's pages) and answered 202
with the setup. A step with WeChat (or done) is 409; a submission not yet authorized is
404. ``Idempotency-Key`` works as for a create: the answer (202 or 409) is kept with
the change in one transaction, and given again for the same key and request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from flask import Response, g, jsonify
from flask.typing import ResponseReturnValue

from portal.api import bodies, idempotency, params, setup_checks
from portal.api.blueprint import bp
from portal.api.errors import error
from portal.api.setup_object import represent, setup_of
from portal.db import get_db, transaction
from portal.golive import audits
from portal.golive import category_rules as rules
from portal.golive import steps as st
from portal.registration import submissions as subs

SETUP = "/v1/submissions/<int:submission_id>/setup"
TITLES = {
    st.NAME: "名称", st.AVATAR: "头像", st.INTRO: "简介", st.CATEGORY: "类目",
    st.DEPLOY: "检查并提交", st.AUDIT: "微信审核", st.RELEASE: "发布上线", st.TESTERS: "体验者",
}  # fmt: skip
Check = Callable[[sqlite_utils.Database, dict, bodies.Body], setup_checks.Checked]
Answer = tuple[int, dict[str, Any]]


class Answered(Exception):
    """An answer to give at once (a replay under the same Idempotency-Key)."""

    def __init__(self, response: ResponseReturnValue) -> None:
        super().__init__("answered")
        self.response = response


@bp.errorhandler(Answered)
def _answered(answered: Answered) -> ResponseReturnValue:
    return answered.response


@dataclass
class Started:
    sub: dict
    setup: dict
    body: bodies.Body
    key: str


def _personal() -> bool:
    return "personal_data:read" in g.api_key["scope_set"]


def _need(scope: str) -> None:
    if scope not in g.api_key["scope_set"]:
        message = f"这个 API 密钥没有 {scope} 权限。"
        raise params.Refused(403, "insufficient_scope", message, required_scope=scope)


def _setup(submission_id: int, opening: bool) -> tuple[dict, dict | None]:
    """(the submission, its setup), or the 404; ``opening`` opens an authorized one's
    setup the first time, as the merchant's page does (reads never write)."""
    db = get_db()
    if opening:
        sub, setup = setup_of(db, submission_id)
    else:
        sub = subs.get(db, submission_id)
        setup = st.for_submission(db, submission_id) if sub else None
    if sub is None:
        raise params.Refused(404, "not_found", f"没有编号为 {submission_id} 的申请。")
    g.audit_target = f"submission {submission_id}"
    if setup is None and (sub["state"] != subs.AUTHORIZED or not sub["appid"]):
        message = (
            f"申请 {submission_id} 还没有完成授权（现在是 {sub['state']}），"
            "小程序的设置在授权后才开始。"
        )
        raise params.Refused(404, "not_found", message, state=sub["state"])
    return sub, setup


def _error_body(status: int, code: str, message: str, **extra: Any) -> Answer:
    return status, {"error": {"status": status, "code": code, "message": message, **extra}}


def _closed(setup_id: int, name: str) -> Answer:
    state = st.step(get_db(), setup_id, name)["state"]
    label = st.STATE_LABELS.get(state, state)
    message = f"“{TITLES[name]}”现在{label}，暂时不能修改；有结果后再试（GET 可查看进度）。"
    return _error_body(409, "step_closed", message, step=name, state=state, state_label=label)


def _commit(started: Started, act: Callable[[], Answer]) -> ResponseReturnValue:
    """Run ``act`` (the change and its answer) in one transaction with the kept answer."""
    db, key, digest = get_db(), started.key, started.body.digest
    with transaction(db):
        if key and (kept := idempotency.kept(db, key, digest)):
            return kept
        try:
            status, body = act()
        except st.StepClosed as closed:  # the worker took the step since it was checked
            status, body = _closed(started.setup["id"], str(closed))
        text = json.dumps(body, ensure_ascii=False)
        if key:
            idempotency.keep(db, key, digest, status, text)
    return Response(text, status, mimetype="application/json")


def _start(submission_id: int, read: Callable[[], bodies.Body]) -> Started:
    """What every drive call checks first: the scope, the setup, the body, a replay."""
    _need("setup:write")
    params.query(())
    sub, setup = _setup(submission_id, opening=True)
    if setup is None:  # cannot be: _setup opens an authorized submission's setup
        raise params.Refused(404, "not_found", f"申请 {submission_id} 的设置尚未开始。")
    body = read()
    key = params.header("Idempotency-Key", idempotency.MAX_KEY_LENGTH)
    if key and (replay := idempotency.lookup(get_db(), key, body.digest)):
        raise Answered(replay)
    return Started(sub, setup, body, key)


def _done(started: Started) -> Answer:
    return 202, represent(get_db(), started.sub, _personal()) or {}


def _give(
    submission_id: int, name: str, read: Callable[[], bodies.Body], check: Check
) -> ResponseReturnValue:
    started = _start(submission_id, read)
    db, setup_id = get_db(), started.setup["id"]
    if st.step(db, setup_id, name)["state"] not in st.OPEN_TO_MERCHANT:
        return _commit(started, lambda: _closed(setup_id, name))
    checked = check(db, started.setup, started.body)
    if checked.errors:
        message = "有字段未通过检查，请按 fields 修改后再提交；这次没有保存任何内容。"
        return error(422, "validation_failed", message, fields=checked.errors, step=name)

    def act() -> Answer:
        st.give(db, setup_id, name, checked.values, checked.files)
        return _done(started)

    return _commit(started, act)


@bp.get(SETUP)
def setup_read(submission_id: int) -> ResponseReturnValue:
    _need("submissions:read")
    params.query(())
    sub, _setup_row = _setup(submission_id, opening=False)
    return jsonify(represent(get_db(), sub, _personal()))


@bp.get(SETUP + "/categories")
def setup_categories(submission_id: int) -> ResponseReturnValue:
    _need("submissions:read")
    params.query(())
    _sub, setup = _setup(submission_id, opening=False)
    result = st.step(get_db(), setup["id"], st.CATEGORY)["result"] if setup else {}
    listed = result.get("choices")
    keys = ("first", "first_name", "second", "second_name", "sensitive", "qualifications")
    choices = [
        {**{k: c.get(k) for k in keys}, "groups": rules.document_groups(c)}
        for c in listed or () if isinstance(c, dict)
    ] if isinstance(listed, list) else []  # fmt: skip
    return jsonify({"choices_ready": isinstance(listed, list), "choices": choices})


@bp.put(SETUP + "/name")
def setup_name(submission_id: int) -> ResponseReturnValue:
    def read() -> bodies.Body:
        texts, photos = ("nickname", setup_checks.CLEAR_PROOFS), ("licence", *setup_checks.PROOFS)
        return bodies.read(texts, photos, most=len(photos))

    return _give(submission_id, st.NAME, read, setup_checks.name)


@bp.put(SETUP + "/avatar")
def setup_avatar(submission_id: int) -> ResponseReturnValue:
    return _give(
        submission_id, st.AVATAR, lambda: bodies.read((), ("avatar",)), setup_checks.avatar
    )


@bp.put(SETUP + "/intro")
def setup_intro(submission_id: int) -> ResponseReturnValue:
    return _give(submission_id, st.INTRO, lambda: bodies.read(("signature",)), setup_checks.intro)


@bp.put(SETUP + "/category")
def setup_category(submission_id: int) -> ResponseReturnValue:
    def read() -> bodies.Body:
        prefix = setup_checks.QUALIFICATION
        return bodies.read(("first", "second"), group="qualifications", prefix=prefix)

    return _give(submission_id, st.CATEGORY, read, setup_checks.category)


@bp.put(SETUP + "/testers")
def setup_testers(submission_id: int) -> ResponseReturnValue:
    def read() -> bodies.Body:
        return bodies.read(("wechat_ids",))

    return _give(submission_id, st.TESTERS, read, setup_checks.testers)


@bp.post(SETUP + "/audit/resubmit")
def setup_resubmit(submission_id: int) -> ResponseReturnValue:
    started = _start(submission_id, lambda: bodies.read(("feedback_info",)))
    checked = setup_checks.feedback(started.body)
    if checked.errors:
        message = "有字段未通过检查，请按 fields 修改后再提交。"
        return error(422, "validation_failed", message, fields=checked.errors, step=st.AUDIT)
    db, setup_id = get_db(), started.setup["id"]

    def act() -> Answer:
        if not audits.resubmit(db, setup_id, checked.values["feedback_info"]):
            state = st.step(db, setup_id, st.AUDIT)["state"]
            message = "现在不需要重新提交：只有微信审核未通过时才能重新提交。"
            return _error_body(409, "resubmit_not_needed", message, step=st.AUDIT, state=state)
        return _done(started)

    return _commit(started, act)


@bp.post(SETUP + "/release")
def setup_release(submission_id: int) -> ResponseReturnValue:
    started = _start(submission_id, bodies.read)
    db = get_db()

    def act() -> Answer:
        shown = represent(db, started.sub, _personal()) or {}
        if not shown.get("can_release"):
            release = shown["steps"][st.RELEASE]
            if shown["release_policy"] != "confirm":
                message = "平台设置为审核通过后自动发布，不需要确认发布。"
            elif release["state"] != st.TODO:
                message = f"不需要再确认：发布现在{release['label']}。"
            else:
                message = "现在还不能发布：微信审核通过后才能确认发布。"
            extra = {"step": st.RELEASE, "state": release["state"]}
            return _error_body(409, "release_not_needed", message, **extra)
        st.give(db, started.setup["id"], st.RELEASE, {"confirmed": True})
        return _done(started)

    return _commit(started, act)
