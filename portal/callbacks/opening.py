"""What both push URLs do first, in WeChat's fixed order: raw body → size limit → safe
parse → verify msg_signature → decrypt → check the platform's appid (REFERENCE §4).

``open_push`` gives the envelope and the decrypted XML, or raises ``Refused`` with the
status and reason; the caller parses the XML as its own kind of push.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request

from portal.wechat.crypto import CryptoError, open_message
from portal.wechat.events import Envelope, PushError, parse_envelope


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def open_push(config: Mapping[str, Any]) -> tuple[Envelope, str]:
    limit = int(config["PUSH_MAX_BYTES"])
    if (request.content_length or 0) > limit:
        raise Refused(413, f"body over {limit} bytes")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise Refused(413, f"body over {limit} bytes")
    try:
        envelope = parse_envelope(body)
    except PushError as exc:
        raise Refused(400, str(exc)) from exc
    if envelope.appid is not None and envelope.appid != config["WECHAT_COMPONENT_APPID"]:
        raise Refused(403, f"envelope AppId {envelope.appid!r} is not ours")
    args = request.args
    try:
        xml = open_message(
            token=config["WECHAT_TOKEN"],
            encoding_aes_key=config["WECHAT_ENCODING_AES_KEY"],
            appid=config["WECHAT_COMPONENT_APPID"],
            msg_signature=args.get("msg_signature", ""),
            timestamp=args.get("timestamp", ""),
            nonce=args.get("nonce", ""),
            encrypted=envelope.encrypted,
        )
    except CryptoError as exc:
        raise Refused(403, str(exc)) from exc
    return envelope, xml
