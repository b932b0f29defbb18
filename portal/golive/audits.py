"""The code audit's result, from a push or a poll, and the merchant's resubmission.

WeChat's ``get_auditstatus`` statuses: 0 passed, 1 rejected, 2 under audit, 3 withdrawn,
4 delayed; the pushes weapp_audit_success / _fail / _delay say the same. Both reach
``apply``, so a result applies once whichever comes first. A passed audit makes the
release due at once (policy ``auto``) or waits for the merchant's word (``confirm``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.golive import fixes, outcomes, platform
from portal.golive import steps as st
from portal.timefmt import beijing

PASSED, REJECTED, UNDER_AUDIT, WITHDRAWN, DELAYED = 0, 1, 2, 3, 4
#: What a merchant reads about how long an audit takes (WeChat: usually 1-7 days).
#: The timeline's line when the operator's switch to automatic release releases a version.
AUTO_NOW = "平台已改为审核通过后自动发布，现在发布"
EXPECTED = "微信审核通常需要 1–7 个工作日，多数在 1 天内完成；有结果后本页会自动更新。"


def apply(
    db: sqlite_utils.Database,
    setup_id: int,
    status: int,
    reason: str = "",
    screenshots: tuple[str, ...] = (),
    *,
    auto_release: bool,
    auditid: int | None = None,
) -> str:
    """Apply an audit result; return a short outcome for logs."""
    now = time.time()
    audit = st.step(db, setup_id, st.AUDIT)
    if auditid is not None and audit["result"].get("auditid") not in (None, auditid):
        return "another audit"  # an older version's result
    if audit["state"] not in (st.WAITING, st.WORKING):
        return "recorded"
    found = {"status": status, "reason": reason, "screenshots": list(screenshots)}
    if status == PASSED:
        with transaction(db):
            outcomes.done(db, setup_id, st.AUDIT, found, "微信审核通过")
            release = st.step(db, setup_id, st.RELEASE)
            if release["state"] == st.TODO:
                state = st.GIVEN if auto_release else st.TODO
                detail = "审核通过，平台自动发布" if auto_release else "审核通过，等待商户确认发布"
                after = max(time.time(), now)  # after the audit's own line on the timeline
                db.execute(
                    "UPDATE setup_steps SET state = ?, due_at = ?, updated_at = ? WHERE id = ?",
                    [state, after if auto_release else None, after, release["id"]],
                )
                st.event(db, setup_id, st.RELEASE, release["state"], state, detail, after)
        return "passed"
    if status == REJECTED:
        outcomes.needs_merchant(
            db, setup_id, st.AUDIT, None, reason or "微信未说明原因", "微信审核未通过", found
        )
        return "rejected"
    if status == DELAYED:
        poll = now + outcomes.AUDIT_POLL
        outcomes.waiting(db, setup_id, st.AUDIT, poll, found, f"微信审核延后：{reason}")
        return "delayed"
    if status == WITHDRAWN:
        outcomes.needs_merchant(db, setup_id, st.AUDIT, None, "审核已撤回", "代码审核已撤回", found)
        return "withdrawn"
    outcomes.waiting(db, setup_id, st.AUDIT, now + outcomes.AUDIT_POLL, found, "")
    return "under audit"


def quota_wait(until: float) -> str:
    """What a merchant reads while the platform's audit quota for the month is used up."""
    return f"本月平台向微信提交审核的次数已用完，将在 {beijing(until)} 之后自动提交，无需您操作。"


def submitted(db: sqlite_utils.Database, setup_id: int, auditid: int | None) -> None:
    """The code is with WeChat's auditors: the audit step waits (push, or a poll)."""
    result = {"auditid": auditid, "expected": EXPECTED, "status": UNDER_AUDIT}
    with transaction(db):
        audit = st.step(db, setup_id, st.AUDIT)
        now = time.time()
        db.execute(
            "UPDATE setup_steps SET state = ?, due_at = ?, result = ?, reason = NULL, "
            "updated_at = ? WHERE id = ?",
            [st.WAITING, now + outcomes.AUDIT_POLL, json.dumps(result), now, audit["id"]],
        )
        st.event(db, setup_id, st.AUDIT, audit["state"], st.WAITING, "微信审核中。" + EXPECTED, now)
        outcomes.announce(db, setup_id, st.AUDIT, st.WAITING, "已提交微信审核", now)


def resubmit(db: sqlite_utils.Database, setup_id: int, feedback_info: str = "") -> bool:
    """After a rejection (or a withdrawal) the merchant fixed what WeChat asked: go
    through what the changes need again (``fixes.plan``), then submit the audit again.

    A changed ``ext_json`` (the name is one of its placeholders) commits a new version
    first; otherwise the same version is submitted again. A changed step that is not yet
    done at WeChat holds the deploy (``todo``) until it is. ``feedback_info`` (at most
    200 characters) goes with the submit; WeChat honours it only after a rejection.
    """
    now = time.time()
    with transaction(db):
        audit = st.step(db, setup_id, st.AUDIT)
        if audit["state"] != st.NEEDS_MERCHANT:
            return False
        plan = fixes.plan(db, setup_id)
        deploy = st.step(db, setup_id, st.DEPLOY)
        result = {k: v for k, v in deploy["result"].items() if k != "submit_started"}
        state = st.TODO if plan.pending else st.GIVEN
        db.execute(
            "UPDATE setup_steps SET state = ?, due_at = ?, phase = ?, input = ?, "
            "result = ?, retry_counts = '{}', reason = NULL, errcode = NULL, updated_at = ? "
            "WHERE id = ?",
            [state, None if plan.pending else now, plan.phase, _feedback(feedback_info),
             json.dumps(result, ensure_ascii=False), now, deploy["id"]],
        )  # fmt: skip
        db.execute(
            "UPDATE setup_steps SET state = ?, due_at = NULL, updated_at = ? WHERE id = ?",
            [st.TODO, now, audit["id"]],
        )
        detail = plan.detail((feedback_info or "").strip())
        st.event(db, setup_id, st.DEPLOY, deploy["state"], state, detail, now)
    return True


def _feedback(text: str) -> str:
    return json.dumps({"feedback_info": (text or "")[:200]}, ensure_ascii=False)


NAME_POLL = 600.0
CATEGORY_POLL = 600.0


def name_audit(db: sqlite_utils.Database, setup_id: int, stat: int | None, reason: str) -> str:
    """The name audit: 3 passed, 2 failed, 1 still under audit (the push's ``ret`` too)."""
    if stat == 3:
        outcomes.done(db, setup_id, st.NAME, {}, "名称审核通过")
        return "passed"
    if stat == 2:
        outcomes.needs_merchant(
            db, setup_id, st.NAME, None, reason or "微信未说明原因", "名称审核未通过"
        )
        return "rejected"
    outcomes.waiting(db, setup_id, st.NAME, time.time() + NAME_POLL, {}, "")
    return "under audit"


def category_audit(
    db: sqlite_utils.Database,
    setup_id: int,
    status: int | None,
    reason: str,
    result: Mapping[str, Any] | None = None,
) -> str:
    """The category: 3 approved, 2 rejected, 1 under audit (the push's ``ret`` too).
    ``result`` is kept with the step (the categories the worker added)."""
    kept = dict(result or {})
    if status == 3:
        outcomes.done(db, setup_id, st.CATEGORY, kept, "类目已通过")
        return "passed"
    if status == 2:
        outcomes.needs_merchant(
            db, setup_id, st.CATEGORY, None, reason or "微信未说明原因", "类目审核未通过", kept
        )
        return "rejected"
    outcomes.waiting(
        db,
        setup_id,
        st.CATEGORY,
        time.time() + CATEGORY_POLL,
        kept,
        "类目需要微信审核，结果会自动显示",
    )
    return "under audit"


def set_release_policy(db: sqlite_utils.Database, release_policy: str) -> int:
    """Save the release policy (ValueError in Chinese when it is not one). Switching to
    ``auto`` releases every passed audit still waiting for its merchant's word: under
    ``auto`` no page offers that button any more, so nothing else would release them.
    Returns how many were made due."""
    now = time.time()
    with transaction(db):
        platform.save(db, release_policy=release_policy)
        if release_policy != "auto":
            return 0
        waiting = db.execute(
            "SELECT r.id, r.setup_id FROM setup_steps r JOIN setup_steps a "
            "ON a.setup_id = r.setup_id AND a.step = ? "
            "WHERE r.step = ? AND r.state = ? AND a.state = ?",
            [st.AUDIT, st.RELEASE, st.TODO, st.DONE],
        ).fetchall()
        for step_id, setup_id in waiting:
            db.execute(
                "UPDATE setup_steps SET state = ?, due_at = ?, updated_at = ? WHERE id = ?",
                [st.GIVEN, now, now, step_id],
            )
            st.event(db, setup_id, st.RELEASE, st.TODO, st.GIVEN, AUTO_NOW, now)
    return len(waiting)
