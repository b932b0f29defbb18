"""Go-live: apply the audit, name and category pushes the message URL recorded
(``golive.messages``); no WeChat call, so no lease beyond each push's transaction."""

from __future__ import annotations

from portal.golive import messages, platform
from portal.tasks.context import Context

NAME = "golive.messages"


def due(ctx: Context, now: float) -> list[dict]:
    return [{"pending": True}]


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return item


def run(ctx: Context, item: dict) -> None:
    messages.apply_pending(ctx.db, platform.get(ctx.db).release_policy == "auto")
