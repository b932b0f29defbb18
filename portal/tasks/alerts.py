"""Operator alerts: every ``PORTAL_SMS_ALERT_INTERVAL`` seconds, look at the conditions
an operator must hear about and record each episode once (``notify.alerts``):

- the ticket is stale: no ``component_verify_ticket`` for longer than the health page's
  threshold (``health.TICKET_STALE_AFTER``), or none ever;
- submissions or go-live steps are held for staff (more than none);
- this month's go-live submit quota is used up (``golive.quota``, as WeChat last said);
- the database's continuous replication has stopped or lags past its threshold
  (``replication.replication_status``; not while replication is off outside production).

Each episode also becomes a ``platform.alert`` webhook event for endpoints that subscribe.
"""

from __future__ import annotations

import time

from portal import replication
from portal.golive import quota
from portal.health import platform_health
from portal.notify import alerts, settings
from portal.notify.delivery import Notifier
from portal.registration import outbox

NAME = "alerts"
ALERT_EVENT = "platform.alert"


def due(notifier: Notifier, now: float) -> list[dict]:
    every = float(notifier.config.get("SMS_ALERT_INTERVAL", 60.0))
    return [{"id": None}] if now - notifier.alerts_checked_at >= every else []


def claim(notifier: Notifier, item: dict, now: float) -> dict | None:
    notifier.alerts_checked_at = now
    return item


def conditions(notifier: Notifier, now: float) -> dict[str, tuple[bool, str]]:
    """Each condition: (holds now, what the admin reads)."""
    db = notifier.db
    health = platform_health(db, now)
    held = db.execute("SELECT count(*) FROM submissions WHERE state = 'held'").fetchone()[0]
    held_steps = db.execute("SELECT count(*) FROM setup_steps WHERE state = 'held'").fetchone()[0]
    spent = quota.last(db, now) or {}
    age = health["ticket_age_seconds"]
    return {
        "ticket_stale": (
            bool(health["ticket_stale"]),
            "从未收到 component_verify_ticket" if age is None else f"票据已 {age // 60} 分钟未更新",
        ),
        "held": (held + held_steps > 0, f"{held} 个申请、{held_steps} 个上线步骤暂停，等待客服"),
        "quota_used_up": (bool(spent.get("used_up")), "本月的代码提审额度已用完"),
        "replication_stopped": _replication(notifier, now),
    }


def _replication(notifier: Notifier, now: float) -> tuple[bool, str]:
    production = notifier.config.get("ENV") == "production"
    status = replication.replication_status(notifier.config, now)
    if status.state == replication.OFF and not production:
        return False, ""
    return not status.ok, replication.explain(status, production)


def run(notifier: Notifier, item: dict) -> None:
    now = time.time()
    phones = settings.operator_phones(notifier.config)
    db = notifier.db

    def webhook(condition: str, detail: str, at: float) -> None:
        snapshot = {"condition": condition, "detail": detail, "raised_at": at}
        outbox.enqueue(db, ALERT_EVENT, f"alert:{condition}", snapshot, now=at)

    for condition, (active, detail) in conditions(notifier, now).items():
        alerts.observe(db, condition, active, detail, phones, now, on_raise=webhook)
