"""The README's deployment on loopback: nginx and the two gunicorn lanes, from deploy/.

The integration test and ``scripts/bench_load.py soak`` run exactly the shipped files:
``deploy/nginx-portal.conf`` with its ports moved and TLS left out, and gunicorn with
``deploy/gunicorn-pages.conf.py`` and ``deploy/gunicorn-events.conf.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from portal.paths import ROOT
from portal.stack import free_port

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

#: The parts of a main nginx.conf that the shipped server block leaves to the host.
MAIN = """worker_processes 1;
user root;  # the temp folders are the test's own (ignored when not run as root)
daemon off;
pid {wd}/nginx.pid;
error_log {wd}/nginx-error.log;
events {{ worker_connections 8192; }}  # README: raise it for open status pages
worker_rlimit_nofile 16384;
http {{
    access_log off;
    client_body_temp_path {wd}/body;
    proxy_temp_path {wd}/proxy;
    fastcgi_temp_path {wd}/fastcgi;
    uwsgi_temp_path {wd}/uwsgi;
    scgi_temp_path {wd}/scgi;
{site}
}}
"""


@dataclass
class Lanes:
    url: str
    pages: subprocess.Popen
    events: subprocess.Popen
    nginx: subprocess.Popen
    ports: dict[str, int]
    env: dict[str, str]
    log: Path

    def kill(self, lane: str) -> None:
        """SIGKILL a lane, master and workers, as a crash would."""
        process = getattr(self, lane)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def start(self, lane: str) -> None:
        """Start a killed lane again on its port; return once it answers."""
        setattr(self, lane, gunicorn(lane, self.ports[lane], self.env, self.log))
        wait_until_up(f"http://127.0.0.1:{self.ports[lane]}/healthz")

    def stop(self) -> None:
        for process in (self.nginx, self.pages, self.events):
            if process.poll() is None:
                process.terminate()
        for process in (self.nginx, self.pages, self.events):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def site_for_loopback(port: int, pages: int, events: int) -> str:
    """deploy/nginx-portal.conf listening on loopback without TLS, upstreams moved."""
    site = (DEPLOY / "nginx-portal.conf").read_text()
    site = re.sub(r"^\s*ssl_\w+.*$", "", site, flags=re.M)
    site = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", site)
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{pages}")
    return site.replace("127.0.0.1:8002", f"127.0.0.1:{events}")


def gunicorn(lane: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    config = DEPLOY / f"gunicorn-{lane}.conf.py"
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "--bind", f"127.0.0.1:{port}"]
            + ["wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a test can stop the lane, workers and all
        )


def start_lanes(workdir: Path, env: dict[str, str], port: int | None = None) -> Lanes:
    """Start both gunicorn lanes and nginx (on ``port``) in front; wait until they answer."""
    workdir.mkdir(parents=True, exist_ok=True)
    port, pages_port, events_port = port or free_port(), free_port(), free_port()
    conf = workdir / "nginx.conf"
    site = site_for_loopback(port, pages_port, events_port)
    conf.write_text(MAIN.format(wd=workdir, site=site))
    log = workdir / "lanes.log"
    pages = gunicorn("pages", pages_port, env, log)
    events = gunicorn("events", events_port, env, log)
    with log.open("ab") as out:
        nginx = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(workdir)], stdout=out, stderr=subprocess.STDOUT
        )
    ports = {"pages": pages_port, "events": events_port}
    lanes = Lanes(f"http://127.0.0.1:{port}", pages, events, nginx, ports, env, log)
    try:
        for url in (lanes.url, f"http://127.0.0.1:{events_port}"):
            wait_until_up(url + "/healthz")
    except RuntimeError:
        lanes.stop()
        raise RuntimeError(
            f"nginx and the lanes did not start:\n{log.read_text()[-3000:]}"
        ) from None
    return lanes


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
