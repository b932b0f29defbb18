"""Whether the merchant may ask for an expedited audit (``speedupaudit``) from the
checklist, read from the database only: the audit waits, no other request is open,
this audit was not sped up yet, and the platform's monthly speed-up quota (its last
``queryquota`` answer, kept by the worker) has some left. The request is stored with
``golive.actions.request`` and carried out by the worker, like staff's.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from portal.golive import actions, quota
from portal.timefmt import beijing


@dataclass(frozen=True)
class Speedup:
    can: bool
    why_not: str = ""  # in Chinese, when it cannot be asked for
    rest: int | None = None  # speed-ups the platform has left this month
    limit: int | None = None
    asked_at: float | None = None  # when WeChat said so
    last: dict | None = None  # this audit's last speed-up request, with its outcome


def speedup_of(db: sqlite_utils.Database, setup_id: int) -> Speedup:
    auditid = actions.auditid(db, setup_id)
    last = next(
        (a for a in actions.history(db, setup_id)
         if a["action"] == actions.SPEEDUP and a["auditid"] == auditid),
        None,
    )  # fmt: skip
    found = quota.last(db)
    known = found is not None and not found["never"]
    rest = found["speedup_rest"] if known else None
    limit = found["speedup_limit"] if known else None
    asked = found["answered_at"] if known else None
    said = actions.why_not(db, setup_id, actions.SPEEDUP)
    if not said and not known:
        said = (
            "平台还没有查到本月还能加急几次，暂时不能申请；平台每小时向微信查询一次，请稍后再来看。"
        )
    elif not said and (rest or 0) <= 0:
        said = (
            f"本月平台的加急次数已用完（共 {limit} 次），{beijing(found['resets_at'], '%m月%d日')}"
            "起恢复。审核会按正常速度进行，无需您操作。"
        )
    return Speedup(not said, said, rest, limit, asked, last)
