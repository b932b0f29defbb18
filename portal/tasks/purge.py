"""Purge personal data past its retention (``registration.retention``), every ten minutes."""

from __future__ import annotations

from portal.registration import retention
from portal.tasks.context import Context

NAME = "purge"
EVERY = 600.0


def due(ctx: Context, now: float) -> list[dict]:
    return [{"id": None}] if now >= ctx.purged_at + EVERY else []


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    ctx.purged_at = now  # one purge per process every EVERY seconds; purging twice is harmless
    return item


def run(ctx: Context, item: dict) -> None:
    retention.run(ctx.db, float(ctx.config.get("PERSONAL_DATA_DAYS", 180)), actor="worker")
