"""The pushes a mini program's audits end with, in WeChat's XML, queued for its message URL.

The decrypted XML of each (SETUP §1.4, §2, §6.1): ``ToUserName`` (the mini program's
original id), ``FromUserName``, ``CreateTime``, ``MsgType`` event, ``Event`` and the
event's own fields. ``pusher`` encrypts and signs them like every other push, wraps them
in ``<xml><ToUserName/><Encrypt/></xml>`` and POSTs them to ``SANDBOX_MESSAGE_URL`` with
``$APPID$`` filled in, re-sending until the answer is ``success``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.sandbox.state import enqueue_push, original_id


def _element(tag: str, value: Any) -> str:
    if isinstance(value, int):
        return f"<{tag}>{value}</{tag}>"
    text = str(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<{tag}><![CDATA[{text}]]></{tag}>"


def sender(appid: str) -> str:
    """The FromUserName of a mini program's system events (an openid-like string)."""
    return "o" + hashlib.sha256(f"system:{appid}".encode()).hexdigest()[:27]


def message_xml(appid: str, event: str, fields: Mapping[str, Any]) -> str:
    parts = [
        _element("ToUserName", original_id(appid)),
        _element("FromUserName", sender(appid)),
        _element("CreateTime", int(time.time())),
        _element("MsgType", "event"),
        _element("Event", event),
    ]
    parts += [_element(tag, value) for tag, value in fields.items()]
    return "<xml>" + "".join(parts) + "</xml>"


def push(db: sqlite_utils.Database, appid: str, event: str, fields: Mapping[str, Any]) -> None:
    """Queue ``event`` for the message URL of ``appid``."""
    xml = message_xml(appid, event, fields)
    enqueue_push(db, xml, f"{event} {appid}", channel="message", appid=appid)
