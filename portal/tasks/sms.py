"""Deliver the SMS outbox (``notify.delivery``), on the notifier's own connection and
thread (beside the webhooks'), so a slow SMS provider never delays WeChat work."""

from __future__ import annotations

from portal.notify.delivery import Notifier, run_once

NAME = "sms"


def due(notifier: Notifier, now: float) -> list[dict]:
    return [{"id": None}] if notifier.provider is not None else []


def claim(notifier: Notifier, item: dict, now: float) -> dict | None:
    return item  # each message is claimed with its own lease inside ``run_once``


def run(notifier: Notifier, item: dict) -> None:
    run_once(notifier)
