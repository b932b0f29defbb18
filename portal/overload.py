"""Refuse page traffic quickly when it has queued too long, instead of answering late.

nginx stamps each request with the time it arrived (``X-Request-Start: t=<seconds>``,
README § Deploying behind gunicorn). A page read (GET or HEAD) that waited longer than
``PORTAL_SHED_AFTER`` seconds before a worker picked it up is answered at once with a
503 and ``Retry-After``: a short Chinese page ("请稍后刷新"), or the API's error object
for JSON, whose callers back off (the status page's script does). Refusing touches no
template, session or database, so it costs almost nothing and the queue drains.

Never refused: WeChat's event URL (it has its own lane, and a refused push comes back
late), the health check, static files (a page already shown needs its CSS), and forms
being posted: a POST carries what a merchant typed and is answered however late.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from portal.api.errors import GENERIC
from portal.brand import Brand

log = logging.getLogger(__name__)

RETRY_AFTER = 5
PLAUSIBLE_WAIT = 300.0
NEVER_SHED = ("/wechat/events", "/wechat/messages/", "/healthz", "/static/")
SHEDDABLE_METHODS = ("GET", "HEAD")
#: At most one log line this often, with the count since the last one.
LOG_EVERY = 10.0

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>访问人数较多，请稍后刷新 · {short_name}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 0;
  padding: 48px 16px; color: #1f2328; background: #f6f7f9; }}
main {{ max-width: 480px; margin: 0 auto; background: #fff; border-radius: 12px;
  padding: 24px; }}
h1 {{ font-size: 1.25rem; margin: 0 0 12px; }}
p {{ line-height: 1.7; margin: 0 0 12px; }}
a {{ display: inline-block; margin-top: 4px; padding: 10px 24px; background: #07813f;
  color: #fff; border-radius: 8px; text-decoration: none; }}
footer {{ max-width: 480px; margin: 16px auto 0; color: #57606a; font-size: 0.875rem;
  line-height: 1.6; }}
</style></head>
<body><main>
<h1>访问人数较多，请稍后刷新</h1>
<p>{name}此刻正忙，这次打开没有成功。请等 {retry_after} 秒左右再刷新本页。</p>
<p>已经提交的申请不受影响：微信的结果会照常送达，刷新后即可看到最新进度。</p>
<a href="">刷新</a>
</main>
<footer>{support}</footer>
</body></html>
"""


def busy_page(identity: Brand) -> bytes:
    """The 503 page, with the platform's name and support contact, made once at start."""
    return PAGE.format(
        short_name=escape(identity.short_name),
        name=escape(identity.name),
        support=escape(identity.support_line),
        retry_after=RETRY_AFTER,
    ).encode()


#: The API's one error object (portal/api/errors.py), for the API and status.json.
JSON = json.dumps(
    {"error": {"status": 503, "code": GENERIC[503][0], "message": GENERIC[503][1]}},
    ensure_ascii=False,
).encode()


def queued_for(header: str, now: float) -> float | None:
    """Seconds since nginx's ``t=<seconds>`` stamp; None when it is malformed or absurd.

    nginx and the portal share the machine's clock (README § Deploying behind gunicorn).
    """
    value = header[2:] if header.startswith("t=") else header
    try:
        started = float(value)
    except ValueError:
        return None
    if started > 1e14:  # microseconds, as some proxies send
        started /= 1e6
    elif started > 1e11:  # milliseconds
        started /= 1e3
    waited = now - started
    # No proxy waits minutes for a worker (nginx gives up after 60 s): a stamp that says
    # so is broken or comes from a skewed clock, and must not refuse every request.
    return waited if math.isfinite(waited) and waited <= PLAUSIBLE_WAIT else None


class ShedOverload:
    """WSGI middleware: a 503 for page reads that queued past ``limit`` seconds."""

    def __init__(self, app: Callable, limit: float, page: bytes) -> None:
        self.app, self.limit, self.page = app, limit, page
        self._lock = threading.Lock()
        self._logged_at = 0.0
        self._unlogged = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if self.limit > 0 and self.sheddable(environ):
            waited = queued_for(environ["HTTP_X_REQUEST_START"], time.time())
            if waited is not None and waited > self.limit:
                self.count(waited)
                return self.refuse(environ, start_response)
        return self.app(environ, start_response)

    @staticmethod
    def sheddable(environ: dict[str, Any]) -> bool:
        return (
            "HTTP_X_REQUEST_START" in environ
            and environ.get("REQUEST_METHOD") in SHEDDABLE_METHODS
            and not environ.get("PATH_INFO", "").startswith(NEVER_SHED)
        )

    def count(self, waited: float) -> None:
        with self._lock:
            self._unlogged += 1
            now = time.monotonic()
            if now - self._logged_at < LOG_EVERY:
                return
            self._logged_at, unlogged, self._unlogged = now, self._unlogged, 0
        log.warning(
            "overload: refused %d page request(s) with 503 (the last waited %.1f s in the "
            "queue, more than PORTAL_SHED_AFTER=%s)",
            unlogged,
            waited,
            self.limit,
        )

    def refuse(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        as_json = path.endswith(".json") or path.startswith("/api/")
        body = JSON if as_json else self.page
        kind = "application/json" if as_json else "text/html; charset=utf-8"
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(RETRY_AFTER)),
            ("Cache-Control", "no-store"),
        ]
        start_response("503 Service Unavailable", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]
