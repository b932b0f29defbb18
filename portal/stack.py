"""Start the portal, the WeChat sandbox and the worker as three processes on loopback.

One launcher for the demo (``flask --app portal demo``) and for the integration and
browser tests, so both run the product exactly the same way.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from portal.paths import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_credentials() -> dict[str, str]:
    """A fresh, well-formed set of platform credentials for a sandboxed run."""
    return {
        "PORTAL_WECHAT_COMPONENT_APPID": "wx" + secrets.token_hex(8),
        "PORTAL_WECHAT_COMPONENT_APPSECRET": secrets.token_hex(16),
        "PORTAL_WECHAT_TOKEN": secrets.token_urlsafe(16),
        "PORTAL_WECHAT_ENCODING_AES_KEY": base64.b64encode(secrets.token_bytes(32)).decode()[:43],
        "PORTAL_WECHAT_COMPONENT_PHONE": "020-12345678",
    }


#: Sandbox and worker timings that let a test finish in seconds.
FAST = {
    "PORTAL_SANDBOX_CHECK_DELAY": "1",
    "PORTAL_SANDBOX_RESEND_DELAY": "0.5",
    "PORTAL_WORKER_INTERVAL": "0.2",
    "PORTAL_SEND_RETRY_DELAY": "1",
    "PORTAL_SEARCH_SCHEDULE": "2,4,8",
    "PORTAL_SUBMISSIONS_PER_HOUR": "1000",
    "PORTAL_WEBHOOK_RETRY_DELAY": "0.5",
    # The merchant files (ICP 备案) as soon as WeChat lets them: release wants it (85020).
    "PORTAL_SANDBOX_ICP_FILED_AFTER": "0",
}


@dataclass
class Stack:
    portal_url: str
    sandbox_url: str
    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    def start(self, name: str, args: list[str]) -> None:
        self.commands[name] = args
        with open(self.log_dir / f"{name}.log", "ab") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "flask", *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self, name: str | None = None) -> None:
        names = [name] if name else list(self.processes)
        for each in names:
            process = self.processes.pop(each, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def kill(self, name: str) -> None:
        """SIGKILL a process, as a crash or an OOM kill would: no cleanup runs."""
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def restart(self, name: str) -> None:
        """Start a stopped or killed process again with the command it first had."""
        self.kill(name)
        self.start(name, self.commands[name])

    def start_worker(self) -> None:
        self.start("worker", ["--app", "portal", "worker"])

    def logs(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")


def _wait_for(url: str, stack: Stack, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited early:\n{stack.logs(name)[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def start_stack(
    workdir: Path,
    *,
    env: dict[str, str] | None = None,
    portal_port: int | None = None,
    sandbox_port: int | None = None,
    worker: bool = True,
) -> Stack:
    """Start portal, then sandbox (whose first push is the ticket), then the worker."""
    workdir.mkdir(parents=True, exist_ok=True)
    portal_port = portal_port or free_port()
    sandbox_port = sandbox_port or free_port()
    portal_url = f"http://127.0.0.1:{portal_port}"
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    full_env = {
        **os.environ,
        **new_credentials(),
        "PORTAL_DATABASE": str(workdir / "portal.sqlite"),
        "PORTAL_SANDBOX_DATABASE": str(workdir / "sandbox.sqlite"),
        "PORTAL_WECHAT_API_BASE": sandbox_url,
        "PORTAL_SANDBOX_EVENT_URL": f"{portal_url}/wechat/events",
        "PORTAL_SANDBOX_MESSAGE_URL": f"{portal_url}/wechat/messages/$APPID$",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    stack = Stack(portal_url, sandbox_url, full_env, workdir)
    host = ["--host", "127.0.0.1", "--port"]
    stack.start("portal", ["--app", "portal", "run", *host, str(portal_port), "--no-reload"])
    _wait_for(f"{portal_url}/healthz", stack)
    stack.start("sandbox", ["--app", "portal.sandbox", "serve", *host, str(sandbox_port)])
    _wait_for(f"{sandbox_url}/sandbox/tasks", stack)
    if worker:
        stack.start_worker()
    return stack


@contextmanager
def running_stack(workdir: Path, **kwargs) -> Iterator[Stack]:
    """Start the three processes for the length of a ``with`` block."""
    stack = start_stack(workdir, **kwargs)
    try:
        yield stack
    finally:
        stack.stop()
