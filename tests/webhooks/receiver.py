"""A real HTTP receiver on loopback: answers from a script, records every request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """``received`` holds a request as soon as it arrived, before it is answered: the
    sender has not recorded the answer yet (a test waits for that record itself)."""

    def __init__(
        self,
        answers: list[int] | None = None,
        on_post: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        self.answers = list(answers or [])  # statuses to answer first; then 200
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.on_post = on_post  # called with the headers before the answer is sent
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append((dict(self.headers), body))
                if receiver.on_post is not None:
                    receiver.on_post(dict(self.headers))
                status = receiver.answers.pop(0) if receiver.answers else 200
                answer = b"ok" if status < 300 else b"receiver is down"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def types(self) -> list[str]:
        return [headers["Portal-Event-Type"] for headers, _ in self.received]
