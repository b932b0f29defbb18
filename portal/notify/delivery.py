"""The worker's side of the SMS outbox: claim what is due, check it, send it, record it.

Before a message goes: the merchant still consents, it is not older than
``PORTAL_SMS_MAX_AGE`` (a reminder sent hours late misleads), the phone has had fewer
than ``PORTAL_SMS_PER_HOUR`` / ``PORTAL_SMS_PER_DAY`` texts (otherwise it waits, no try
spent), each value passes Tencent's rules and the text holds no secret (``masking``).
A failure that a retry may fix is tried again after ``PORTAL_SMS_RETRY_DELAY``,
doubling, ``PORTAL_SMS_MAX_TRIES`` tries in all; any other is failed at once. A message
whose send was interrupted (the worker died mid-call) may have gone: it is failed, not
sent again, so a moment never reaches a phone twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
import sqlite_utils

from portal.db import first, transaction
from portal.notify import consent, masking, moments, settings
from portal.notify.providers import Answer, Outgoing, Provider, SandboxProvider
from portal.notify.tencent import TencentProvider

log = logging.getLogger(__name__)
LEASE = 60.0  # seconds a claimed message is ours
BATCH = 20
BACKOFF_CAP = 3600.0
#: Finished messages keep only a masked phone after this long (the rate limit needs a day).
KEEP_PHONE = 2 * 86400
#: How often a round masks the phones of finished messages (a write, so not every round).
FORGET_EVERY = 600.0


class Notifier:
    """The SMS work's context: its own connection, the settings and the provider."""

    def __init__(
        self, db: sqlite_utils.Database, config: Mapping[str, Any], provider: Provider | None
    ) -> None:
        self.db = db
        self.config = config
        self.provider = provider
        self.alerts_checked_at = time.time()  # the first look after one interval
        self.phones_forgotten_at = 0.0  # the first round masks what is due at once


def make_provider(config: Mapping[str, Any], http: httpx.Client | None = None) -> Provider | None:
    """The configured provider, or None when SMS are off."""
    chosen = settings.provider(config)[0]
    url = settings.endpoint(config, chosen)
    if chosen == "tencent":
        return TencentProvider(
            str(config.get("SMS_SECRET_ID") or ""),
            str(config.get("SMS_SECRET_KEY") or ""),
            str(config.get("SMS_SDK_APP_ID") or ""),
            str(config.get("SMS_REGION") or ""),
            url,
            float(config.get("SMS_TIMEOUT", 10.0)),
        )
    if chosen == "sandbox":
        client = http or httpx.Client(timeout=float(config.get("SMS_TIMEOUT", 10.0)))
        return SandboxProvider(url, str(config.get("SMS_SDK_APP_ID") or ""), client)
    return None


def backoff(tries: int, delay: float) -> float:
    """Seconds before try ``tries + 1``: ``delay``, doubling, at most an hour."""
    return min(BACKOFF_CAP, max(delay, 1.0) * 2 ** max(tries - 1, 0))


def rate_wait(
    db: sqlite_utils.Database, phone: str, per_hour: int, per_day: int, now: float
) -> float:
    """Seconds until ``phone`` may get another text (0: now)."""
    wait = 0.0
    for limit, window in ((per_hour, 3600.0), (per_day, 86400.0)):
        if limit <= 0:
            continue
        times = [
            at
            for (at,) in db.execute(
                "SELECT sent_at FROM sms_messages WHERE phone = ? AND state = 'sent' "
                "AND sent_at > ? ORDER BY sent_at DESC LIMIT ?",
                [phone, now - window, limit],
            )
        ]
        if len(times) >= limit:
            wait = max(wait, times[-1] + window - now)
    return wait


def _finish(db, row: dict, state: str, answer: str, now: float, **more: Any) -> None:
    sets = {"state": state, "answer": answer[:300], "claimed_until": None, "updated_at": now}
    sets.update(more)
    assignments = ", ".join(f"{column} = ?" for column in sets)
    with transaction(db):
        db.execute(
            f"UPDATE sms_messages SET {assignments} WHERE id = ?", [*sets.values(), row["id"]]
        )


def template_id(config: Mapping[str, Any], moment: str, provider_name: str) -> str:
    """The approved template's id; the sandbox stands in one per moment when unset."""
    configured = settings.templates(config).get(moment, "")
    if configured or provider_name != "sandbox":
        return configured
    return str(1000000 + list(moments.MOMENTS).index(moment))


def outgoing(notifier: Notifier, row: Mapping[str, Any]) -> Outgoing:
    config = notifier.config
    params = tuple(json.loads(row["params"] or "[]"))
    link = (
        moments.link_line(config) if moments.MOMENTS[row["moment"]].audience == "merchant" else ""
    )
    sign = settings.sign_name(config)
    text = moments.render(row["moment"], params, settings.platform_name(config), link, sign)
    name = notifier.provider.name if notifier.provider else ""
    return Outgoing(row["phone"], row["moment"], template_id(config, row["moment"], name),
                    params, text, sign)  # fmt: skip


def blocked(notifier: Notifier, row: Mapping[str, Any], message: Outgoing) -> str | None:
    """Why this message must not go (a value Tencent refuses, a leak), or None."""
    for value in message.params:
        if problem := moments.param_problem(value):
            return f"{problem}：{value[:2]}…"
    submission = None
    if row["submission_id"] is not None:
        submission = first(
            notifier.db, "SELECT * FROM submissions WHERE id = ?", [row["submission_id"]]
        )
    found = masking.leaks(message.text, masking.forbidden(submission, notifier.config))
    return f"短信里含有不应发送的内容（{', '.join(found)}），已拦截" if found else None


def claim(db: sqlite_utils.Database, now: float, limit: int = BATCH) -> list[dict]:
    """Take the due messages (one process at a time); fail those whose send was cut off.

    A read first: an idle round (the common case, every interval) takes no write lock."""
    due = db.execute(
        "SELECT 1 FROM sms_messages WHERE (state = 'queued' AND next_try_at <= ?) "
        "OR (state = 'sending' AND claimed_until <= ?) LIMIT 1",
        [now, now],
    ).fetchone()
    if due is None:
        return []
    with transaction(db):
        db.execute(
            "UPDATE sms_messages SET state = 'failed', claimed_until = NULL, updated_at = ?, "
            "answer = '发送时进程中断，结果未知；为免重复，不再重发' "
            "WHERE state = 'sending' AND claimed_until <= ?",
            [now, now],
        )
        rows = list(
            db.query(
                "SELECT * FROM sms_messages WHERE state = 'queued' AND next_try_at <= ? "
                "ORDER BY next_try_at, id LIMIT ?",
                [now, limit],
            )
        )
        for row in rows:
            db.execute(
                "UPDATE sms_messages SET state = 'sending', claimed_until = ? WHERE id = ?",
                [now + LEASE, row["id"]],
            )
    return rows


def deliver(notifier: Notifier, row: dict, now: float) -> str:
    """Carry one claimed message to its end or its next try; return its state."""
    db, config = notifier.db, notifier.config
    if row["audience"] == moments.MERCHANT and not consent.active(db, row["submission_id"]):
        _finish(db, row, "dropped", "商户已关闭短信通知", now)
        return "dropped"
    if now - row["created_at"] > float(config.get("SMS_MAX_AGE", 21600)):
        _finish(db, row, "dropped", "超过 PORTAL_SMS_MAX_AGE 仍未发出，已过时，不再发送", now)
        return "dropped"
    per_hour, per_day = int(config.get("SMS_PER_HOUR", 5)), int(config.get("SMS_PER_DAY", 10))
    wait = rate_wait(db, row["phone"], per_hour, per_day, now)
    if wait > 0:
        _finish(
            db, row, "queued", "本手机号短信已达频率上限，稍后发送", now, next_try_at=now + wait
        )
        return "queued"
    message = outgoing(notifier, row)
    if reason := blocked(notifier, row, message):
        log.error("SMS %s blocked: %s", row["id"], reason)
        _finish(db, row, "failed", reason, now)
        return "failed"
    answer: Answer = notifier.provider.send(message)  # type: ignore[union-attr]
    tries = row["tries"] + 1
    if answer.ok:
        _finish(db, row, "sent", answer.short(), now, tries=tries, sent_at=now,
                serial=answer.serial, text=message.text, provider=notifier.provider.name)  # type: ignore[union-attr]  # fmt: skip
        return "sent"
    if answer.retry and tries < int(config.get("SMS_MAX_TRIES", 5)):
        later = now + backoff(tries, float(config.get("SMS_RETRY_DELAY", 60)))
        _finish(db, row, "queued", answer.short(), now, tries=tries, next_try_at=later)
        return "queued"
    log.warning("SMS %s (%s) failed: %s", row["id"], row["moment"], answer.code)
    _finish(db, row, "failed", answer.short(), now, tries=tries, text=message.text)
    return "failed"


def forget_phones(db: sqlite_utils.Database, now: float) -> None:
    """Finished messages past ``KEEP_PHONE`` keep only a masked phone."""
    with transaction(db):
        db.execute(
            "UPDATE sms_messages SET phone = substr(phone, 4, 3) || '****' || substr(phone, -4) "
            "WHERE state IN ('sent', 'failed', 'dropped') AND updated_at < ? AND phone LIKE '+86%'",
            [now - KEEP_PHONE],
        )


def run_once(notifier: Notifier, now: float | None = None) -> dict[str, int]:
    """One round: every due message to its end or next try; counts by outcome."""
    now = time.time() if now is None else now
    outcomes: dict[str, int] = {}
    for row in claim(notifier.db, now):
        try:
            state = deliver(notifier, row, now)
        except Exception:  # one bad message must not stop the others
            log.exception("SMS %s could not be delivered; retrying later", row["id"])
            state = "queued"
            _finish(notifier.db, row, "queued", "平台内部错误，稍后重试", now,
                    next_try_at=now + backoff(row["tries"] + 1, 60.0), tries=row["tries"] + 1)  # fmt: skip
        outcomes[state] = outcomes.get(state, 0) + 1
    if now - notifier.phones_forgotten_at >= FORGET_EVERY:
        forget_phones(notifier.db, now)
        notifier.phones_forgotten_at = now
    return outcomes
