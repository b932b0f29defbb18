"""Times are stored as Unix seconds and shown in Beijing time, as merchants read them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from flask import Flask

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(timestamp: float | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format a Unix timestamp in Beijing time; empty for None."""
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, BEIJING).strftime(fmt)


def day_start(timestamp: float) -> float:
    """The Unix time of midnight, Beijing time, on the day of ``timestamp``.

    "Today" means the Beijing day everywhere: dashboards, budgets, WeChat's daily quota.
    """
    local = datetime.fromtimestamp(timestamp, BEIJING)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def month_start_after(timestamp: float) -> float:
    """Midnight, Beijing time, of the first day of the month after ``timestamp``'s
    (WeChat's monthly quotas return then)."""
    local = datetime.fromtimestamp(timestamp, BEIJING)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=BEIJING).timestamp()


def date_start(day: date | None, extra_days: int = 0) -> float | None:
    """Midnight, Beijing time, of a date a person picked (plus ``extra_days``); None for None."""
    if day is None:
        return None
    return (datetime.combine(day, time.min, BEIJING) + timedelta(days=extra_days)).timestamp()


def init_app(app: Flask) -> None:
    app.add_template_filter(beijing)
