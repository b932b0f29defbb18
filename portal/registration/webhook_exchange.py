"""One webhook POST, bounded in size and time.

The answer is streamed and at most ``MAX_ANSWER`` bytes of it are read. The whole
exchange has a deadline: a watchdog shuts the connection down when it passes, so a
receiver that drips its headers or its body a byte at a time is cut off there instead
of holding the delivery past its lease. Any phase not yet on a socket (the connect) has
its own timeout, never longer than the deadline.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any

import httpx

MAX_ANSWER = 64 * 1024
KEPT_RESPONSE = 1000
_SOCKET_EVENTS = ("connection.connect_tcp.complete", "connection.start_tls.complete")


@dataclass(frozen=True)
class Answer:
    status: int | None
    response: str  # the first KEPT_RESPONSE characters
    error: str  # empty when the exchange completed

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300


class Watchdog:
    """Shuts the exchange's socket down once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def trace(self, name: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` extension: learn the socket as soon as it exists."""
        if name not in _SOCKET_EVENTS or info.get("return_value") is None:
            return
        with self._lock:
            self._sock = info["return_value"].get_extra_info("socket")
            fired = self.fired
        if fired:
            self._cut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
        self._cut()

    def _cut(self) -> None:
        with self._lock:
            sock = self._sock
        if sock is None:
            return
        try:  # the plain socket's shutdown, also under TLS: it wakes a blocked read
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


def _timeout(http: httpx.Client, deadline: float) -> httpx.Timeout:
    """The client's timeouts, none longer than the deadline."""
    own = http.timeout

    def cap(value: float | None) -> float:
        return deadline if value is None else min(value, deadline)

    return httpx.Timeout(
        connect=cap(own.connect), read=cap(own.read), write=cap(own.write), pool=cap(own.pool)
    )


def _text(kept: bytes | bytearray, encoding: str | None) -> str:
    try:
        return bytes(kept).decode(encoding or "utf-8", errors="replace")[:KEPT_RESPONSE]
    except LookupError:  # a charset Python does not know
        return bytes(kept).decode("utf-8", errors="replace")[:KEPT_RESPONSE]


def post(
    http: httpx.Client,
    url: str,
    body: bytes,
    headers: dict[str, str],
    extensions: dict[str, Any],
    deadline: float,
) -> Answer:
    """POST ``body``; the answer's status and start, or why it failed (never raises
    for what the receiver or the network does)."""
    headers = {**headers, "Connection": "close", "Accept-Encoding": "identity"}
    status: int | None = None
    kept = bytearray()
    encoding: str | None = None
    error, cut = "", False
    with Watchdog(deadline) as watchdog:
        try:
            with http.stream(
                "POST",
                url,
                content=body,
                headers=headers,
                extensions={**extensions, "trace": watchdog.trace},
                timeout=_timeout(http, deadline),
            ) as answer:
                status, encoding = answer.status_code, answer.encoding
                for chunk in answer.iter_raw():
                    kept += chunk[: MAX_ANSWER - len(kept)]
                    if len(kept) >= MAX_ANSWER or watchdog.fired:
                        break  # enough kept: the rest is not read
                cut = watchdog.fired  # False: answered in time (or up to the bound)
        except httpx.HTTPError as exc:
            cut = watchdog.fired
            error = f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
    if cut:
        error = f"超时：接收方没有在 {deadline:g} 秒内答完（连接已断开）"
    return Answer(status, _text(kept, encoding), error)
