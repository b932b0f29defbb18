"""What WeChat's answers and pushes do to a go-live step: the one place that decides.

Like ``registration.outcomes``: each decision reads the step inside its write
transaction and decides on that fresh row, and a step never moves back from done. When
a step ends, the next becomes due (``_unlock``): the code pipeline once name, avatar,
introduction and a category are done, the audit once it was submitted, the release once
it passed (at once, or on the merchant's word, by the platform's policy).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.golive import steps as st
from portal.notify import outbox as sms
from portal.registration import outbox, retry
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)
Decision = tuple[str, str, dict[str, Any]] | None
#: How often an audit is polled when no push came (WeChat's pushes can be lost).
AUDIT_POLL = 600.0


def decide(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    rule: Callable[[dict], Decision],
    now: float | None = None,
) -> dict | None:
    now = time.time() if now is None else now
    with transaction(db):
        row = st.step(db, setup_id, name)
        decision = rule(row)
        if decision is None:
            return None
        to_state, detail, changes = decision
        for key in ("input", "result"):
            if key in changes and not isinstance(changes[key], str):
                changes[key] = json.dumps(changes[key], ensure_ascii=False)
        sets = {**changes, "state": to_state, "updated_at": now}
        if to_state == st.DONE:
            sets.setdefault("done_at", now)
            sets.setdefault("due_at", None)
        assignments = ", ".join(f"{column} = ?" for column in sets)
        db.execute(
            f"UPDATE setup_steps SET {assignments} WHERE id = ?", [*sets.values(), row["id"]]
        )
        if to_state != row["state"] or detail:
            st.event(db, setup_id, name, row["state"], to_state, detail, now)
        if to_state != row["state"]:
            _unlock(db, setup_id, name, to_state, now)
            announce(db, setup_id, name, to_state, detail, now)
            sms.step_changed(db, st.get(db, setup_id), name, to_state, now)  # the merchant's SMS
        return st.step(db, setup_id, name)


#: (step, state it reached) → the webhook event it makes.
EVENTS = {
    (st.NAME, st.DONE): "miniprogram.name_set",
    (st.CATEGORY, st.DONE): "miniprogram.category_approved",
    (st.AUDIT, st.WAITING): "miniprogram.audit_submitted",
    (st.AUDIT, st.DONE): "miniprogram.audit_passed",
    (st.AUDIT, st.NEEDS_MERCHANT): "miniprogram.audit_failed",
    (st.RELEASE, st.DONE): "miniprogram.released",
}
#: An audit back with the merchant because it was withdrawn (staff's undocodeaudit, or
#: WeChat's status 3), not rejected: its own event, never audit_failed.
WITHDRAWN_EVENT = "miniprogram.audit_withdrawn"
WITHDRAWN = 3  # get_auditstatus: withdrawn


def announce(db, setup_id: int, name: str, to_state: str, detail: str, now: float) -> None:
    """Enqueue the webhook event of a step's change, in its transaction (the outbox)."""
    event_type = EVENTS.get((name, to_state))
    if event_type is None:
        return
    setup = st.get(db, setup_id)
    row = st.step(db, setup_id, name)
    if name == st.AUDIT and to_state == st.NEEDS_MERCHANT:
        if row["result"].get("status") == WITHDRAWN:
            event_type = WITHDRAWN_EVENT
    snapshot = {
        "appid": setup["appid"],
        "submission_id": setup["submission_id"],
        "step": name,
        "state": to_state,
        "detail": detail,
        "auditid": setup["auditid"] or row["result"].get("auditid"),
        "reason": st.plain(row["reason"]) or None,
    }
    outbox.enqueue(
        db,
        event_type,
        f"miniprogram:{setup['appid']}",
        snapshot,
        submission_id=setup["submission_id"],
        now=now,
    )


def _make_due(db, setup_id: int, name: str, state: str, detail: str, now: float) -> None:
    row = st.step(db, setup_id, name)
    db.execute(
        "UPDATE setup_steps SET state = ?, due_at = ?, updated_at = ? WHERE id = ?",
        [state, now if state != st.TODO else None, now, row["id"]],
    )
    st.event(db, setup_id, name, row["state"], state, detail, now)


def _unlock(db, setup_id: int, name: str, to_state: str, now: float) -> None:
    steps = st.steps(db, setup_id)
    merchant_done = all(steps[s]["state"] == st.DONE for s in st.MERCHANT_STEPS)
    if name in st.MERCHANT_STEPS and merchant_done:
        # the ICP filing is read from now on (golive.icp's due list is this table)
        sql = "INSERT INTO setup_icp (setup_id, next_at) VALUES (?, ?) ON CONFLICT DO NOTHING"
        db.execute(sql, [setup_id, now])
    if name in st.MERCHANT_STEPS and merchant_done and steps[st.DEPLOY]["state"] == st.TODO:
        _make_due(
            db, setup_id, st.DEPLOY, st.GIVEN, "名称、头像、简介和类目已完成，开始提交代码审核", now
        )


def _merge(row: Mapping[str, Any], updates: Mapping[str, Any]) -> dict:
    return {**row["result"], **updates}


def working(
    db: sqlite_utils.Database, setup_id: int, name: str, lease: float, phase: str | None = None
) -> dict | None:
    """A call for the step is about to be made; if the worker dies, it is due again."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] in (st.DONE, st.HELD):
            return None
        detail = "正在提交给微信" if row["state"] != st.WORKING else ""
        return st.WORKING, detail, {"due_at": now + lease, "phase": phase or row["phase"]}

    return decide(db, setup_id, name, rule, now)


def progress(
    db: sqlite_utils.Database, setup_id: int, name: str, phase: str, result: Mapping, detail: str
) -> dict | None:
    """A part of a multi-call step is done (the deploy's domains, commit, privacy)."""

    def rule(row: dict) -> Decision:
        if row["state"] in (st.DONE, st.HELD):
            return None
        return row["state"], detail, {"phase": phase, "result": _merge(row, result)}

    return decide(db, setup_id, name, rule)


def done(
    db: sqlite_utils.Database, setup_id: int, name: str, result: Mapping, detail: str
) -> dict | None:
    def rule(row: dict) -> Decision:
        if row["state"] == st.DONE:
            return None
        changes = {"result": _merge(row, result), "reason": None, "errcode": None}
        return st.DONE, detail, {**changes, "retry_counts": "{}"}

    return decide(db, setup_id, name, rule)


def waiting(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    poll_at: float | None,
    result: Mapping,
    detail: str,
) -> dict | None:
    """WeChat audits the step; a push or a poll at ``poll_at`` ends it (None: only a
    decision does, e.g. the release waiting for the ICP filing: ``filed``)."""

    def rule(row: dict) -> Decision:
        if row["state"] == st.DONE:
            return None
        return st.WAITING, detail, {"due_at": poll_at, "result": _merge(row, result)}

    return decide(db, setup_id, name, rule)


def needs_merchant(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    errcode: int | None,
    reason: str,
    detail: str,
    result: Mapping | None = None,
) -> dict | None:
    """WeChat refused what the merchant gave: they change it, then it is sent again."""

    def rule(row: dict) -> Decision:
        if row["state"] == st.DONE and name != st.AUDIT:
            return None
        changes = {"errcode": errcode, "reason": reason[:500], "due_at": None}
        return st.NEEDS_MERCHANT, detail, {**changes, "result": _merge(row, result or {})}

    return decide(db, setup_id, name, rule)


def failed_try(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    failure: str,
    exc: WeChatError,
    retry_delay: float,
) -> dict | None:
    """A try failed: the next by the policy table (per failure class), or held for staff."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] in (st.DONE, st.HELD):
            return None
        tried = json.loads(row["retry_counts"] or "{}")
        tried[failure] = tried.get(failure, 0) + 1
        wait = retry.delay(failure, tried[failure], retry_delay, now)
        changes = {"retry_counts": json.dumps(tried), "errcode": exc.errcode}
        if wait is None:
            log.error("go-live %s of setup %s held: %s", name, setup_id, exc)
            reason = f"{exc.entry.title}（{exc.errcode}）" if exc.errcode else exc.errmsg[:200]
            changes.update(due_at=None, reason=reason)
            return st.HELD, f"已暂停，等待平台处理：{exc.entry.title}", changes
        return row["state"], "", {**changes, "due_at": now + wait}

    return decide(db, setup_id, name, rule, now)


def platform_waiting(
    db: sqlite_utils.Database, setup_id: int, name: str, later: float
) -> dict | None:
    """No token could be had: nothing was done, nothing is spent; try again later."""

    def rule(row: dict) -> Decision:
        if row["state"] in (st.DONE, st.HELD, st.NEEDS_MERCHANT, st.TODO):
            return None
        return row["state"], "", {"due_at": later}

    return decide(db, setup_id, name, rule)


def later(
    db: sqlite_utils.Database, setup_id: int, name: str, at: float, detail: str = ""
) -> dict | None:
    """Not now, and no try spent: WeChat is still working on something (a privacy scan,
    the month's audit quota); the step is looked at again at ``at``."""

    def rule(row: dict) -> Decision:
        if row["state"] in (st.DONE, st.HELD, st.NEEDS_MERCHANT, st.TODO):
            return None
        said = detail if detail != (row["reason"] or "") else ""
        return row["state"], said, {"due_at": at, "reason": detail or row["reason"]}

    return decide(db, setup_id, name, rule)


def release_held(db: sqlite_utils.Database, setup_id: int, name: str) -> dict | None:
    """Staff fixed the cause: the held step is tried again now."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] != st.HELD:
            return None
        return st.GIVEN, "客服已处理，平台重新尝试", {"due_at": now, "retry_counts": "{}"}

    return decide(db, setup_id, name, rule, now)


def filed(db: sqlite_utils.Database, setup_id: int, now: float) -> dict | None:
    """The ICP filing is done (6): a release waiting for it (85020 unfiled) is due now."""
    move = (st.GIVEN, "ICP 备案已完成，平台继续发布", {"due_at": now})
    return decide(db, setup_id, st.RELEASE, lambda r: move if r["state"] == st.WAITING else None)
