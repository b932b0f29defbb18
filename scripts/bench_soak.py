"""The mixed soak: does WeChat's event URL answer within its 5 s whatever the page traffic?

    .venv/bin/python scripts/bench_soak.py [--seconds 60] [--single]

Runs the README's deployment (nginx from deploy/nginx-portal.conf, the pages and events
gunicorn lanes from deploy/, the worker and the WeChat sandbox) on loopback, or with
``--single`` one gunicorn with 2 sync workers for everything, and drives for the given
time, from this same machine:

- 200 status pages, each polling ``status.json`` once a second as ``status.js`` does
  (keep-alive, ``If-None-Match``; after a 503 it waits at least ``Retry-After``);
- 50 encrypted result pushes a second, each on a new connection as WeChat sends them;
  a push counts as refused unless it is answered ``success`` within WeChat's 5 s;
- 10 submissions a second through the real form (form, check, confirmation, submit).

Prints push and poll p50/p99, 503s, other 5xx, "database is locked" in the logs, and the
load generator's own CPU share; then checks nothing was lost (every push answered
``success`` is stored, every submission answered with its status page exists).
Needs nginx (``make packages`` installs it). Asserts nothing: the figures go in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.stack import FAST, free_port, start_stack  # noqa: E402
from scripts.bench_load import push_body, seed, serve  # noqa: E402
from tests.lanes import start_lanes  # noqa: E402
from tests.registration.facts import code_for  # noqa: E402

WECHAT_DEADLINE = 5.0
POLL_MS, MAX_BACKOFF_MS = 1000, 30000  # as static/js/status.js


@dataclass
class Figures:
    push_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    form_ms: list[float] = field(default_factory=list)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    pushes_sent: int = 0
    pushes_refused: int = 0
    submitted: list[str] = field(default_factory=list)
    errors: int = 0

    def count(self, kind: str, status: int) -> None:
        counts = self.statuses.setdefault(kind, {})
        counts[status] = counts.get(status, 0) + 1

    def total(self, predicate) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if predicate(s))


async def request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: str, body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 exchange on an open connection; a plain client costs the load
    generator a fraction of what httpx does, so the figures are the server's."""
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if status in (204, 304):
        return status, headers, b""
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readline()).strip() or b"0", 16):
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        await reader.readline()
        return status, headers, b"".join(chunks)
    if "content-length" in headers:
        return status, headers, await reader.readexactly(int(headers["content-length"]))
    return status, headers, await reader.read()


async def poller(host: str, port: int, public_id: str, end: float, fig: Figures) -> None:
    await asyncio.sleep(POLL_MS / 1000 * (hash(public_id) % 1000) / 1000)  # tabs out of phase
    etag, delay, connection = "", POLL_MS, None
    next_at = time.perf_counter()
    while next_at < end:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        started = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection(host, port)
            head = (
                f"GET /s/{public_id}/status.json HTTP/1.1\r\nHost: {host}\r\n"
                + (f"If-None-Match: {etag}\r\n" if etag else "")
                + "\r\n"
            )
            status, headers, _ = await request(*connection, head)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            fig.errors += 1
            if connection is not None:
                connection[1].close()
            connection = None
            delay = min(delay * 2, MAX_BACKOFF_MS)
            next_at = time.perf_counter() + delay / 1000
            continue
        fig.poll_ms.append((time.perf_counter() - started) * 1000)
        fig.count("poll", status)
        if status in (200, 304):
            etag, delay = headers.get("etag", etag), POLL_MS
        else:  # status.js: double, and at least Retry-After
            after = float(headers.get("retry-after", 0)) * 1000
            delay = min(max(delay * 2, after), MAX_BACKOFF_MS)
        if headers.get("connection", "").lower() == "close":
            connection[1].close()
            connection = None
        next_at = started + delay / 1000


async def push(host: str, port: int, params: dict, body: bytes, fig: Figures) -> None:
    fig.pushes_sent += 1
    started = time.perf_counter()
    head = (
        f"POST /wechat/events?{urlencode(params)} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: text/xml\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    try:
        async with asyncio.timeout(WECHAT_DEADLINE):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                status, _, answer = await request(reader, writer, head, body)
            finally:
                writer.close()
    except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError):
        fig.pushes_refused += 1
        fig.push_ms.append(WECHAT_DEADLINE * 1000)
        return
    fig.push_ms.append((time.perf_counter() - started) * 1000)
    fig.count("push", status)
    if status != 200 or answer != b"success":
        fig.pushes_refused += 1


async def submit(url: str, n: int, fig: Figures) -> None:
    """A merchant through the real form: the form, its check, the confirmation, submit."""
    name = f"沙箱S0浸泡{n}科技有限公司"  # S0: WeChat approves it, the worker authorizes it
    form = {
        "name": name,
        "code_type": "1",
        "code": code_for(name),
        "legal_persona_name": "张三",
        "legal_persona_wechat": "zhangsan_88",
    }
    # verify=False: plain HTTP on loopback; loading the CA bundle costs 35 ms of the
    # generator's event loop per client, which would count in every latency.
    async with httpx.AsyncClient(base_url=url, timeout=30, verify=False) as browser:

        async def step(method: str, path: str, **kw) -> httpx.Response | None:
            started = time.perf_counter()
            try:
                answer = await browser.request(method, path, **kw)
            except httpx.HTTPError:
                fig.errors += 1
                return None
            fig.form_ms.append((time.perf_counter() - started) * 1000)
            fig.count("form", answer.status_code)
            return answer

        page = await step("GET", "/apply")
        if page is None or page.status_code != 200:
            return
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        form["csrf_token"] = token.group(1)
        checked = await step("POST", "/apply", data=form)
        if checked is None or checked.status_code != 303:
            return
        confirm = await step("GET", "/apply/confirm")
        if confirm is None or confirm.status_code != 200:
            return
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm.text)
        form.update(csrf_token=token.group(1), action="submit")
        sent = await step("POST", "/apply/confirm", data=form)
        if sent is not None and sent.is_redirect and "/s/" in sent.headers["location"]:
            fig.submitted.append(sent.headers["location"].rsplit("/s/", 1)[1])


async def drive(url: str, ids: list[str], bodies: list, seconds: int, fig: Figures) -> None:
    host, port = "127.0.0.1", int(url.rsplit(":", 1)[1])
    begin = time.perf_counter()
    end = begin + seconds
    tasks = [asyncio.create_task(poller(host, port, pid, end, fig)) for pid in ids]
    for i in range(seconds * 50):  # pushes on the clock, whatever the answers take
        await asyncio.sleep(max(0.0, begin + i / 50 - time.perf_counter()))
        params, body = bodies[i]
        tasks.append(asyncio.create_task(push(host, port, params, body, fig)))
        if i % 5 == 0:
            tasks.append(asyncio.create_task(submit(url, i // 5, fig)))
    await asyncio.gather(*tasks)


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--single", action="store_true", help="one gunicorn for everything")
    parser.add_argument("--pollers", type=int, default=200, help="open status pages")
    parser.add_argument("--keep", type=Path, help="a new folder to keep the logs in")
    args = parser.parse_args()
    if args.keep:
        run(args.keep, args.seconds, args.single, args.pollers)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), args.seconds, args.single, args.pollers)


def run(workdir: Path, seconds: int, single: bool, pollers: int) -> None:
    port = free_port()  # where the load and the sandbox's own pushes both go
    env = {
        **FAST,
        "PORTAL_SUBMISSIONS_PER_HOUR": "100000",
        "PORTAL_SANDBOX_EVENT_URL": f"http://127.0.0.1:{port}/wechat/events",
    }
    stack = start_stack(workdir / "stack", env=env)
    stack.kill("portal")  # replaced by the deployment below
    database = Path(stack.env["PORTAL_DATABASE"])
    ids = seed(database, max(5000, pollers))[:pollers]
    env = {**stack.env, "PYTHONPATH": str(ROOT)}
    if single:
        process, url = serve("wsgi:app", env, workdir / "gunicorn.log", port)
        stop = process.terminate
    else:
        deployed = start_lanes(workdir / "lanes", env, port)
        url, stop = deployed.url, deployed.stop
    bodies = [push_body(stack.env, 100_000 + n) for n in range(50 * seconds)]
    fig = Figures()
    usage_before, wall_before = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    try:
        asyncio.run(drive(url, ids, bodies, seconds, fig))
        usage, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        time.sleep(2)
    finally:
        stop()
        stack.stop()
    cpu = usage.ru_utime - usage_before.ru_utime + usage.ru_stime - usage_before.ru_stime
    logs = "".join(p.read_text(errors="replace") for p in workdir.rglob("*.log"))
    report(fig, seconds, single, pollers, cpu / (wall - wall_before), logs, database)
    if fig.pushes_refused:  # say why: nginx's and the lanes' own words
        for name in ("nginx-error.log", "lanes.log"):
            for path in workdir.rglob(name):
                lines = [
                    ln
                    for ln in path.read_text(errors="replace").splitlines()
                    if "[error]" in ln or "[crit]" in ln or "Error" in ln or "CRITICAL" in ln
                ]
                print(f"  {name}: {len(lines)} error lines; first: {lines[:3]}")


def report(
    fig: Figures, seconds: int, single: bool, pollers: int, cpu: float, logs: str, db: Path
) -> None:
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM pushes WHERE create_time BETWEEN 100000 AND ?",
            [99_999 + fig.pushes_sent],
        ).fetchone()
        found = conn.execute(
            f"SELECT count(*) FROM submissions WHERE public_id IN "
            f"({','.join('?' * len(fig.submitted))})",
            fig.submitted,
        ).fetchone()
    polls, forms = fig.statuses.get("poll", {}), fig.statuses.get("form", {})
    print(
        f"soak, {'one gunicorn (2 sync workers)' if single else 'nginx + pages lane + events lane'}"
        f", {seconds} s: {pollers} pollers, 50 pushes/s, 10 submissions/s through the form\n"
        f"  pushes: {fig.pushes_sent} sent, p50 {pct(fig.push_ms, 50):.0f} ms, "
        f"p99 {pct(fig.push_ms, 99):.0f} ms, max {max(fig.push_ms):.0f} ms; "
        f"{fig.pushes_refused} refused or later than 5 s; {stored[0]} stored; "
        f"answers by status {dict(sorted(fig.statuses.get('push', {}).items()))}\n"
        f"  polls: {len(fig.poll_ms)}, p50 {pct(fig.poll_ms, 50):.0f} ms, "
        f"p99 {pct(fig.poll_ms, 99):.0f} ms, {sum(ms > 2000 for ms in fig.poll_ms)} over 2 s; "
        f"{polls.get(503, 0)} answered 503\n"
        f"  form requests: {len(fig.form_ms)}, p50 {pct(fig.form_ms, 50):.0f} ms, "
        f"p99 {pct(fig.form_ms, 99):.0f} ms, {forms.get(503, 0)} answered 503; "
        f"{len(fig.submitted)} submitted, {found[0]} of them stored\n"
        f"  {fig.total(lambda s: s >= 500 and s != 503)} 5xx other than 503, "
        f"{logs.count('database is locked')} 'database is locked', "
        f"{fig.errors} connection errors; load generator CPU {cpu:.0%} of one core"
    )


if __name__ == "__main__":
    main()
