"""Operator alerts: each condition raised once per episode, cleared when it ends.

The worker's ``alerts`` kind (portal/tasks/alerts.py) observes each condition on an
interval and calls ``observe``: a condition that starts (or starts again after it was
cleared) raises one episode and queues one SMS to each operator phone; one that goes on
sends nothing more; one that ends clears the episode. One row per condition
(``sms_alerts``); its ``raised_at`` names the episode in each message's unique key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import sqlite_utils

from portal.db import first, transaction
from portal.notify.outbox import operator_alert

#: Condition → the value of the alert template (at most 6 characters) and what it means.
CONDITIONS: dict[str, tuple[str, str]] = {
    "ticket_stale": ("票据超时", "component_verify_ticket 超过健康页的阈值没有更新"),
    "held": ("有暂停申请", "有申请或上线步骤暂停，等待客服处理"),
    "quota_used_up": ("提审额度用尽", "本月的代码提审额度已用完"),
    "replication_stopped": ("数据库复制停", "数据库的持续复制停止或落后，磁盘损坏时会丢数据"),
}


def observe(
    db: sqlite_utils.Database,
    condition: str,
    active: bool,
    detail: str,
    phones: Sequence[str],
    now: float | None = None,
    on_raise: Callable[[str, str, float], None] | None = None,
) -> str | None:
    """Record what ``condition`` is now; 'raised', 'cleared', or None (no change).

    ``on_raise(condition, detail, now)`` runs inside the same transaction when an episode
    starts: the worker enqueues the ``platform.alert`` webhook event there, so the SMS and
    the event are recorded together or not at all.
    """
    now = time.time() if now is None else now
    with transaction(db):
        row = first(db, "SELECT * FROM sms_alerts WHERE condition = ?", [condition])
        ongoing = row is not None and row["cleared_at"] is None
        if active and not ongoing:
            db.execute(
                "INSERT INTO sms_alerts (condition, raised_at, detail) VALUES (?, ?, ?) "
                "ON CONFLICT(condition) DO UPDATE SET raised_at = excluded.raised_at, "
                "detail = excluded.detail, cleared_at = NULL",
                [condition, now, detail[:300]],
            )
            operator_alert(db, phones, CONDITIONS[condition][0], f"{condition}:{now:.3f}", now)
            if on_raise is not None:
                on_raise(condition, detail, now)
            return "raised"
        if not active and ongoing:
            db.execute("UPDATE sms_alerts SET cleared_at = ? WHERE condition = ?", [now, condition])
            return "cleared"
    return None
