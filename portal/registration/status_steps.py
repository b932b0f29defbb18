"""The current step in words: what the status page tells a person, state by state.

Where the submission is, whether anything is asked of the merchant or the legal person,
and when the portal tries again. Read from the submission row only.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import beijing, day_start
from portal.wechat import codes

#: After this long in "checking", the merchant is told to nudge the legal person: WeChat's
#: message has usually arrived by then, though no push says so (classic sends none).
NUDGE_AFTER_MINUTES = 10


def clock(at: float, now: float | None = None) -> str:
    """HH:MM today, or 月日 HH:MM on another day (Beijing time)."""
    now = time.time() if now is None else now
    return beijing(at, "%H:%M" if day_start(at) == day_start(now) else "%m月%d日 %H:%M")


def _next_try(sub: Mapping[str, Any]) -> str:
    at = sub.get("next_attempt_at")
    return f"将于 {clock(at)} 重试。" if at and at > time.time() else "即将重试。"


def _waited_minutes(sub: Mapping[str, Any]) -> int:
    return int((time.time() - (sub["sent_at"] or time.time())) // 60)


def nudge_due(sub: Mapping[str, Any]) -> bool:
    """Whether the page now tells the merchant to nudge the legal person (by time)."""
    return sub["state"] == subs.CHECKING and _waited_minutes(sub) >= NUDGE_AFTER_MINUTES


def current_step(sub: dict, entry: codes.Entry | None) -> str:
    """What is happening now and what, if anything, the reader has to do."""
    state = sub["state"]
    flavor = get_flavor(sub["flavor"])
    if state == subs.HELD:
        if sub["held_from"] == subs.SUCCEEDED:
            return (
                "小程序已创建。平台在获取小程序的管理授权时遇到问题，工作人员正在处理，无需您操作。"
            )
        held = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
        return (
            f"您的资料已保存。提交给微信时遇到平台方面的问题（{held.title}），与您填写的信息无关；"
            "平台工作人员正在处理，处理好后会自动提交，无需重新填写。"
        )
    if state == subs.SENDING and sub["maybe_sent"]:
        if sub["errcode"] == codes.TASK_RUNNING:
            until = beijing(sub["claimed_until"]) if sub["claimed_until"] else "24 小时内"
            return (
                "微信那边已有本企业的注册任务，但平台没有收到它的验证链接（微信当时没有答复）。"
                f"该任务最迟于 {until} 结束，之后平台会自动重新提交并在本页显示新的验证链接，无需您操作。"
            )
        return (
            "微信暂未答复本次提交。平台会先确认微信是否已收到，再决定是否重新提交，"
            "不会重复提交；您的资料已保存，无需操作。"
        )
    if state in (subs.QUEUED, subs.SENDING):
        if sub.get("waiting_for") == "platform":
            return (
                "您的资料已保存。平台暂时无法向微信提交（正在重新连接微信），这与您填写的信息无关；"
                "恢复后会自动提交，无需重新填写。" + _next_try(sub)
            )
        if sub.get("waiting_for") == "company":
            return (
                "本企业还有一个申请正在微信办理：微信同一时间只受理一家企业的一个注册任务。"
                "那个申请结束后，平台会自动提交本申请，无需您操作。"
            )
        if sub["errcode"]:
            held = codes.api_entry(sub["errcode"], sub["errmsg"] or "")
            return (
                f"微信暂时无法受理（{held.title}）。您的资料已保存，平台会自动重试，无需重新填写。"
                + _next_try(sub)
            )
        if sub["errmsg"]:  # no answer at all: timeout, connection or server error
            return "微信暂时没有响应。您的资料已保存，平台会自动重试，无需重新填写。" + _next_try(
                sub
            )
        return "资料已保存，平台正在把申请提交给微信，通常只需几秒钟。"
    if state == subs.CHECKING and flavor.nudge and _waited_minutes(sub) >= NUDGE_AFTER_MINUTES:
        return flavor.nudge.format(minutes=_waited_minutes(sub))
    if state == subs.CHECKING:
        return (
            "微信正在核对企业信息与法定代表人信息是否一致，通常需要几分钟到几十分钟。"
            + flavor.legal_person_step
        )
    if state == subs.AWAITING:
        return flavor.legal_person_step
    if state == subs.SUCCEEDED:
        return (
            "法定代表人已完成核验，微信已创建小程序。平台正在获取小程序的管理授权，稍后自动完成。"
        )
    if state == subs.AUTHORIZED:
        return "小程序已创建，平台已获得管理授权，接下来会协助您完成小程序的基本设置与上线。"
    return entry.explanation if entry else ""
