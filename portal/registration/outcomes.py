"""What WeChat's answers, pushes and look-ups do to a submission: the one place that decides.

Every decision reads the submission inside its own write transaction and decides on
that fresh row, so nothing is decided on a row another process has just moved.
Nothing moves backwards (``rank``), an answer is never dropped, and every write is
checked against what its state requires (``require``). docs/worker.md has the rules.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import Accepted
from portal.registration.timing import Timing
from portal.wechat.client import WeChatError

log = logging.getLogger(__name__)

RANK = {
    subs.QUEUED: 0,
    subs.SENDING: 1,
    subs.CHECKING: 2,
    subs.AWAITING: 3,
    subs.REJECTED: 4,
    subs.FAILED: 4,
    subs.EXPIRED: 4,
    subs.SUCCEEDED: 5,
    subs.AUTHORIZED: 6,
}
ORPHAN_DETAIL = (
    "微信已有本企业的注册任务，但上次提交没有收到微信的答复，因此没有验证链接；"
    "该任务结束后平台会自动重新提交"
)
#: How often a lost success is looked for before staff are asked to look.
RECOVER_TRIES = 8


class InvariantBroken(RuntimeError):
    """A write would leave a submission without what its state requires (a bug)."""


def rank(row: Mapping[str, Any]) -> int:
    state = row["held_from"] if row["state"] == subs.HELD else row["state"]
    return RANK.get(state or subs.QUEUED, 0)


def require(row: Mapping[str, Any]) -> None:
    """Raise unless ``row`` has what its state requires."""
    state, missing = row["state"], []
    if state == subs.SENDING and row.get("claimed_until") is None:
        missing.append("a lease (claimed_until)")
    if state in (subs.CHECKING, subs.AWAITING):
        missing += [c for c in ("deadline_at", "next_search_at") if row.get(c) is None]
    if state in (subs.SUCCEEDED, subs.AUTHORIZED) and not row.get("appid"):
        missing.append("an appid")
    if state == subs.HELD and not (row.get("held_from") and row.get("errmsg")):
        missing.append("held_from and a reason")
    if missing:
        raise InvariantBroken(f"submission {row['id']} in {state} lacks {', '.join(missing)}")


Decision = tuple[str, str, dict[str, Any]] | None  # (to_state, detail, columns) or nothing


def decide(
    db: sqlite_utils.Database,
    submission_id: int,
    rule: Callable[[dict], Decision],
    now: float | None = None,
) -> dict | None:
    """Read the submission in a write transaction, apply ``rule``'s decision, return the row."""
    now = time.time() if now is None else now
    with transaction(db):
        current = subs.get(db, submission_id)
        decision = rule(current) if current is not None else None
        if decision is None:
            return None
        to_state, detail, changes = decision
        if current.get("refused") and to_state != subs.EXPIRED:
            # ``refused`` says why a task expired: moved on (a success found after a
            # stale refusal, a resend), the submission no longer ends in one.
            changes = {**changes, "refused": 0}
        require({**current, **changes, "state": to_state})
        return subs.write(db, current, to_state, detail, now, **changes)


def counts(row: Mapping[str, Any]) -> dict[str, int]:
    try:
        found = json.loads(row.get("retry_counts") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


# The create.


def claim_send(db: sqlite_utils.Database, sub_id: int, timing: Timing, now: float) -> dict | None:
    """queued → sending, with the lease; None if another process has it or it moved on."""

    def rule(row: dict) -> Decision:
        lease_free = (row["claimed_until"] or 0) <= now
        if row["state"] != subs.QUEUED or (row["next_attempt_at"] or 0) > now or not lease_free:
            return None
        return (
            subs.SENDING,
            "正在提交给微信",
            {
                "attempts": row["attempts"] + 1,
                "sent_at": now,
                "first_sent_at": row["first_sent_at"] or now,
                "claimed_until": now + timing.lease,
                "waiting_for": None,
            },
        )

    return decide(db, sub_id, rule, now)


def accepted(
    db: sqlite_utils.Database, sub_id: int, answer: Accepted, timing: Timing, now: float
) -> dict | None:
    """WeChat took the task. Its answer is stored even if a push already moved the row on."""

    def rule(row: dict) -> Decision:
        target = answer.state if rank(row) < RANK[answer.state] else row["state"]
        if row["state"] == subs.HELD:
            target = answer.state
        keep = {k: v for k, v in answer.updates.items() if v and not row.get(k)}
        changes: dict[str, Any] = {
            **keep,
            "claimed_until": None,
            "retry_counts": "{}",
            "held_from": None if target != subs.HELD else row["held_from"],
            "waiting_for": None,
        }
        if rank(row) <= RANK[subs.AWAITING]:
            changes.update(errcode=0, errmsg="")
        if target in (subs.CHECKING, subs.AWAITING):
            changes["deadline_at"] = row["deadline_at"] or now + timing.window
            changes["next_search_at"] = row["next_search_at"] or timing.next_search(now, 0, now)
        detail = answer.detail if target != row["state"] else "已收到微信对本次提交的答复"
        return target, detail, changes

    return decide(db, sub_id, rule, now)


def unanswered(db: sqlite_utils.Database, sub_id: int, exc: WeChatError, timing: Timing) -> None:
    """No usable answer to the create: keep it in sending until it is resolved."""
    now = time.time()
    log.warning("create for submission %s unanswered: %s", sub_id, exc)

    def rule(row: dict) -> Decision:
        if row["state"] != subs.SENDING:
            return None  # a push already told us
        return (
            subs.SENDING,
            "",
            {
                "maybe_sent": 1,
                "errmsg": exc.errmsg[:300],
                "claimed_until": now + timing.retry_delay,
            },
        )

    decide(db, sub_id, rule, now)


def rejected(db: sqlite_utils.Database, sub_id: int, exc: WeChatError) -> None:
    """WeChat refused the create: the merchant must fix something."""

    def rule(row: dict) -> Decision:
        if row["state"] != subs.SENDING:
            return None
        return (
            subs.REJECTED,
            f"微信拒绝：{exc.entry.title}（{exc.errcode}）",
            {"errcode": exc.errcode, "errmsg": exc.errmsg[:300], "claimed_until": None},
        )

    decide(db, sub_id, rule)


def resend(db: sqlite_utils.Database, sub_id: int, detail: str, timing: Timing) -> None:
    """WeChat has no task for this create and cannot still make one: send again.

    Each resend is a try of the unanswered class; past the policy's tries, hold.
    """
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] != subs.SENDING:
            return None
        tried = counts(row)
        tried[retry.UNANSWERED] = tried.get(retry.UNANSWERED, 0) + 1
        changes: dict[str, Any] = {"retry_counts": json.dumps(tried), "held_from": None}
        if retry.delay(retry.UNANSWERED, tried[retry.UNANSWERED], timing.retry_delay, now) is None:
            changes.update(held_from=subs.SENDING, claimed_until=None)
            changes["errmsg"] = row["errmsg"] or "no answer from WeChat"
            return subs.HELD, "已暂停，等待平台处理：微信多次未答复", changes
        changes.update(claimed_until=None, next_attempt_at=now)
        return subs.QUEUED, detail, changes

    decide(db, sub_id, rule, now)


def orphan_wait(db: sqlite_utils.Database, sub_id: int, exc: WeChatError, timing: Timing) -> None:
    """v2 89249 after an unanswered create: our own task, without its link; wait it out."""
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] != subs.SENDING:
            return None
        return (
            subs.SENDING,
            ORPHAN_DETAIL,
            {
                "errcode": exc.errcode,
                "errmsg": exc.errmsg[:300],
                "claimed_until": now + timing.window + timing.grace,
            },
        )

    decide(db, sub_id, rule, now)


def failed_try(
    db: sqlite_utils.Database,
    sub_id: int,
    failure: str,
    exc: WeChatError,
    timing: Timing,
    *,
    expect: str,
) -> None:
    """A try failed: schedule the next by the policy table (tries counted per class), or hold.

    ``expect`` is the state the work was done in: sending (the create: back to queued,
    or the resolution: stays), or succeeded (the exchange: stays).
    """
    now = time.time()

    def rule(row: dict) -> Decision:
        if row["state"] != expect:
            return None
        tried = counts(row)
        tried[failure] = tried.get(failure, 0) + 1
        wait = retry.delay(failure, tried[failure], timing.retry_delay, now)
        changes: dict[str, Any] = {
            "retry_counts": json.dumps(tried),
            "retries": sum(tried.values()),
            "errcode": exc.errcode,
            "errmsg": exc.errmsg[:300],
            "waiting_for": None,
        }
        # Resolving an unanswered create stays in sending; a failed create was not made.
        back_to = subs.SENDING if expect == subs.SENDING and row["maybe_sent"] else expect
        if expect == subs.SENDING and not row["maybe_sent"]:
            back_to = subs.QUEUED
        if wait is None:
            log.error("submission %s held: %s — %s", sub_id, exc, exc.entry.next_step)
            changes.update(held_from=back_to, claimed_until=None, next_attempt_at=None)
            return subs.HELD, f"已暂停，等待平台处理：{exc.entry.title}", changes
        log.warning("submission %s: %s; next try in %.0fs", sub_id, exc, wait)
        if back_to == subs.SENDING:
            return subs.SENDING, "", {**changes, "claimed_until": now + wait}
        if back_to == subs.SUCCEEDED:
            changes.update(claimed_until=None, next_attempt_at=now + wait)
            return subs.SUCCEEDED, "", changes
        changes.update(claimed_until=None, next_attempt_at=now + wait)
        return subs.QUEUED, f"暂未提交：{exc.entry.title}，稍后自动重试", changes

    decide(db, sub_id, rule, now)
