"""``POST /wechat/messages/<appid>``: the platform's message and event URL (消息与事件接收URL).

Configured on WeChat's platform page as ``https://HOST/wechat/messages/$APPID$``;
WeChat fills ``$APPID$`` with the mini program's appid. It brings the code-audit
results and the name and category audits (SETUP.md §1.4, §2, §6.1).

Fixed order, as the authorization event URL (``routes``): path appid well-formed →
raw body → size limit → safe parse → verify msg_signature → decrypt → check the
platform's appid → parse → check the message fits the URL → record once → answer
``success``. Anything refused gets a 4xx and a log line with the reason, and nothing
is written. No WeChat call is made here: what a push means is the domain's, later.

What can be checked of the URL's appid: its form (wx + 16 hex), that the XML's
``ToUserName`` is a mini program's original id (gh_...) and equals the envelope's
when the envelope has one, and that the pair (appid, original id) agrees with every
push recorded before (``registration.messages``). The signature does not cover the
URL, and the portal does not store each mini program's original id, so a first
push cannot be tied to its appid by anything else.
"""

from __future__ import annotations

import re

from flask import Response, current_app

from portal.callbacks.blueprint import bp
from portal.callbacks.opening import Refused, open_push
from portal.db import get_db
from portal.registration import messages
from portal.wechat.events import PushError
from portal.wechat.messages import ORIGINAL_ID_RE, parse_message

APPID_RE = re.compile(r"^wx[0-9a-f]{16}$")


def refuse(status: int, reason: str) -> Response:
    current_app.logger.warning("message push refused (%s): %s", status, reason)
    return Response(f"refused: {reason}\n", status=status, mimetype="text/plain")


@bp.post("/wechat/messages/<appid>")
def message_events(appid: str) -> Response:
    config = current_app.config
    if not APPID_RE.match(appid):
        return refuse(400, f"path appid {appid[:40]!r} is not wx + 16 hex characters")
    try:
        envelope, xml = open_push(config)
        message = parse_message(xml)
    except Refused as exc:
        return refuse(exc.status, exc.reason)
    except PushError as exc:
        return refuse(400, str(exc))
    if not ORIGINAL_ID_RE.match(message.to_user):
        return refuse(400, f"ToUserName {message.to_user[:60]!r} is not an original id (gh_...)")
    if envelope.to_user is not None and envelope.to_user != message.to_user:
        return refuse(400, "the envelope's ToUserName differs from the message's")
    try:
        outcome = messages.record(get_db(), appid, message, xml)
    except messages.Inconsistent as exc:
        return refuse(403, str(exc))
    current_app.logger.info("message push %s accepted: %s", message.event or "(none)", outcome)
    return Response("success", mimetype="text/plain")
