"""Is the database being replicated: Litestream's health as the health page, ``/healthz``
and the operator alerts see it.

:func:`replication_status` reads the LTX files of the replica and of Litestream's own copy
beside the database, and Litestream's metrics: is it running, how far behind is the
replica, when did it last sync. :func:`explain` says in Chinese what to do about it. The
settings and the command line it uses are in portal/litestream.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from portal.litestream import command, database_path, litestream_env, public_url
from portal.timefmt import beijing

LTX_NAME = re.compile(r"^([0-9a-f]{16})-([0-9a-f]{16})\.ltx$")
#: How long the WAL may be ahead of Litestream's own copy before it counts as not following
#: (Litestream looks at the WAL every 250 ms; its own checkpoints take a moment).
FOLLOW_SLACK = 10.0
SECONDS = "%Y-%m-%d %H:%M:%S"
REMOTE_CACHE_SECONDS = 15.0  # listing an object store costs requests: at most one per 15 s
_remote_cache: dict[tuple, tuple[float, dict]] = {}

OK, OFF, STOPPED, LAGGING, UNREADABLE = "ok", "off", "stopped", "lagging", "unreadable"


@dataclass
class ReplicationStatus:
    state: str  # ok, off, stopped, lagging, unreadable
    replica: str  # the replica's URL without credentials ("" when off)
    sync_interval: float
    lag_alert: float
    running: bool | None = None  # Litestream's metrics answered (None: no address to ask)
    local_txid: int | None = None  # the newest transaction Litestream has read from the WAL
    replica_txid: int | None = None  # the newest transaction in the replica
    last_sync_at: float | None = None  # when the replica last received a change
    lag_seconds: float | None = None  # age of the oldest change not yet in the replica
    sync_errors: int | None = None  # Litestream's count since it started
    detail: str = ""  # what could not be read, in English (logs, JSON)

    @property
    def ok(self) -> bool:
        return self.state == OK

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"] = self.ok
        for key in ("lag_seconds", "last_sync_at"):
            out[key] = None if out[key] is None else round(out[key], 1)
        return out


# -- reading the replica and Litestream's own copy ------------------------------------------


def _ltx_files(directory: Path) -> list[tuple[int, float]]:
    """(max txid, mtime) of every LTX file under ``directory`` (all levels)."""
    found = []
    for path in directory.glob("*/*.ltx"):
        match = LTX_NAME.match(path.name)
        if match:
            try:
                found.append((int(match.group(2), 16), path.stat().st_mtime))
            except FileNotFoundError:  # compacted away while we looked
                continue
    return found


def _remote_ltx(config: Mapping[str, Any]) -> list[tuple[int, float]]:
    """The replica's LTX files as ``litestream ltx`` lists them (object storage)."""
    key = (str(config.get("LITESTREAM_REPLICA_URL")), str(database_path(config)))
    cached = _remote_cache.get(key)
    if cached and time.monotonic() - cached[0] < REMOTE_CACHE_SECONDS:
        return cached[1]["files"]
    answer = subprocess.run(
        command(config, "ltx", "-json", "-level", "all", str(database_path(config))),
        env=litestream_env(config),
        capture_output=True,
        text=True,
        timeout=10,
    )
    if answer.returncode != 0:
        raise OSError((answer.stderr or answer.stdout).strip().splitlines()[-1:] or "failed")
    files = [
        (int(f["max_txid"], 16), datetime.fromisoformat(f["timestamp"]).timestamp())
        for f in json.loads(answer.stdout or "[]")
    ]
    _remote_cache[key] = (time.monotonic(), {"files": files})
    return files


def replica_files(config: Mapping[str, Any]) -> list[tuple[int, float]]:
    url = str(config["LITESTREAM_REPLICA_URL"])
    parts = urlparse(url)
    if parts.scheme == "file":
        return _ltx_files(Path(unquote(parts.path)) / "ltx")
    return _remote_ltx(config)


def local_files(config: Mapping[str, Any]) -> list[tuple[int, float]]:
    """Litestream's own copy beside the database (``.<name>-litestream/ltx/0``): what it
    has read from the WAL, whether or not it reached the replica."""
    db = database_path(config)
    return _ltx_files(db.parent / f".{db.name}-litestream" / "ltx")


def metrics(addr: str, timeout: float = 0.5) -> dict[str, float] | None:
    """Litestream's Prometheus figures for its databases, or None when it does not answer."""
    host = addr if not addr.startswith(":") else "127.0.0.1" + addr
    try:
        with urllib.request.urlopen(f"http://{host}/metrics", timeout=timeout) as answer:
            text = answer.read().decode()
    except OSError:
        return None
    figures: dict[str, float] = {}
    for line in text.splitlines():
        match = re.match(r"^(litestream_\w+)\{[^}]*\}\s+([-+\deE.]+)$", line)
        if match:
            figures[match.group(1)] = figures.get(match.group(1), 0) + float(match.group(2))
    return figures


def replication_status(config: Mapping[str, Any], now: float | None = None) -> ReplicationStatus:
    """Is the database being replicated, how far behind is the replica, when did it last
    sync. Reads files and Litestream's metrics only; never writes, never blocks long."""
    now = time.time() if now is None else now
    url = str(config.get("LITESTREAM_REPLICA_URL") or "")
    status = ReplicationStatus(
        state=OFF,
        replica=public_url(url),
        sync_interval=float(config.get("LITESTREAM_SYNC_INTERVAL") or 0),
        lag_alert=float(config.get("LITESTREAM_LAG_ALERT") or 0),
    )
    if not url:
        return status
    addr = str(config.get("LITESTREAM_ADDR") or "")
    figures = metrics(addr) if addr else None
    status.running = None if not addr else figures is not None
    if figures is not None and "litestream_sync_error_count" in figures:
        status.sync_errors = int(figures["litestream_sync_error_count"])
    try:
        replica = replica_files(config)
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired) as exc:
        status.state, status.detail = UNREADABLE, f"the replica could not be listed: {exc}"
        return status
    local = local_files(config)
    if replica:
        status.replica_txid = max(txid for txid, _ in replica)
        status.last_sync_at = max(mtime for _, mtime in replica)
    if local:
        status.local_txid = max(txid for txid, _ in local)
    pending = [mtime for txid, mtime in local if txid > (status.replica_txid or 0)]
    status.lag_seconds = max(0.0, now - min(pending)) if pending else 0.0
    wal = database_path(config).with_name(database_path(config).name + "-wal")
    wal_mtime = wal.stat().st_mtime if wal.exists() else None
    newest_local = max((mtime for _, mtime in local), default=None)
    following = wal_mtime is None or (
        newest_local is not None and wal_mtime <= newest_local + FOLLOW_SLACK
    )
    if not following and newest_local is not None:
        # Writes Litestream has not read: unreplicated since its last look at the WAL.
        status.lag_seconds = max(status.lag_seconds, now - newest_local)
    if status.running is False or not following:
        status.state = STOPPED
        status.detail = (
            f"Litestream does not answer on {addr}"
            if status.running is False
            else "Litestream has not read the database's recent writes"
        )
    elif not replica:
        status.state, status.detail = UNREADABLE, "the replica holds no snapshot yet"
    elif status.lag_alert and status.lag_seconds > status.lag_alert:
        status.state = LAGGING
        status.detail = f"the replica is {status.lag_seconds:.0f} s behind"
    else:
        status.state = OK
    return status


def explain(status: ReplicationStatus, production: bool = True) -> str:
    """What happened, who must act and what to do, in Chinese (health page, alerts)."""
    since = (
        f"（最近一次同步：{beijing(status.last_sync_at, SECONDS)}）" if status.last_sync_at else ""
    )
    if status.state == OFF:
        where = "生产环境中" if production else ""
        return (
            f"{where}数据库没有持续复制（PORTAL_LITESTREAM_REPLICA_URL 未设置）：服务器磁盘损坏时，"
            "上次备份之后的申请、授权令牌和审计记录都会丢失。请运维按 docs/operations.md"
            "「数据库复制」一节配置对象存储并启动 litestream。"
        )
    if status.state == STOPPED:
        return (
            f"数据库复制已停止{since}：之后写入的申请、推送和授权只存在本机磁盘上。请运维执行 "
            "systemctl status litestream 和 journalctl -u litestream 查看原因，"
            "修复后 systemctl restart litestream。"
        )
    if status.state == LAGGING:
        return (
            f"数据库复制落后 {status.lag_seconds:.0f} 秒（告警阈值 {status.lag_alert:g} 秒）{since}："
            "最近的数据还没有写到对象存储。请运维检查对象存储是否可以访问、访问密钥是否有效"
            "（journalctl -u litestream）。"
        )
    if status.state == UNREADABLE:
        return (
            f"读不到数据库的副本（{status.detail}）{since}。请运维检查 PORTAL_LITESTREAM_REPLICA_URL、"
            "访问密钥和网络，再运行 flask --app portal restore-drill 确认副本可以恢复。"
        )
    return f"数据库正在持续复制到 {status.replica}，落后 {status.lag_seconds or 0:.0f} 秒{since}。"
