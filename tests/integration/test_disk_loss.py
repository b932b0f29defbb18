"""The disk is lost: nothing acknowledged more than one sync interval earlier is lost with it.

Portal, worker, sandbox and Litestream (``flask --app portal replicate``, the systemd
unit's command, with deploy/litestream.yml) run as real processes, replicating to a file
replica at a 1 s sync interval. Merchants submit through the real form while WeChat's
result pushes arrive and the worker works; then every process is SIGKILLed and the
database's files (the WAL and Litestream's own copy too) are deleted. The replica is
restored as on a new host, and every submission whose status page was answered and every
push answered ``success`` more than one sync interval before the loss must be in it.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

import portal
from portal import config as settings
from portal import litestream, replication
from portal.stack import FAST, free_port, running_stack
from portal.validation import validate
from tests.conftest import wait_until
from tests.registration.facts import code_for
from tests.wechat.independent import push_request

pytestmark = pytest.mark.integration

SYNC_INTERVAL = 1.0
WRITING_SECONDS = 6.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Acks:
    """What the portal acknowledged, and when (the client's clock, after the answer)."""

    def __init__(self) -> None:
        self.submissions: dict[str, float] = {}  # public id → its status page answered
        self.pushes: dict[int, float] = {}  # CreateTime → answered "success"
        self.errors: list[tuple[float, str]] = []

    def error(self, what: str) -> None:
        self.errors.append((time.time(), what))


def merchant(url: str, who: str, stop: threading.Event, acks: Acks) -> None:
    """Merchants one after another through the form, its confirmation and the status page."""
    n = 0
    with httpx.Client(base_url=url, timeout=10) as browser:
        while not stop.is_set():
            n += 1
            name = f"沙箱S0断盘{who}{n}科技有限公司"  # S0: WeChat approves; the worker authorizes
            form = {"name": name, "code_type": "1", "code": code_for(name),
                    "legal_persona_name": "张三", "legal_persona_wechat": "zhangsan_88"}  # fmt: skip
            if validate(form).errors:  # code_for's code may fail a check: take the next name
                continue
            try:
                form["csrf_token"] = CSRF.search(browser.get("/apply").text).group(1)
                checked = browser.post("/apply", data=form)
                if checked.status_code != 303:
                    acks.error(f"the form answered {checked.status_code} to {name}")
                    continue
                confirm = browser.get("/apply/confirm").text
                form.update(csrf_token=CSRF.search(confirm).group(1), action="submit")
                sent = browser.post("/apply/confirm", data=form)
                public_id = sent.headers["location"].rsplit("/s/", 1)[1]
                if browser.get(f"/s/{public_id}").status_code == 200:
                    acks.submissions[public_id] = time.time()
            except (httpx.HTTPError, AttributeError, KeyError) as exc:
                acks.error(f"{name}: {exc!r}")


def wechat(url: str, env: dict, stop: threading.Event, acks: Acks) -> None:
    """WeChat's result pushes for tasks the portal never sent: recorded, answered success."""
    n = 1_800_000_000
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            n += 1
            xml = (f"<xml><AppId>{env['PORTAL_WECHAT_COMPONENT_APPID']}</AppId>"
                   f"<CreateTime>{n}</CreateTime><InfoType>notify_third_fasteregister</InfoType>"
                   f"<status>103</status><info><name>断盘推送{n}有限公司</name>"
                   f"<code>{code_for(f'断盘推送{n}有限公司')}</code></info></xml>")  # fmt: skip
            params, body = push_request(env["PORTAL_WECHAT_TOKEN"],
                                        env["PORTAL_WECHAT_ENCODING_AES_KEY"],
                                        env["PORTAL_WECHAT_COMPONENT_APPID"], xml, nonce=str(n))  # fmt: skip
            try:
                answer = client.post(f"{url}/wechat/events", params=params, content=body)
            except httpx.HTTPError as exc:
                acks.error(f"push {n}: {exc!r}")
                continue
            if answer.text == "success":
                acks.pushes[n] = time.time()
            time.sleep(0.02)


def test_what_was_acknowledged_before_the_last_sync_survives_the_disk(tmp_path: Path):
    disk, replica = tmp_path / "disk", tmp_path / "replica"  # the lost disk; object storage
    database = disk / "portal.sqlite"
    env = {**FAST, "PORTAL_DATABASE": str(database),
           "PORTAL_LITESTREAM_REPLICA_URL": f"file://{replica}",
           "PORTAL_LITESTREAM_SYNC_INTERVAL": f"{SYNC_INTERVAL:g}",
           "PORTAL_LITESTREAM_ADDR": f"127.0.0.1:{free_port()}"}  # fmt: skip
    acks, stop = Acks(), threading.Event()
    with running_stack(tmp_path / "stack", env=env) as stack:
        config = {**settings.DEFAULTS, **settings.from_environment(stack.env)}
        stack.start("litestream", ["--app", "portal", "replicate"])
        wait_until(lambda: replication.replication_status(config).ok, 20, "a first snapshot")
        writers = [
            threading.Thread(target=merchant, args=(stack.portal_url, "甲", stop, acks)),
            threading.Thread(target=merchant, args=(stack.portal_url, "乙", stop, acks)),
            threading.Thread(target=wechat, args=(stack.portal_url, stack.env, stop, acks)),
        ]
        for thread in writers:
            thread.start()
        time.sleep(WRITING_SECONDS)
        lost_at = time.time()  # the disk goes: Litestream first, then everything else
        for name in ("litestream", "portal", "worker", "sandbox"):
            stack.kill(name)
        stop.set()
        for thread in writers:
            thread.join()
    shutil.rmtree(disk)  # the database, its WAL and -shm, Litestream's own copy
    started = time.perf_counter()
    restored = subprocess.run(
        litestream.command(config, "restore", "-o", str(database), str(database)),
        env=litestream.litestream_env(config), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    restore_seconds = time.perf_counter() - started
    assert restored.returncode == 0, restored.stderr
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept_subs = {row[0] for row in conn.execute("SELECT public_id FROM submissions")}
    kept_pushes = {row[0] for row in conn.execute("SELECT create_time FROM pushes")}
    conn.close()

    window_start = lost_at - SYNC_INTERVAL
    figures = {}
    for kind, acked, kept in [("submissions", acks.submissions, kept_subs),
                              ("pushes", acks.pushes, kept_pushes)]:  # fmt: skip
        before = {key for key, at in acked.items() if at < window_start}
        inside = {key for key, at in acked.items() if at >= window_start}
        missing = before - kept
        oldest = max((lost_at - acked[key] for key in inside - kept), default=0.0)
        figures[kind] = (len(acked), len(before), len(before & kept), len(inside),
                         len(inside & kept), len(inside - kept), oldest, missing)  # fmt: skip
    print(f"\ndisk loss after {WRITING_SECONDS:g} s of writing, sync interval {SYNC_INTERVAL:g} s;"
          f" restored in {restore_seconds:.2f} s")  # fmt: skip
    for kind, (total, before, kept, inside, inside_kept, inside_lost, oldest, _) in figures.items():
        print(f"  {kind}: {total} acknowledged; {before} before the last sync interval, "
              f"{kept} restored; {inside} inside it, {inside_kept} restored, "
              f"{inside_lost} lost (the oldest acknowledged {oldest:.2f} s before the loss)")  # fmt: skip
    before_loss = [what for at, what in acks.errors if at < lost_at]
    print(f"  errors answered before the loss: {len(before_loss)} {before_loss[:3]}")
    assert figures["submissions"][1] >= 5 and figures["pushes"][1] >= 20, "too little was written"
    for kind, (*_, missing) in figures.items():
        assert not missing, f"{kind} acknowledged before the last sync were lost: {missing}"
    # The new host serves the restored database: migrations apply, the status links work.
    app = portal.create_app({"DATABASE": str(database), "TESTING": True})
    oldest = min(acks.submissions, key=acks.submissions.get)
    assert app.test_client().get(f"/s/{oldest}").status_code == 200
