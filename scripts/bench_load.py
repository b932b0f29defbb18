"""Load benchmarks: the portal on gunicorn against a bare Flask app, pushes, a soak, and
the consoles at 100,000 submissions. Prints figures; asserts nothing.

    .venv/bin/python scripts/bench_load.py [status|pushes|seen|consoles|all]

- status: wrk (2 threads, 16 connections), alternating portal and bare Flask on the same
  gunicorn config (2 sync workers), over a 5,000-submission database: status.json,
  the status page and the form page, medians of 3 rounds and their ratio.
- pushes: encrypted result pushes (independent implementation of WeChat's scheme) at
  50/s for 20 s to the portal and to the bare app: p50/p99 of each.
- seen: how long after a result is stored an open status page (polling as its script
  does) shows it: median of 30 trials.
- the mixed soak (pages, pushes and submissions at once) is scripts/bench_soak.py.
- consoles: every staff, partner and admin page at 100,000 submissions: p95.
Needs wrk (apt-get install wrk) for "status".
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.db import connect, migrate  # noqa: E402
from portal.stack import free_port, new_credentials  # noqa: E402
from tests.wechat.independent import push_request  # noqa: E402

GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]


def seed(path: Path, n: int) -> list[str]:
    """A database of ``n`` submissions in assorted states; returns their public ids."""
    db = connect(str(path))
    migrate(db)
    states = ["queued", "checking", "awaiting_legal_person", "authorized", "failed", "expired"]
    now = time.time()
    partner = db.execute("INSERT INTO partners (name, created_at) VALUES ('基准代理', ?)", [now])
    rows = []
    for i in range(n):
        state = states[i % len(states)]
        rows.append((f"pub{i:07d}", "classic", f"基准测试{i}科技有限公司", f"91440101MA{i:08d}",
                     1, f"wx_bench{i}", "张三", "13800138000", f"key{i}", state,
                     partner.lastrowid, now - i, now - i, now - i))  # fmt: skip
    db.conn.executemany(
        "INSERT INTO submissions (public_id, flavor, name, code, code_type, legal_persona_wechat,"
        " legal_persona_name, contact_phone, match_key, state, partner_id, created_at,"
        " updated_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany(
        "INSERT INTO submission_events (submission_id, at, from_state, to_state, detail) "
        "SELECT id, created_at, NULL, 'queued', '资料已保存' FROM submissions WHERE id = ?",
        [(i,) for i in range(1, n + 1)],
    )
    db.conn.commit()
    db.conn.close()
    return [r[0] for r in rows]


def serve(
    spec: str, env: dict, log: Path, port: int = 0, cwd: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", spec], cwd=cwd, env={**env, "PYTHONPATH": str(cwd)},
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/healthz", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{spec} did not start:\n{log.read_text()[-2000:]}")


def portal_env(workdir: Path, database: Path, **extra: str) -> dict:
    return {**os.environ, **new_credentials(), "PORTAL_DATABASE": str(database),
            "PORTAL_WECHAT_API_BASE": "http://127.0.0.1:9", "PORTAL_SUBMISSIONS_PER_HOUR": "100000",
            "PYTHONPATH": str(ROOT), **extra}  # fmt: skip


def wrk(url: str, seconds: int = 5) -> float:
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", url], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def bench_status(workdir: Path) -> None:
    """wrk, alternating the portal and bare Flask (and BENCH_AGAINST, another checkout's
    portal, e.g. from `git archive <commit>`), BENCH_ROUNDS rounds (3): every round's
    figures, so the machine's noise shows, then the medians and their ratio."""
    if not shutil.which("wrk"):
        print("status: wrk is not installed (apt-get install wrk)")
        return
    database = workdir / "status.sqlite"
    ids = seed(database, 5000)
    env = portal_env(workdir, database)
    servers = {"portal": serve("wsgi:app", env, workdir / "gunicorn-portal.log"),
               "bare": serve("scripts.bench_bare:app", env, workdir / "gunicorn-bare.log")}  # fmt: skip
    if os.environ.get("BENCH_AGAINST"):
        other = Path(os.environ["BENCH_AGAINST"])
        servers["other"] = serve("wsgi:app", env, workdir / "gunicorn-other.log", cwd=other)
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    try:
        sub = ids[len(ids) // 2]
        for label, path in [("status.json", f"/s/{sub}/status.json"),
                            ("status page", f"/s/{sub}"), ("form page", "/apply")]:  # fmt: skip
            rps: dict[str, list[float]] = {name: [] for name in servers}
            for _ in range(rounds):  # alternating, so each sees the same machine
                for name, (_, url) in servers.items():
                    rps[name].append(wrk(url + path))
            each = ", ".join(
                f"{p / b:.2f}" for p, b in zip(rps["portal"], rps["bare"], strict=True)
            )
            m = {name: statistics.median(values) for name, values in rps.items()}
            print(f"status: {label:12} portal {m['portal']:7.0f} req/s, bare Flask "
                  f"{m['bare']:7.0f} req/s, ratio {m['portal'] / m['bare']:.2f} (rounds: {each})"
                  + (f"; other {m['other']:7.0f} req/s, ratio {m['other'] / m['bare']:.2f}"
                     if "other" in m else ""))  # fmt: skip
    finally:
        for process, _ in servers.values():
            process.terminate()


def push_body(env: dict, n: int) -> tuple[dict, bytes]:
    xml = (
        f"<xml><AppId>{env['PORTAL_WECHAT_COMPONENT_APPID']}</AppId><CreateTime>{n}</CreateTime>"
        "<InfoType>notify_third_fasteregister</InfoType><status>103</status>"
        f"<info><name>推送基准{n}有限公司</name><code>91440101MA{n:08d}</code></info></xml>"
    )
    return push_request(env["PORTAL_WECHAT_TOKEN"], env["PORTAL_WECHAT_ENCODING_AES_KEY"],
                        env["PORTAL_WECHAT_COMPONENT_APPID"], xml, nonce=str(n))  # fmt: skip


def paced(send, rate: float, seconds: float, workers: int = 32) -> list[float]:
    """Call ``send(i)`` ``rate`` times a second; latencies in ms from each send's start."""
    latencies: list[float] = []

    def one(i: int) -> None:
        start = time.perf_counter()
        send(i)
        latencies.append((time.perf_counter() - start) * 1000)

    with ThreadPoolExecutor(workers) as pool:
        begin = time.perf_counter()
        for i in range(int(rate * seconds)):
            time.sleep(max(0.0, begin + i / rate - time.perf_counter()))
            pool.submit(one, i)
    return latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def bench_pushes(workdir: Path) -> None:
    database = workdir / "pushes.sqlite"
    seed(database, 5000)
    env = portal_env(workdir, database)
    bodies = [push_body(env, n) for n in range(1000)]
    for spec in ("wsgi:app", "scripts.bench_bare:app"):
        process, url = serve(spec, env, workdir / f"gunicorn-{spec}.log")
        client = httpx.Client(timeout=10)
        try:
            lat = paced(lambda i, c=client, u=url: c.post(u + "/wechat/events", params=bodies[i][0],
                                                          content=bodies[i][1]), 50, 20)  # fmt: skip
        finally:
            process.terminate()
        name = "portal" if spec == "wsgi:app" else "bare Flask"
        print(
            f"pushes: {name:10} 50/s for 20 s: p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms"
        )


def bench_seen(workdir: Path) -> None:
    """From a stored result to an open status page showing it, polling as status.js does."""
    database = workdir / "seen.sqlite"
    ids = seed(database, 5000)
    env = portal_env(workdir, database)
    process, url = serve("wsgi:app", env, workdir / "gunicorn-seen.log")
    db = connect(str(database))
    delays = []
    try:
        for trial in range(30):
            public_id = ids[trial * 6]  # a queued one
            client = httpx.Client(base_url=url, timeout=5)
            etag = client.get(f"/s/{public_id}/status.json").headers["ETag"]
            changed_at = [0.0]

            def change(pid=public_id, changed_at=changed_at):
                time.sleep(random.uniform(0, 1))
                db.execute("UPDATE submissions SET state = 'authorized', updated_at = ? "
                           "WHERE public_id = ?", [time.time(), pid])  # fmt: skip
                db.conn.commit()
                changed_at[0] = time.perf_counter()

            threading.Thread(target=change).start()
            time.sleep(random.uniform(0, 1))  # the page's poll is at some phase of its second
            while True:
                answer = client.get(f"/s/{public_id}/status.json", headers={"If-None-Match": etag})
                if answer.status_code == 200 and changed_at[0]:
                    delays.append(time.perf_counter() - changed_at[0])
                    break
                time.sleep(1.0)  # status.js polls once a second while visible
    finally:
        process.terminate()
    print(f"seen: result on an open status page after median {statistics.median(delays):.2f} s "
          f"(max {max(delays):.2f} s, {len(delays)} trials; 1 s polling, 304 while unchanged)")  # fmt: skip


def bench_consoles(workdir: Path, n: int = 100_000) -> None:
    import portal
    from portal import accounts

    database = workdir / "consoles.sqlite"
    ids = seed(database, n)
    db = connect(str(database))
    partner_id = db.execute("SELECT id FROM partners").fetchone()[0]
    for role in ("staff", "admin", "partner"):
        accounts.create_user(db, f"bench_{role}", "bench-password-123", role,
                             partner_id if role == "partner" else None)  # fmt: skip
    sub_id = db.execute("SELECT id FROM submissions WHERE public_id = ?", [ids[n // 2]]).fetchone()[
        0
    ]
    app = portal.create_app({**new_credentials_config(), "DATABASE": str(database)})
    pages = {
        "staff": ["/staff/", "/staff/search?name=测试12", f"/staff/search?code=91440101MA{n // 2:08d}",
                  "/staff/search?wechat=wx_bench77", "/staff/search?state=failed",
                  f"/staff/submissions/{sub_id}", f"/staff/submissions/{sub_id}/ask"],
        "partner": ["/partner/", "/partner/links"],
        "admin": ["/admin/", "/admin/users", "/admin/audit"],
    }  # fmt: skip
    for role, paths in pages.items():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": f"bench_{role}", "password": "bench-password-123",
                                    "csrf_token": token})  # fmt: skip
        for path in paths:
            times = []
            for _ in range(21):
                start = time.perf_counter()
                assert client.get(path).status_code == 200, path
                times.append((time.perf_counter() - start) * 1000)
            print(f"consoles: {n:,} submissions, {role:7} {path:45} p95 {pct(times, 95):6.1f} ms")


def new_credentials_config() -> dict:
    return {k.removeprefix("PORTAL_"): v for k, v in new_credentials().items()}


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    benches = {"status": bench_status, "pushes": bench_pushes, "seen": bench_seen,
               "consoles": bench_consoles}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for name, bench in benches.items():
            if which in (name, "all"):
                bench(Path(tmp))


if __name__ == "__main__":
    main()
