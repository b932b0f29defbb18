"""The SMS outbox as the admin's health page shows it: queued, failed, last sent."""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import first
from portal.notify.moments import MOMENTS
from portal.notify.phones import mask
from portal.timefmt import day_start


def outbox_figures(db: sqlite_utils.Database, now: float | None = None) -> dict:
    now = time.time() if now is None else now
    counts = dict(db.execute("SELECT state, count(*) FROM sms_messages GROUP BY state").fetchall())
    failed_today = db.execute(
        "SELECT count(*) FROM sms_messages WHERE state = 'failed' AND updated_at >= ?",
        [day_start(now)],
    ).fetchone()[0]
    last = first(
        db, "SELECT * FROM sms_messages WHERE state = 'sent' ORDER BY sent_at DESC LIMIT 1"
    )
    last_failed = first(
        db, "SELECT * FROM sms_messages WHERE state = 'failed' ORDER BY updated_at DESC LIMIT 1"
    )
    alerts = list(db.query("SELECT * FROM sms_alerts WHERE cleared_at IS NULL ORDER BY raised_at"))

    def shown(row: dict | None) -> dict | None:
        if row is None:
            return None
        title = MOMENTS[row["moment"]].title if row["moment"] in MOMENTS else row["moment"]
        return {**row, "title": title, "phone": mask(row["phone"])}

    return {
        "queued": counts.get("queued", 0) + counts.get("sending", 0),
        "sent": counts.get("sent", 0),
        "failed": counts.get("failed", 0),
        "failed_today": failed_today,
        "dropped": counts.get("dropped", 0),
        "last_sent": shown(last),
        "last_failed": shown(last_failed),
        "alerts": alerts,
    }
