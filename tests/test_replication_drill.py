"""The restore drill and the health figures against a real Litestream replicating a
database that is being written: ``flask replicate`` and ``flask restore-drill`` as an
operator runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from portal import config as settings
from portal import replication
from portal.db import connect, migrate, transaction
from portal.paths import ROOT
from portal.stack import free_port
from tests.conftest import wait_until

pytestmark = pytest.mark.integration


def flask(env: dict, *args: str, **kw) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", "--app", "portal", *args]
    if kw.pop("background", False):
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def write(db, n: int) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO partners (name, created_at) VALUES (?, ?)", [f"演练代理{n}", time.time()]
        )


def wal_mtime(database: Path) -> float:
    return database.with_name(database.name + "-wal").stat().st_mtime


def newest_local_ltx(config: dict) -> float:
    return max((mtime for _, mtime in replication.local_files(config)), default=0.0)


def test_the_drill_restores_checks_and_compares_and_health_follows_litestream(tmp_path: Path):
    database = tmp_path / "live" / "portal.sqlite"
    env = {**os.environ, "PORTAL_DATABASE": str(database),
           "PORTAL_LITESTREAM_REPLICA_URL": f"file://{tmp_path / 'replica'}",
           "PORTAL_LITESTREAM_ADDR": f"127.0.0.1:{free_port()}"}  # fmt: skip
    config = {**settings.DEFAULTS, **settings.from_environment(env)}
    db = connect(str(database))
    migrate(db)
    write(db, 0)
    litestream = flask(env, "replicate", background=True)
    try:
        first = wait_until(
            lambda: (s := replication.replication_status(config)).ok and s, 20, "a first sync"
        )
        for n in range(1, 6):
            write(db, n)
        written = wal_mtime(database)
        # The health figures allow Litestream a few seconds to read new writes, so wait
        # until it has read the WAL after the last write, then for the upload.
        status = wait_until(
            lambda: (
                (s := replication.replication_status(config)).ok
                and s.local_txid > first.local_txid
                and s.replica_txid == s.local_txid
                and newest_local_ltx(config) >= written
                and s
            ),
            10,
            "the writes to reach the replica",
        )
        assert status.running and status.lag_seconds == 0 and status.last_sync_at > time.time() - 10

        drill = flask(env, "restore-drill")
        assert drill.returncode == 0, drill.stdout + drill.stderr
        assert "integrity_check ok" in drill.stdout and "RTO of the database step" in drill.stdout
        partners = next(line for line in drill.stdout.splitlines() if " partners " in line)
        assert partners.split()[1:4] == ["6", "6", "6"] and partners.endswith("same")
        assert "✓ the drill passed." in drill.stdout
        assert not list(Path(tempfile.gettempdir()).glob("portal-drill-*/portal.sqlite"))
    finally:
        litestream.send_signal(signal.SIGKILL)
        litestream.wait()
    write(db, 6)
    stopped = replication.replication_status(config)
    assert stopped.state == replication.STOPPED and stopped.running is False
    db.conn.close()


def test_the_drill_fails_when_there_is_no_replica_to_restore(tmp_path: Path):
    env = {**os.environ, "PORTAL_DATABASE": str(tmp_path / "portal.sqlite"),
           "PORTAL_LITESTREAM_REPLICA_URL": f"file://{tmp_path / 'nothing'}"}  # fmt: skip
    drill = flask(env, "restore-drill")
    assert drill.returncode == 1
    assert "✗ litestream restore failed" in drill.stdout and "drill failed" in drill.stdout
    unset = flask({**env, "PORTAL_LITESTREAM_REPLICA_URL": ""}, "restore-drill")
    assert unset.returncode != 0 and "PORTAL_LITESTREAM_REPLICA_URL is not set" in unset.stderr
