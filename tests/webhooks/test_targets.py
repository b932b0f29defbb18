"""Private addresses hidden inside IPv6 are refused; answers are bounded in size and time."""

import socket
import threading
import time

import httpx
import pytest

from portal.registration import delivery, webhooks
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.authorizers import Vault
from tests.registration.facts import facts


@pytest.mark.parametrize(
    ("url", "allowed"),
    [("http://[64:ff9b::a00:1]/x", False),  # NAT64 of 10.0.0.1
     ("http://[64:ff9b::7f00:1]/x", False),  # NAT64 of 127.0.0.1
     ("http://[64:ff9b::a9fe:a9fe]/x", False),  # NAT64 of 169.254.169.254
     ("http://[64:ff9b::808:808]/x", True),  # NAT64 of 8.8.8.8
     ("http://[64:ff9b:1::a00:1]/x", False),  # local-use NAT64 (RFC 8215)
     ("http://[64:ff9b:1:a00:0:100::]/x", False),  # RFC 6052 /48 form of 10.0.0.1
     ("http://[2002:a00:1::1]/x", False),  # 6to4 of 10.0.0.1
     ("http://[2002:c0a8:101::1]/x", False),  # 6to4 of 192.168.1.1
     ("http://[2002:808:808::1]/x", True),  # 6to4 of 8.8.8.8
     ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x", False),  # Teredo, client 10.0.0.1
     ("http://[::ffff:10.0.0.1]/x", False), ("http://[::ffff:127.0.0.1]/x", False),
     ("http://[::ffff:169.254.169.254]/x", False), ("http://[::ffff:8.8.8.8]/x", True),
     ("http://[::10.0.0.1]/x", False), ("http://[::127.0.0.1]/x", False),
     ("http://[::ffff:0:10.0.0.1]/x", False),  # IPv4-translated (RFC 2765)
     ("http://[2606:4700:4700::1111]/x", True)],
)  # fmt: skip
def test_embedded_private_ipv4_is_refused_in_production(url, allowed):
    problem, address = webhooks.target_problem(url, allow_private=False)
    assert (problem is None) == allowed, problem
    assert (address is not None) == allowed


class Server:
    """A loopback receiver that answers 200 and then writes its body as ``write`` says."""

    def __init__(self, write) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hooks"
        self.write, self.sent, self.stop = write, 0, threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            try:
                self.write(self, conn)
            except OSError:
                pass  # the portal hung up: what a bounded reader does

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"


def trickle(server: Server, conn: socket.socket, data: bytes) -> None:
    """One byte every 0.1 s: never idle long enough for a read timeout."""
    for byte in data:
        if server.stop.is_set():
            return
        conn.sendall(bytes([byte]))
        server.sent += 1
        time.sleep(0.1)


def drip(server: Server, conn: socket.socket) -> None:
    """The head at once, then a body of 80 bytes over 8 s."""
    conn.sendall(HEAD)
    trickle(server, conn, b"." * 80)


def drip_head(server: Server, conn: socket.socket) -> None:
    """The status line and headers themselves over 5 s."""
    trickle(server, conn, HEAD + b"ok")


def flood(server: Server, conn: socket.socket) -> None:
    """64 MiB as fast as the portal reads it."""
    conn.sendall(HEAD)
    chunk = b"x" * 65536
    for _ in range(1024):
        conn.sendall(chunk)
        server.sent += len(chunk)


@pytest.fixture
def quick(app, db):
    """A deliverer with a 1 s PORTAL_WEBHOOK_TIMEOUT (the client's timeout, as the worker's)."""
    http = httpx.Client(timeout=1.0, follow_redirects=False)
    yield delivery.Deliverer(db, {**app.config, "WEBHOOK_TIMEOUT": 1.0}, http)
    http.close()


@pytest.mark.parametrize("write", [drip, drip_head])
def test_a_drip_feeding_receiver_is_cut_off_at_the_deadline(db, quick, write):
    server = Server(write)
    try:
        webhooks.create_endpoint(db, Vault(), server.url, ["submission.created"])
        subs.submit(db, FLAVORS["classic"], facts("广州市滴灌科技有限公司"))
        started = time.monotonic()
        assert quick.run_once() == 0
        took = time.monotonic() - started
        assert took < 3, took  # the deadline, not the 8 s the receiver wanted
        row = db.execute("SELECT state, attempts, last_error FROM webhook_deliveries").fetchone()
        assert row[0] == "pending" and row[1] == 1 and "超时" in row[2]
        assert delivery.LEASE > 3 * quick.deadline
    finally:
        server.close()


def test_a_huge_answer_is_not_read_whole(db, quick):
    server = Server(flood)
    try:
        webhooks.create_endpoint(db, Vault(), server.url, ["submission.created"])
        subs.submit(db, FLAVORS["classic"], facts("广州市洪水科技有限公司"))
        assert quick.run_once() == 1  # a 2xx is a 2xx, however long the answer
        attempt = db.execute("SELECT status, response FROM webhook_attempts").fetchone()
        assert attempt[0] == 200 and attempt[1] == "x" * delivery.KEPT_RESPONSE
        time.sleep(0.2)
        assert server.sent < 16 * 1024 * 1024, server.sent  # stopped reading at the bound
    finally:
        server.close()


def test_the_answer_is_streamed_up_to_the_bound(db, app):
    pulled = []

    def body():
        for n in range(1000):
            pulled.append(n)
            yield b"y" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body())

    http = httpx.Client(transport=httpx.MockTransport(handler))
    try:
        deliverer = delivery.Deliverer(db, app.config, http)
        webhooks.create_endpoint(db, Vault(), "http://127.0.0.1:1/hooks", ["submission.created"])
        subs.submit(db, FLAVORS["classic"], facts("广州市流式科技有限公司"))
        assert deliverer.run_once() == 1
        assert len(pulled) <= delivery.MAX_ANSWER // 65536 + 1
    finally:
        http.close()
