"""``POST /wechat/events``: WeChat's authorization event URL (REFERENCE §4).

Fixed order: raw body → size limit → safe parse → verify msg_signature → decrypt →
check appid → record → answer ``success``. Anything refused gets a 4xx and a log line
with the reason, and nothing is written. Slow work happens later, in the worker.
"""

from __future__ import annotations

from flask import Response, current_app

from portal.callbacks.blueprint import bp
from portal.callbacks.opening import Refused, open_push
from portal.db import get_db
from portal.registration import pushes
from portal.registration.timing import Timing
from portal.wechat.events import PushError, parse_event


def refuse(status: int, reason: str) -> Response:
    current_app.logger.warning("push refused (%s): %s", status, reason)
    return Response(f"refused: {reason}\n", status=status, mimetype="text/plain")


@bp.post("/wechat/events")
def events() -> Response:
    config = current_app.config
    try:
        _envelope, xml = open_push(config)
        event = parse_event(xml)
    except Refused as exc:
        return refuse(exc.status, exc.reason)
    except PushError as exc:
        return refuse(400, str(exc))
    outcome = pushes.record(get_db(), event, xml, timing=Timing.from_config(config))
    current_app.logger.info("push %s accepted: %s", event.info_type, outcome)
    return Response("success", mimetype="text/plain")
