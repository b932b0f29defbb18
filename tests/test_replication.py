"""Replication's settings and health, read from Litestream's files as it lays them out
(``ltx/<level>/<min>-<max>.ltx`` in the replica and in ``.<db>-litestream`` beside the
database): lag, last sync, stopped, and what the admin and ``/healthz`` show."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from portal import accounts, config, litestream, replication
from portal.replication import LAGGING, OFF, OK, STOPPED, UNREADABLE, replication_status
from tests.conftest import CREDENTIALS
from tests.consoles.conftest import login

NOW = time.time()


def ltx(directory: Path, level: int, first: int, last: int, mtime: float) -> None:
    path = directory / "ltx" / str(level) / f"{first:016x}-{last:016x}.ltx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"LTX")
    os.utime(path, (mtime, mtime))


def settings(tmp_path: Path, **extra) -> dict:
    database = tmp_path / "portal.sqlite"
    database.write_bytes(b"")
    return {
        **config.DEFAULTS,
        "DATABASE": str(database),
        "LITESTREAM_REPLICA_URL": f"file://{tmp_path / 'replica'}",
        "LITESTREAM_ADDR": "",  # no metrics to ask unless a test says so
        **extra,
    }


def local(tmp_path: Path) -> Path:
    return tmp_path / ".portal.sqlite-litestream"


def wal(tmp_path: Path, mtime: float) -> None:
    path = tmp_path / "portal.sqlite-wal"
    path.write_bytes(b"WAL")
    os.utime(path, (mtime, mtime))


def test_unset_replica_url_is_off_and_says_what_is_at_risk(tmp_path):
    status = replication_status({**config.DEFAULTS, "DATABASE": str(tmp_path / "x.sqlite")})
    assert status.state == OFF and not status.ok
    message = replication.explain(status)
    assert "PORTAL_LITESTREAM_REPLICA_URL" in message and "授权令牌" in message


def test_caught_up_replica_is_ok_with_its_last_sync(tmp_path):
    cfg = settings(tmp_path)
    ltx(tmp_path / "replica", 9, 1, 1, NOW - 100)
    ltx(tmp_path / "replica", 0, 2, 7, NOW - 3)
    ltx(local(tmp_path), 0, 7, 7, NOW - 3.5)
    wal(tmp_path, NOW - 4)
    status = replication_status(cfg, now=NOW)
    assert status.state == OK
    assert (status.replica_txid, status.local_txid) == (7, 7)
    assert status.last_sync_at == pytest.approx(NOW - 3, abs=0.01)
    assert status.lag_seconds == 0


def test_lag_is_the_age_of_the_oldest_change_not_in_the_replica(tmp_path):
    cfg = settings(tmp_path, LITESTREAM_LAG_ALERT=60.0)
    ltx(tmp_path / "replica", 0, 1, 5, NOW - 200)
    for txid, age in [(5, 201), (6, 90), (7, 30)]:
        ltx(local(tmp_path), 0, txid, txid, NOW - age)
    wal(tmp_path, NOW - 30)
    status = replication_status(cfg, now=NOW)
    assert status.state == LAGGING
    assert status.lag_seconds == pytest.approx(90, abs=0.01)
    assert "落后 90 秒" in replication.explain(status)


def test_writes_litestream_has_not_read_mean_it_stopped(tmp_path):
    cfg = settings(tmp_path)
    ltx(tmp_path / "replica", 0, 1, 3, NOW - 120)
    ltx(local(tmp_path), 0, 3, 3, NOW - 120)
    wal(tmp_path, NOW - 1)  # the portal wrote; Litestream did not follow
    status = replication_status(cfg, now=NOW)
    assert status.state == STOPPED
    assert status.lag_seconds == pytest.approx(120, abs=0.01)
    assert "systemctl status litestream" in replication.explain(status)


def test_metrics_that_do_not_answer_mean_it_stopped(tmp_path):
    from portal.stack import free_port

    cfg = settings(tmp_path, LITESTREAM_ADDR=f"127.0.0.1:{free_port()}")
    ltx(tmp_path / "replica", 0, 1, 1, NOW - 1)
    assert replication_status(cfg, now=NOW).state == STOPPED


def test_an_empty_or_missing_replica_is_unreadable(tmp_path):
    status = replication_status(settings(tmp_path), now=NOW)
    assert status.state == UNREADABLE and "no snapshot" in status.detail


def test_problems_of_the_replica_settings_one_line_each():
    good = {**config.DEFAULTS, "LITESTREAM_REPLICA_URL": "s3://portal-backup/portal"}
    creds = {name: "x" for name in litestream.CREDENTIALS}
    assert litestream.problems(good, creds) == []
    assert "LITESTREAM_ACCESS_KEY_ID" in litestream.problems(good, {})[0]
    bad = {**good, "LITESTREAM_REPLICA_URL": "ftp://host/x"}
    assert "not a replica URL" in litestream.problems(bad, creds)[0]
    leaky = {**good, "LITESTREAM_REPLICA_URL": "s3://key:secret@bucket/x"}
    assert "carries credentials" in litestream.problems(leaky, creds)[0]
    assert litestream.public_url("s3://key:secret@bucket/x") == "s3://bucket/x"
    # a self-hosted endpoint keeps its port
    assert litestream.public_url("s3://AK:SK@minio.internal:9000/b") == "s3://minio.internal:9000/b"
    style = {**good, "LITESTREAM_S3_FORCE_PATH_STYLE": "yes"}
    assert "FORCE_PATH_STYLE" in litestream.problems(style, creds)[0]


def test_every_placeholder_of_the_config_file_is_a_setting_and_is_filled(tmp_path):
    text = litestream.CONFIG_FILE.read_text()
    used = set(re.findall(r"\$\{PORTAL_(\w+)\}", text))
    assert used == {"DATABASE", *litestream.PLACEHOLDERS}
    assert set(litestream.PLACEHOLDERS) <= set(config.DEFAULTS)
    env = litestream.litestream_env(settings(tmp_path), environ={})
    expanded = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], text)
    assert "sync-interval: 1s" in expanded and "retention: 72h" in expanded
    assert f"path: {tmp_path / 'portal.sqlite'}" in expanded


def test_healthz_reports_replication_without_the_replica_address(app, client):
    answer = client.get("/healthz").get_json()
    assert answer["replication"]["state"] == OFF
    assert "replica" not in answer["replication"] and "lag_seconds" in answer["replication"]


def test_the_admin_sees_a_stopped_replication_with_what_to_do(app, client, db, tmp_path):
    app.config.update(LITESTREAM_REPLICA_URL=f"file://{tmp_path / 'replica'}", LITESTREAM_ADDR="")
    ltx(tmp_path / "replica", 0, 1, 1, NOW - 600)
    ltx(tmp_path / ".portal.sqlite-litestream", 0, 1, 1, NOW - 600)
    os.utime(app.config["DATABASE"] + "-wal", None)  # the portal just wrote
    accounts.create_user(db, "admin", "correct-horse-battery", "admin")
    login(client, "admin", "correct-horse-battery")
    page = client.get("/admin/").get_data(as_text=True)
    section = page[page.index('id="replication"') :]
    assert "已停止" in section[:400] and "最近同步" in section[:400]
    note = page[page.index('id="replication-note"') :][:600]
    assert 'role="alert"' in note and "journalctl -u litestream" in note


def test_production_without_replication_is_a_warning_for_the_admin(app, client, db):
    app.config.update(ENV="production", **CREDENTIALS)
    accounts.create_user(db, "admin", "correct-horse-battery", "admin")
    login(client, "admin", "correct-horse-battery")
    page = client.get("/admin/").get_data(as_text=True)
    note = page[page.index('id="replication-note"') :][:600]
    assert "notice warn" in note and "生产环境中数据库没有持续复制" in note


def test_healthz_reads_the_replica_once_per_two_seconds(app, client, monkeypatch):
    """Monitors poll /healthz; each reading lists LTX files and asks Litestream."""
    from portal import health

    reads = []
    real = health.replication_status
    monkeypatch.setattr(health, "replication_status", lambda c: reads.append(1) or real(c))
    health._replication_read.clear()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert len(reads) == 1
    monkeypatch.setattr(health, "REPLICATION_READ_SECONDS", 0.0)  # as if 2 s had passed
    client.get("/healthz")
    assert len(reads) == 2
