"""Parse the pushes of the message and event URL (消息与事件接收URL; SETUP.md §1.4, §2, §6.1).

They are a mini program's events, not the platform's: the decrypted XML carries
``ToUserName`` (the mini program's original id, gh_...), ``FromUserName``,
``CreateTime``, ``MsgType`` and ``Event`` (no ``InfoType``); which appid it is comes
from the URL (``$APPID$``). The same safe parser as the authorization events refuses
DTDs and entities. Field names are matched case-insensitively (WeChat's own samples
write both ``ScreenShot`` and ``screenshot``, SETUP §10); missing numbers are None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.wechat.events import PushError, parse_xml

AUDIT_SUCCESS, AUDIT_FAIL, AUDIT_DELAY = (
    "weapp_audit_success",
    "weapp_audit_fail",
    "weapp_audit_delay",
)
NICKNAME_AUDIT, CATEGORY_AUDIT = "wxa_nickname_audit", "wxa_category_audit"
EVENTS = (AUDIT_SUCCESS, AUDIT_FAIL, AUDIT_DELAY, NICKNAME_AUDIT, CATEGORY_AUDIT)
#: ``ret`` of the name and category audits.
RET_REJECTED, RET_PASSED = 2, 3
#: A mini program's original id, as WeChat writes it (gh_ and 12 hex characters, seen
#: longer for old accounts).
ORIGINAL_ID_RE = re.compile(r"^gh_[0-9A-Za-z]{1,40}$")


@dataclass(frozen=True)
class Message:
    """Any decrypted message push: who it is for, its event and every field, flattened."""

    event: str  # Event as sent ("" when there is none, e.g. a user's text message)
    msg_type: str
    to_user: str  # the mini program's original id (gh_...)
    from_user: str
    create_time: int | None
    fields: dict[str, str]


@dataclass(frozen=True)
class AuditSuccess(Message):
    """``weapp_audit_success``: the code audit passed."""

    succ_time: int | None = None


@dataclass(frozen=True)
class AuditFail(Message):
    """``weapp_audit_fail``: rejected, with WeChat's reason and screenshots (media ids)."""

    reason: str = ""
    fail_time: int | None = None
    screenshots: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditDelay(Message):
    """``weapp_audit_delay``: the audit takes longer, with WeChat's reason."""

    reason: str = ""
    delay_time: int | None = None


@dataclass(frozen=True)
class NicknameAudit(Message):
    """``wxa_nickname_audit``: the name audit (``ret`` 2 rejected, 3 passed)."""

    ret: int | None = None
    nickname: str = ""
    reason: str = ""

    @property
    def passed(self) -> bool:
        return self.ret == RET_PASSED


@dataclass(frozen=True)
class CategoryAudit(Message):
    """``wxa_category_audit``: a category's audit (``first``/``second`` are its ids)."""

    ret: int | None = None
    first: int | None = None
    second: int | None = None
    reason: str = ""

    @property
    def passed(self) -> bool:
        return self.ret == RET_PASSED


@dataclass(frozen=True)
class UnknownMessage(Message):
    """Any other event or message: recorded and answered, never acted on."""


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def split_media(value: str) -> tuple[str, ...]:
    """``ScreenShot``'s media ids, separated by '|' (empty parts dropped)."""
    return tuple(part.strip() for part in value.split("|") if part.strip())


def parse_message(xml: str) -> Message:
    """Turn a decrypted message push into its typed message."""
    root = parse_xml(xml)
    if root.tag != "xml":
        raise PushError(f"root element <{root.tag}> is not <xml>")
    fields = {child.tag: (child.text or "").strip() for child in root if len(child) == 0}
    lower = {tag.lower(): value for tag, value in fields.items()}

    def text(name: str) -> str:
        return lower.get(name.lower(), "")

    def number(name: str) -> int | None:
        return _int(text(name))

    event = text("Event")
    base = {
        "event": event,
        "msg_type": text("MsgType"),
        "to_user": text("ToUserName"),
        "from_user": text("FromUserName"),
        "create_time": number("CreateTime"),
        "fields": fields,
    }
    kind = event.lower()
    if kind == AUDIT_SUCCESS:
        return AuditSuccess(**base, succ_time=number("SuccTime"))
    if kind == AUDIT_FAIL:
        return AuditFail(
            **base,
            reason=text("Reason"),
            fail_time=number("FailTime"),
            screenshots=split_media(text("ScreenShot")),
        )
    if kind == AUDIT_DELAY:
        return AuditDelay(**base, reason=text("Reason"), delay_time=number("DelayTime"))
    if kind == NICKNAME_AUDIT:
        return NicknameAudit(
            **base, ret=number("ret"), nickname=text("nickname"), reason=text("reason")
        )
    if kind == CATEGORY_AUDIT:
        return CategoryAudit(
            **base,
            ret=number("ret"),
            first=number("first"),
            second=number("second"),
            reason=text("reason"),
        )
    return UnknownMessage(**base)
