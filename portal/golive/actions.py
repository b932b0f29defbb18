"""Staff's actions on a mini program's code audit, and what the consoles read of a setup.

``request`` stores staff's wish to undo a waiting audit (``undocodeaudit``) or to speed
it up (``speedupaudit``; the merchant may ask for that too, as ``MERCHANT``); the
worker's ``golive.actions`` kind carries it out once, under the setup's lease, and ends
it here: ``finish`` (done, failed or not needed, with the catalogue's explanation) or
``undone`` (the audit step goes back to the merchant, who resubmits). Every request and result is a line of the setup's timeline. At most
one action is open per setup (``setup_actions``, migration 14). Pages never call WeChat.

The rest is read-only, for the consoles: the step a merchant is on, how many went live,
and the setup's timeline with its go-live calls and message pushes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import sqlite_utils

from portal.db import first, insert, transaction
from portal.golive import audits, outcomes
from portal.golive import steps as st
from portal.wechat import codes

UNDO, SPEEDUP = "undo", "speedup"
#: ``requested_by`` of a request the merchant made on the checklist (not a staff login).
MERCHANT = "商户（进度页）"
LABELS = {UNDO: "撤回审核", SPEEDUP: "加急审核"}
DONE, FAILED, SKIPPED = "done", "failed", "skipped"
OUTCOME_LABELS = {DONE: "已完成", FAILED: "未成功", SKIPPED: "未执行"}
#: What the merchant reads on the audit step after staff withdrew it.
UNDONE_REASON = (
    "这次审核已由平台客服撤回（并非微信不通过）。如需修改请联系客服；"
    "改好后点下面的按钮重新提交审核。"
)
#: The steps' names in the consoles (the merchant's checklist calls them the same).
TITLES = {
    st.NAME: "名称", st.AVATAR: "头像", st.INTRO: "简介", st.CATEGORY: "类目",
    st.DEPLOY: "检查并提交", st.AUDIT: "微信审核", st.RELEASE: "发布上线", st.TESTERS: "体验者",
}  # fmt: skip
PIPELINE = tuple(name for name in st.STEPS if name != st.TESTERS)  # testers are optional
TONES = {st.DONE: "ok", st.NEEDS_MERCHANT: "error", st.HELD: "error", st.TODO: ""}


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def get(db: sqlite_utils.Database, action_id: int) -> dict | None:
    return first(db, "SELECT * FROM setup_actions WHERE id = ?", [action_id])


def open_action(db: sqlite_utils.Database, setup_id: int) -> dict | None:
    return first(
        db, "SELECT * FROM setup_actions WHERE setup_id = ? AND done_at IS NULL", [setup_id]
    )


def history(db: sqlite_utils.Database, setup_id: int) -> list[dict]:
    """The setup's actions, newest first."""
    return list(
        db.query("SELECT * FROM setup_actions WHERE setup_id = ? ORDER BY id DESC", [setup_id])
    )


def auditid(db: sqlite_utils.Database, setup_id: int) -> int | None:
    audit = st.step(db, setup_id, st.AUDIT)
    return audit["result"].get("auditid") or (st.get(db, setup_id) or {}).get("auditid")


def why_not(db: sqlite_utils.Database, setup_id: int, action: str) -> str:
    """Why ``action`` cannot be asked for now, in Chinese ("" when it can)."""
    if action not in LABELS:
        return "未知的操作。"
    if st.step(db, setup_id, st.AUDIT)["state"] != st.WAITING:
        return "只有正在微信审核中的版本才能撤回或加急。"
    if (found := open_action(db, setup_id)) is not None:
        return f"上一个请求（{LABELS[found['action']]}）还在处理中。"
    if action == SPEEDUP and _sped_up(db, setup_id):
        return "这次审核已经加急过了。"
    return ""


def _sped_up(db: sqlite_utils.Database, setup_id: int) -> bool:
    row = first(
        db,
        "SELECT id FROM setup_actions WHERE setup_id = ? AND action = ? AND outcome = ? "
        "AND auditid IS ?",
        [setup_id, SPEEDUP, DONE, auditid(db, setup_id)],
    )
    return row is not None


def request(db: sqlite_utils.Database, setup_id: int, action: str, by: str) -> bool:
    """Store staff's request for the worker; False when it cannot be asked for now."""
    now = time.time()
    with transaction(db):
        if why_not(db, setup_id, action):
            return False
        insert(db, "setup_actions", {
            "setup_id": setup_id, "action": action, "auditid": auditid(db, setup_id),
            "requested_at": now, "requested_by": by[:100], "due_at": now,
        })  # fmt: skip
        # The merchant's page shows the timeline too: no staff names on it.
        who = "商户" if by == MERCHANT else "平台客服"
        detail = f"{who}请求{LABELS[action]}，后台会在几秒内向微信提交"
        st.event(db, setup_id, st.AUDIT, st.WAITING, st.WAITING, detail, now)
    return True


# The worker's side (portal/tasks/golive_actions.py).


def due(db: sqlite_utils.Database, now: float, limit: int = 20) -> list[dict]:
    return list(
        db.query(
            "SELECT a.id, a.setup_id FROM setup_actions a JOIN setups u ON u.id = a.setup_id "
            "WHERE a.done_at IS NULL AND a.due_at <= ? "
            "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) ORDER BY a.due_at LIMIT ?",
            [now, now, limit],
        )
    )


def started(db: sqlite_utils.Database, action_id: int) -> None:
    """The call is about to be made (an unanswered undo is looked up before another)."""
    with transaction(db):
        db.execute(
            "UPDATE setup_actions SET started_at = ?, tries = tries + 1 WHERE id = ?",
            [time.time(), action_id],
        )


def later(db: sqlite_utils.Database, action_id: int, at: float, detail: str = "") -> None:
    """Not now (no token, no answer): due again at ``at``."""
    with transaction(db):
        db.execute(
            "UPDATE setup_actions SET due_at = ?, detail = ? WHERE id = ? AND done_at IS NULL",
            [at, detail[:500], action_id],
        )


def finish(
    db: sqlite_utils.Database,
    action_id: int,
    outcome: str,
    detail: str,
    errcode: int | None = None,
) -> None:
    """End the action once with its outcome; the result is a line of the timeline."""
    now = time.time()
    with transaction(db):
        row = get(db, action_id)
        if row is None or row["done_at"] is not None:
            return
        db.execute(
            "UPDATE setup_actions SET done_at = ?, due_at = NULL, outcome = ?, errcode = ?, "
            "detail = ? WHERE id = ?",
            [now, outcome, errcode, detail[:500], action_id],
        )
        state = st.step(db, row["setup_id"], st.AUDIT)["state"]
        line = f"{LABELS[row['action']]}{OUTCOME_LABELS[outcome]}：{detail}"
        st.event(db, row["setup_id"], st.AUDIT, state, state, line[:500], now)


def undone(db: sqlite_utils.Database, action_id: int, detail: str) -> None:
    """WeChat withdrew the audit: the audit step goes back to the merchant, who changes
    what they need and resubmits (``audits.resubmit``)."""
    with transaction(db):
        row = get(db, action_id)
        if row is None or row["done_at"] is not None:
            return
        if st.step(db, row["setup_id"], st.AUDIT)["state"] in (st.WAITING, st.WORKING):
            result = {"status": audits.WITHDRAWN, "withdrawn_by": row["requested_by"]}
            outcomes.needs_merchant(
                db, row["setup_id"], st.AUDIT, None, UNDONE_REASON, "客服已撤回代码审核", result
            )
        finish(db, action_id, DONE, detail)


# What the consoles read.


def step_label(name: str, state: str) -> str:
    """A step's state in words, the same on every page (merchant, partner, staff, health):
    the worker's own steps are never the merchant's to fill in."""
    if name == st.RELEASE and state == st.WAITING:
        return "等待 ICP 备案"  # 85020 before filing (portal.tasks.golive_release)
    if name in (st.DEPLOY, st.AUDIT, st.RELEASE) and state in (st.TODO, st.GIVEN):
        return "未开始" if state == st.TODO else "即将开始"
    return st.STATE_LABELS.get(state, state)


def current(rows: dict[str, dict]) -> dict:
    """The step a merchant is on: the first not done, with its label (live: all done)."""
    for name in PIPELINE:
        state = rows[name]["state"]
        if state != st.DONE:
            said = step_label(name, state)  # "微信审核中" names its step already
            label = said if said.startswith(TITLES[name]) else f"{TITLES[name]}：{said}"
            tone = TONES.get(state, "progress")
            return {"step": name, "state": state, "label": label, "tone": tone, "live": False}
    return {"step": None, "state": st.DONE, "label": "已上线", "tone": "ok", "live": True}


def standing(db: sqlite_utils.Database, submission_ids: Iterable[int]) -> dict[int, dict]:
    """For each submission that has a setup: the step it is on (``current``)."""
    ids = list(submission_ids)
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    found: dict[int, dict[str, dict]] = {}
    for row in db.query(
        f"SELECT u.submission_id, t.step, t.state FROM setups u "
        f"JOIN setup_steps t ON t.setup_id = u.id WHERE u.submission_id IN ({marks})",
        ids,
    ):
        found.setdefault(row["submission_id"], {})[row["step"]] = row
    return {sub_id: current(rows) for sub_id, rows in found.items() if set(PIPELINE) <= set(rows)}


def released(db: sqlite_utils.Database, partner_id: int) -> dict[int, int]:
    """How many of the partner's merchants went live, by signup link."""
    rows = db.execute(
        "SELECT s.link_id, count(DISTINCT u.id) FROM setups u "
        "JOIN submissions s ON s.id = u.submission_id JOIN signup_links l ON l.id = s.link_id "
        "JOIN setup_steps t ON t.setup_id = u.id AND t.step = ? AND t.state = ? "
        "WHERE l.partner_id = ? GROUP BY s.link_id",
        [st.RELEASE, st.DONE, partner_id],
    ).fetchall()
    return dict(rows)


def golive_call(endpoint: str) -> bool:
    return bool(codes.call_name(endpoint))


def timeline(db: sqlite_utils.Database, setup: dict) -> list[dict]:
    """The setup's changes, its go-live calls (the call log records the submission for
    them), the message pushes for its appid and the audits' screenshots, in time order."""
    items = [{"kind": "state", "at": e["at"], "row": e} for e in st.timeline(db, setup["id"])]
    for call in db.query(
        "SELECT * FROM api_calls WHERE submission_id = ? ORDER BY id", [setup["submission_id"]]
    ):
        if not golive_call(call["endpoint"]):
            continue
        entry = codes.api_entry(call["errcode"], call["errmsg"] or "", call=call["endpoint"])
        title = entry.title if call["errcode"] not in (None, 0) else ""
        items.append({"kind": "call", "at": call["at"], "row": call, "title": title})
    for push in db.query(
        "SELECT id, received_at, event, msg_type, outcome, applied_at FROM message_pushes "
        "WHERE appid = ? ORDER BY id",
        [setup["appid"]],
    ):
        items.append({"kind": "push", "at": push["received_at"], "row": push})
    items += _screenshots(db, setup["id"])
    return sorted(items, key=lambda item: (item["at"], item["kind"]))


def _screenshots(db: sqlite_utils.Database, setup_id: int) -> list[dict]:
    """A rejected audit's screenshots the worker kept: one item per audit."""
    found: dict[int, dict] = {}
    for role, at in db.execute(
        "SELECT role, created_at FROM setup_files WHERE setup_id = ? AND step = ? "
        "AND role LIKE 'screenshot:%:%' ORDER BY id",
        [setup_id, st.AUDIT],
    ).fetchall():
        _kind, auditid, n = role.split(":")
        item = found.setdefault(int(auditid), {"kind": "shots", "at": at, "auditid": int(auditid)})
        item.setdefault("shots", []).append(int(n))
    return list(found.values())


def setup_for_appid(db: sqlite_utils.Database, appid: str) -> dict | None:
    return first(db, "SELECT * FROM setups WHERE appid = ?", [appid])
