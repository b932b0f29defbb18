"""Which failure gets which retry policy: the one table the worker follows.

Every retry is bounded. A per-submission task (create, the resolution of an unanswered
create, api_query_auth) tries at most ``tries`` times with exponential backoff, then
holds the submission for staff. Background upkeep (the component token, authorizer
tokens) never gives up, but backs off to at most ``MAX_UPKEEP_DELAY`` between tries.

The classes:
- ``fixable``: the merchant's input is wrong; the submission is rejected at once.
- ``transient``: WeChat answered that it is busy (-1, 89247, 45011, token codes);
  nothing was created, so sending again is safe: backoff, then hold.
- ``quota``: the platform's daily quota is spent (45009); it returns at the next
  Beijing day, so try again then, for a few days, then hold.
- ``operator``: the platform's configuration is wrong (61004, 89254, 40125, …):
  retrying cannot help until an operator acts, so hold at once.
- ``unknown``: an errcode the catalogue does not know: an operator problem too,
  shown on the health page, never silently retried.
- ``unanswered``: no usable answer (timeout, 5xx, connection lost, crash before the
  answer was stored). WeChat may have acted, or may still act, on the request, so the
  create is never simply sent again: see ``portal.tasks.resolve``.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.timefmt import day_start
from portal.wechat import codes

FIXABLE, TRANSIENT, QUOTA, OPERATOR, UNKNOWN, UNANSWERED = (
    "fixable",
    "transient",
    "quota",
    "operator",
    "unknown",
    "unanswered",
)
REJECT, RETRY, HOLD, RESOLVE = "reject", "retry", "hold", "resolve"
MAX_UPKEEP_DELAY = 3600.0
QUOTA_ERRCODE = 45009


@dataclass(frozen=True)
class Policy:
    action: str  # reject, retry, hold or resolve (find out whether WeChat has the task)
    tries: int = 1  # how many tries in all before the submission is held
    backoff: float = 2.0  # each delay is this many times the one before


POLICIES: dict[str, Policy] = {
    FIXABLE: Policy(REJECT),
    TRANSIENT: Policy(RETRY, tries=6),
    QUOTA: Policy(RETRY, tries=3),
    OPERATOR: Policy(HOLD),
    UNKNOWN: Policy(HOLD),
    UNANSWERED: Policy(RESOLVE, tries=8),
}


def classify(errcode: int | None, entry: codes.Entry) -> str:
    """The failure class of a WeChat answer (``errcode`` None: no usable answer)."""
    if errcode is None:
        return UNANSWERED
    if errcode == QUOTA_ERRCODE:
        return QUOTA
    if not entry.known:
        return UNKNOWN
    return {codes.FIXABLE: FIXABLE, codes.TRANSIENT: TRANSIENT}.get(entry.kind, OPERATOR)


def delay(failure: str, tries_so_far: int, base: float, now: float) -> float | None:
    """Seconds to wait before try number ``tries_so_far + 1``; None when it must not happen."""
    policy = POLICIES[failure]
    if policy.action in (REJECT, HOLD) or tries_so_far >= policy.tries:
        return None
    if failure == QUOTA:
        return day_start(now) + 86400 - now + 60  # just after the next Beijing midnight
    return base * policy.backoff ** max(tries_so_far - 1, 0)


def upkeep_delay(failures: int, base: float) -> float:
    """Background upkeep: exponential backoff up to ``MAX_UPKEEP_DELAY``, for ever."""
    return min(max(base, 1.0) * 2.0 ** min(failures, 20), MAX_UPKEEP_DELAY)
