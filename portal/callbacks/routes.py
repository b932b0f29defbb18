"""``POST /wechat/events``: WeChat's authorization event URL (REFERENCE §4).

Fixed order: raw body → size limit → safe parse → verify msg_signature → decrypt →
check appid → record → answer ``success``. Anything refused gets a 4xx and a log line
with the reason, and nothing is written. Slow work happens later, in the worker.
"""

from __future__ import annotations

from flask import Response, current_app, request

from portal.callbacks.blueprint import bp
from portal.db import get_db
from portal.registration import pushes
from portal.registration.timing import Timing
from portal.wechat.crypto import CryptoError, open_message
from portal.wechat.events import PushError, parse_envelope, parse_event


def refuse(status: int, reason: str) -> Response:
    current_app.logger.warning("push refused (%s): %s", status, reason)
    return Response(f"refused: {reason}\n", status=status, mimetype="text/plain")


@bp.post("/wechat/events")
def events() -> Response:
    config = current_app.config
    limit = int(config["PUSH_MAX_BYTES"])
    if (request.content_length or 0) > limit:
        return refuse(413, f"body over {limit} bytes")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        return refuse(413, f"body over {limit} bytes")
    try:
        envelope = parse_envelope(body)
    except PushError as exc:
        return refuse(400, str(exc))
    if envelope.appid is not None and envelope.appid != config["WECHAT_COMPONENT_APPID"]:
        return refuse(403, f"envelope AppId {envelope.appid!r} is not ours")
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
        event = parse_event(xml)
    except (CryptoError, PushError) as exc:
        return refuse(400 if isinstance(exc, PushError) else 403, str(exc))
    outcome = pushes.record(get_db(), event, xml, timing=Timing.from_config(config))
    current_app.logger.info("push %s accepted: %s", event.info_type, outcome)
    return Response("success", mimetype="text/plain")
