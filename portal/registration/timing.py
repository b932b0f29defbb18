"""The worker's clock: WeChat's windows and the portal's schedules, from the settings.

WeChat's own values are the defaults, so tests can compress time without the code
knowing (PORTAL_LEGAL_PERSON_WINDOW, PORTAL_SEARCH_SCHEDULE, PORTAL_SEARCH_TAIL, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_SCHEDULE = (600.0, 1800.0, 3600.0, 14400.0, 43200.0, 86400.0, 90000.0)


@dataclass(frozen=True)
class Timing:
    window: float = 86400.0  # the legal person's 24 hours
    schedule: tuple[float, ...] = DEFAULT_SCHEDULE  # searches, seconds after sending
    tail: float = 3600.0  # then one search this often, until WeChat answers finally
    grace: float = 3600.0  # after the deadline, before silence is looked into
    settle: float = 300.0  # how long WeChat may still act on an unanswered create
    retry_delay: float = 60.0  # the first retry's delay; the policy table doubles it
    call_timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Timing:
        schedule = tuple(
            float(s) for s in str(config.get("SEARCH_SCHEDULE", "")).split(",") if s.strip()
        )
        return cls(
            window=float(config.get("LEGAL_PERSON_WINDOW", cls.window)),
            schedule=schedule,
            tail=max(float(config.get("SEARCH_TAIL", cls.tail)), 1.0),
            grace=float(config.get("SILENCE_GRACE", cls.grace)),
            settle=float(config.get("CREATE_SETTLE", cls.settle)),
            retry_delay=float(config.get("SEND_RETRY_DELAY", cls.retry_delay)),
            call_timeout=float(config.get("WECHAT_TIMEOUT", cls.call_timeout)),
        )

    @property
    def lease(self) -> float:
        """How long one piece of work holds its submission: a call, and a margin."""
        return self.call_timeout + max(self.retry_delay, 1.0)

    def next_search(self, sent_at: float | None, done: int, now: float) -> float:
        """When search number ``done + 1`` is due: the schedule, then the tail, for ever."""
        if done < len(self.schedule) and sent_at is not None:
            return max(sent_at + self.schedule[done], now)
        return now + self.tail
