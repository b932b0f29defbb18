"""Parse WeChat's pushes into typed events (REFERENCE §2, §4; fastregisterweapp.rst §三).

XML is parsed with defusedxml and DTDs are refused outright, so entity bombs and
external entities never expand. Parsing is tolerant of what WeChat may leave out or
add: unknown InfoTypes become ``UnknownEvent``, missing numbers become ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class PushError(Exception):
    """A push body is not the XML WeChat sends."""


@dataclass(frozen=True)
class Envelope:
    """The outer, still encrypted push.

    An authorization event carries ``AppId`` (the platform's); a message push for a
    mini program carries ``ToUserName`` (its original id, gh_...) instead.
    """

    appid: str | None
    encrypted: str
    to_user: str | None = None


@dataclass(frozen=True)
class Event:
    """Any decrypted push: its InfoType, time and every field, flattened."""

    info_type: str
    create_time: int | None
    fields: dict[str, str]


@dataclass(frozen=True)
class TicketEvent(Event):
    ticket: str = ""


@dataclass(frozen=True)
class RegisterResultEvent(Event):
    """``notify_third_fasteregister``: the outcome of a fast-register task."""

    appid: str = ""
    status: int | None = None
    auth_code: str = ""
    msg: str = ""
    info: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthorizationEvent(Event):
    """``authorized`` / ``unauthorized`` / ``updateauthorized``."""

    authorizer_appid: str = ""
    authorization_code: str = ""


@dataclass(frozen=True)
class UnknownEvent(Event):
    pass


def parse_xml(text: str | bytes) -> Element:
    """Parse a push's XML safely: no DTD, no entities, nothing external."""
    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PushError(f"unsafe XML refused ({type(exc).__name__})") from exc
    except (ParseError, ValueError, TypeError) as exc:
        raise PushError(f"not well-formed XML: {exc}") from exc


def parse_envelope(body: bytes) -> Envelope:
    """Read ``AppId`` and ``Encrypt`` from the outer XML of a push."""
    root = parse_xml(body)
    encrypted = (root.findtext("Encrypt") or "").strip()
    if not encrypted:
        raise PushError("no <Encrypt> element")
    appid = root.findtext("AppId")
    to_user = root.findtext("ToUserName")
    return Envelope(
        appid=appid.strip() if appid is not None else None,
        encrypted=encrypted,
        to_user=to_user.strip() if to_user is not None else None,
    )


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def parse_event(xml: str) -> Event:
    """Turn a decrypted push into its typed event."""
    root = parse_xml(xml)
    fields = {child.tag: (child.text or "").strip() for child in root if len(child) == 0}
    info_el = root.find("info")
    info = {} if info_el is None else {c.tag: (c.text or "").strip() for c in info_el}
    info_type = fields.get("InfoType", "")
    base = {
        "info_type": info_type,
        "create_time": _int(fields.get("CreateTime")),
        "fields": fields,
    }
    if info_type == "component_verify_ticket":
        return TicketEvent(**base, ticket=fields.get("ComponentVerifyTicket", ""))
    if info_type == "notify_third_fasteregister":
        return RegisterResultEvent(
            **base,
            appid=fields.get("appid", ""),
            status=_int(fields.get("status")),
            auth_code=fields.get("auth_code", ""),
            msg=fields.get("msg", ""),
            info=info,
        )
    if info_type in ("authorized", "unauthorized", "updateauthorized"):
        return AuthorizationEvent(
            **base,
            authorizer_appid=fields.get("AuthorizerAppid", ""),
            authorization_code=fields.get("AuthorizationCode", ""),
        )
    return UnknownEvent(**base)
