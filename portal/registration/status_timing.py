"""When things happened and when a resubmission may go: the status page's timing hints.

Read from the portal's database only. ``retry_hint`` words when to try again after a
"later" outcome; ``resubmit_allowed_at`` is when WeChat takes the company's next create
after 89249.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from portal.registration import same_company
from portal.registration import submissions as subs
from portal.timefmt import BEIJING, beijing
from portal.wechat import codes

#: WeChat refuses a create while the company's last task runs: 24 hours after it began.
TASK_RUNNING_WAIT = 24 * 3600


def add_working_days(start: float, days: int) -> datetime:
    """The Beijing day ``days`` working days (Monday to Friday) after ``start``."""
    day = datetime.fromtimestamp(start, BEIJING)
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def retry_hint(db: sqlite_utils.Database, sub: dict, entry: codes.Entry) -> str:
    """When to submit again after an outcome that says "later"; "" for any other."""
    if entry.resubmit != "later":
        return ""
    if entry.code == 105 and sub["push_status"] == 105:
        start = add_working_days(sub["updated_at"], 5).strftime("%m月%d日")
        end = add_working_days(sub["updated_at"], 15).strftime("%m月%d日")
        return f"工商数据通常在 5–15 个工作日内更新，建议在 {start} 至 {end} 之间重新提交。"
    wait = _task_running_wait(db, sub) if entry.code == codes.TASK_RUNNING else None
    if wait is not None:
        previous, allowed = wait
        if previous and previous + TASK_RUNNING_WAIT == allowed:
            return (
                f"该企业的上一个任务提交于 {beijing(previous)}，微信要等它结束，"
                f"最晚可在 {beijing(allowed)} 之后再次提交。"
            )
        return f"该企业已有一个进行中的任务，微信要等它结束，最晚可在 {beijing(allowed)} 之后再次提交。"
    return f"建议{entry.resubmit_after}再次提交。"


def _task_running_wait(
    db: sqlite_utils.Database, sub: Mapping[str, Any]
) -> tuple[float | None, float] | None:
    """(the company's previous create, when WeChat takes the next) after ``sub`` met 89249.

    24 hours after the task it is waiting for began: the portal's own earlier one of
    the same company (``same_company``: by code or by name), or, when that cannot be it
    (none, or already past), a task made elsewhere, which began before this create was
    answered.
    """
    if sub["state"] != subs.REJECTED or sub["errcode"] != codes.TASK_RUNNING:
        return None
    refused_at = sub["sent_at"] or sub["updated_at"]
    previous = same_company.last_sent_at(db, sub)
    if previous and previous + TASK_RUNNING_WAIT > refused_at:
        return previous, previous + TASK_RUNNING_WAIT
    return previous, refused_at + TASK_RUNNING_WAIT


def resubmit_allowed_at(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> float | None:
    """When WeChat takes this company's next create after ``sub`` met 89249; None: no wait."""
    wait = _task_running_wait(db, sub)
    return wait[1] if wait else None
