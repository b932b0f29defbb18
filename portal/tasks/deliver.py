"""Deliver the webhook outbox (``registration.delivery``), on its own connection and
thread, so a slow receiver never delays WeChat work."""

from __future__ import annotations

from portal.registration.delivery import Deliverer

NAME = "deliver"


def due(deliverer: Deliverer, now: float) -> list[dict]:
    return [{"id": None}]


def claim(deliverer: Deliverer, item: dict, now: float) -> dict | None:
    return item  # each delivery row is claimed with its own lease inside ``run_once``


def run(deliverer: Deliverer, item: dict) -> None:
    deliverer.run_once()
