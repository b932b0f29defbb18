"""What a partner's merchant list says about each merchant, so the partner can help:
the step it is on, why it stopped (in plain Chinese), the time left, who to call.

The legal person's facts stay masked; the merchant's contact phone, which the merchant
gave for being helped, is shown to the partner it came through.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from portal.golive import actions as golive
from portal.golive import steps as st
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.status import StatusView
from portal.wechat import codes


@dataclass
class MerchantRow:
    view: StatusView
    phase: str  # 注册, or 上线进度 once the mini program exists
    step: str  # the registration's state, or the go-live step
    tone: str
    reason: str  # why it stopped or waits, and who acts; "" while all is well
    time_left: str  # the legal person's window, while it runs
    deadline_at: float | None

    @property
    def sub(self) -> dict:
        return self.view.sub


def time_left(deadline_at: float | None, now: float | None = None) -> str:
    """ "剩 5 小时 03 分" while the window runs, "已超时" after it."""
    left = status_view.seconds_left(deadline_at, now)
    if left is None:
        return ""
    if left == 0:
        return "已超时"
    return f"剩 {left // 3600} 小时 {left % 3600 // 60:02d} 分"


def _registration_reason(view: StatusView) -> str:
    sub = view.sub
    if view.entry is not None:
        return f"{view.entry.title}：{view.entry.next_step}"
    if sub["state"] == subs.HELD:
        held = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
        return (
            f"平台暂停处理（{held.title}），与商户填写的信息无关；平台客服正在处理，商户无需操作。"
        )
    if view.overdue:
        return "法人确认的 24 小时已过，正在等微信的最终结果；请商户留意进度页。"
    if sub["state"] == subs.AWAITING:
        return f"等法定代表人{view.flavor.landing_step}；请提醒法人在截止前完成。"
    return ""


def _golive_reasons(db: sqlite_utils.Database, on_step: dict[int, dict]) -> dict[int, str]:
    """Why a go-live step stopped, for the merchants whose current step is stuck."""
    stuck = {i: g["step"] for i, g in on_step.items() if g["state"] in (st.HELD, st.NEEDS_MERCHANT)}
    reasons = {}
    for sub_id, row in st.on_steps(db, stuck).items():
        title = golive.TITLES.get(row["step"], row["step"])
        said = (
            codes.golive_entry(row["errcode"], row["reason"] or "").title if row["errcode"] else ""
        )
        said = said or st.plain(row["reason"]).replace("\n", " ")[:120]
        if row["state"] == st.HELD:
            reasons[sub_id] = (
                f"“{title}”暂停（{said or '平台方面的问题'}）；平台客服正在处理，商户无需操作。"
            )
        else:
            reasons[sub_id] = (
                f"“{title}”需要商户修改{f'（{said}）' if said else ''}；请提醒商户打开进度页修改。"
            )
    return reasons


def rows(
    db: sqlite_utils.Database, submissions: Iterable[dict], now: float | None = None
) -> list[MerchantRow]:
    """The partner's list rows for ``submissions`` (already scoped to the partner)."""
    now = time.time() if now is None else now
    views = [status_view.view(db, sub) for sub in submissions]
    on_step = golive.standing(db, [v.sub["id"] for v in views])
    stuck = _golive_reasons(db, on_step)
    out = []
    for view in views:
        g = on_step.get(view.sub["id"])
        live = g is not None and view.sub["state"] == subs.AUTHORIZED
        out.append(
            MerchantRow(
                view=view,
                phase="上线进度" if live else "注册",
                step=g["label"] if live else view.label,
                tone=(g["tone"] or "progress") if live else view.tone,
                reason=stuck.get(view.sub["id"], "") if live else _registration_reason(view),
                time_left=time_left(view.deadline_at, now),
                deadline_at=view.deadline_at,
            )
        )
    return out
