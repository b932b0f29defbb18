"""A seeded, misbehaving network between WeChat (the sandbox's pusher) and the event URL.

``PushProxy`` listens on 127.0.0.1; the chaos run points ``PORTAL_SANDBOX_EVENT_URL`` at
it. It decrypts each push's InfoType with the platform's EncodingAESKey (as the portal
does; it never re-encrypts or alters a byte) and draws, from its own seeded stream, what
the network does with that one request:

- ``lose`` (result pushes only): answer ``success`` without forwarding. WeChat believes
  the push was delivered and never sends it again: it is lost for good.
- ``delay``: answer ``success`` at once, hold the push 2-8 s while later pushes go
  through (they overtake it), then forward it, trying again while the portal is down,
  so a delayed push does arrive.
- ``duplicate``: forward, hand WeChat the portal's answer, and forward the very same
  request again 0.2-3 s later.
- ``502``: answer 502 without forwarding; WeChat re-sends it (up to three times).
- ``forward``: pass it through. A portal that is down (killed) makes this a 502, as a
  gateway would, and WeChat re-sends.

- ``straggle``: the first result push of a company named in ``hold`` is answered
  ``success`` and held until ``release(name)`` (the run releases it once the company's
  next submission is with WeChat) or ``STRAGGLE_MAX`` seconds: a predecessor's push
  arriving in the middle of its successor's life.

During a ticket outage (``tickets_blocked``) every ticket push is answered ``success``
and dropped. Until ``armed`` is set everything is forwarded untouched.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from portal.wechat.crypto import CryptoError, decrypt

RESULT = "notify_third_fasteregister"
TICKET = "component_verify_ticket"
#: The odds of each misfortune per push, by kind; the rest are forwarded.
ODDS = {
    "result": (("lose", 0.2), ("delay", 0.2), ("duplicate", 0.15), ("502", 0.15)),
    "ticket": (("delay", 0.15), ("duplicate", 0.15), ("502", 0.15)),
    "other": (("delay", 0.15), ("duplicate", 0.15), ("502", 0.15)),
}
DELAY = (2.0, 8.0)
DUPLICATE_AFTER = (0.2, 3.0)
LATE_PATIENCE = 30.0  # a held push is tried this long before it counts as lost
STRAGGLE_MAX = 60.0
ENCRYPT = re.compile(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", re.S)
TAG = r"<{0}>(?:<!\[CDATA\[(.*?)\]\]>|(-?\d+))</{0}>"


def _tag(xml: str, name: str) -> str:
    found = re.search(TAG.format(name), xml, re.S)
    return "" if found is None else (found.group(1) or found.group(2) or "")


@dataclass
class Arrival:
    """One request from WeChat, as the proxy saw and treated it."""

    at: float
    kind: str  # result, ticket, other or undecryptable
    fingerprint: str  # SHA-256 of the decrypted XML, as the portal's pushes table keeps it
    status: str
    taskid: str
    name: str
    appid: str
    action: str
    forwarded: list[str] = field(default_factory=list)  # the portal's answers, in order


class PushProxy:
    def __init__(self, upstream: str, encoding_aes_key: str, seed: int) -> None:
        self.upstream = upstream
        self.aes_key = encoding_aes_key
        self.rng = random.Random(f"network {seed}")  # its own stream: the rest stays as seeded
        self.lock = threading.Lock()
        self.arrivals: list[Arrival] = []
        self.armed = threading.Event()
        self.tickets_blocked = threading.Event()
        self.closing = threading.Event()
        self.late: list[threading.Thread] = []
        self.late_lost = 0
        self.stragglers: dict[str, threading.Event] = {}  # company name -> released
        self.straggled: set[str] = set()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, text = proxy.handle(self.path, body)
                answer = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/wechat/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _inspect(self, body: bytes) -> tuple[str, str, str]:
        """(kind, fingerprint, decrypted XML) of a push body."""
        found = ENCRYPT.search(body.decode(errors="replace"))
        try:
            xml, _ = decrypt(self.aes_key, found.group(1) if found else "")
        except CryptoError:
            return "undecryptable", "", ""
        info_type = _tag(xml, "InfoType")
        kind = {RESULT: "result", TICKET: "ticket"}.get(info_type, "other")
        return kind, hashlib.sha256(xml.encode()).hexdigest(), xml

    def hold(self, name: str) -> None:
        self.stragglers[name] = threading.Event()

    def release(self, name: str | None = None) -> None:
        for each, event in self.stragglers.items():
            if name is None or each == name:
                event.set()

    def _decide(self, kind: str, name: str) -> str:
        if not self.armed.is_set() or kind == "undecryptable":
            return "forward"
        if kind == "result" and name in self.stragglers and name not in self.straggled:
            self.straggled.add(name)
            return "straggle"
        if kind == "ticket" and self.tickets_blocked.is_set():
            return "outage"
        roll, edge = self.rng.random(), 0.0
        for action, odds in ODDS[kind]:
            edge += odds
            if roll < edge:
                return action
        return "forward"

    def handle(self, path: str, body: bytes) -> tuple[int, str]:
        kind, fingerprint, xml = self._inspect(body)
        name = _tag(xml, "name")
        with self.lock:
            action = self._decide(kind, name)
            wait = self.rng.uniform(*(DELAY if action == "delay" else DUPLICATE_AFTER))
            arrival = Arrival(
                time.time(), kind, fingerprint, _tag(xml, "status"), _tag(xml, "taskid"),
                name, _tag(xml, "appid"), action,
            )  # fmt: skip
            self.arrivals.append(arrival)
        query = path.partition("?")[2]
        if action in ("lose", "outage"):
            return 200, "success"
        if action == "502":
            return 502, "bad gateway (injected)"
        if action in ("delay", "straggle"):
            until = self.stragglers[name] if action == "straggle" else None
            self._later(arrival, query, body, wait, patient=True, until=until)
            return 200, "success"
        status, text = self._forward(arrival, query, body)
        if action == "duplicate":
            self._later(arrival, query, body, wait, patient=False)
        return status, text

    def _forward(self, arrival: Arrival, query: str, body: bytes) -> tuple[int, str]:
        try:
            answer = httpx.post(f"{self.upstream}?{query}", content=body, timeout=4.0)
        except httpx.HTTPError as exc:
            arrival.forwarded.append(type(exc).__name__)
            return 502, f"bad gateway: {type(exc).__name__}"
        arrival.forwarded.append(answer.text.strip() if answer.status_code == 200 else "")
        return answer.status_code, answer.text

    def _later(self, arrival, query: str, body: bytes, wait: float, patient: bool, until=None):
        """Forward after ``wait`` (or ``until`` is set); a held push is tried until taken."""

        def send() -> None:
            if until is not None:
                until.wait(STRAGGLE_MAX)
            elif self.closing.wait(wait):
                return
            if self.closing.is_set():
                return
            give_up = time.monotonic() + (LATE_PATIENCE if patient else 0)
            while True:
                status, text = self._forward(arrival, query, body)
                if status == 200 and text.strip() == "success" or not patient:
                    return
                if time.monotonic() > give_up or self.closing.wait(0.5):
                    with self.lock:
                        self.late_lost += 1
                    return

        thread = threading.Thread(target=send, daemon=True)
        with self.lock:
            self.late.append(thread)
        thread.start()

    def drain(self, timeout: float) -> bool:
        """Wait for held and duplicated pushes to be forwarded; False if some still wait."""
        deadline = time.monotonic() + timeout
        for thread in list(self.late):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.late)

    def figures(self) -> Counter:
        """How many pushes of each kind met each fate (e.g. ``result lose``)."""
        return Counter(f"{a.kind} {a.action}" for a in self.arrivals)

    def never_delivered(self) -> set[str]:
        """Fingerprints of pushes that never reached the portal with a ``success`` answer."""
        reached = {a.fingerprint for a in self.arrivals if "success" in a.forwarded}
        return {a.fingerprint for a in self.arrivals if a.fingerprint not in reached}

    def close(self) -> None:
        self.closing.set()
        self.release()
        self.server.shutdown()
        self.server.server_close()
