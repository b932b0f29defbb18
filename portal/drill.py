"""``flask --app portal restore-drill``: prove the replica restores, and how long it takes.

It restores the replica's latest state to a new path with ``litestream restore`` (the
live database is never touched), runs SQLite's ``integrity_check``, applies the
migrations as a new host would, and compares every table with the live database: row
counts, the newest row id, whether the newest restored row is still the live one, and
how far the restored data is behind. The seconds it took are the database's share of
the recovery time (RTO); docs/operations.md#restore-for-real has the whole procedure.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import litestream
from portal.db import BUSY_TIMEOUT_MS, connect, migrate
from portal.timefmt import beijing

#: Columns that say when a row was written, newest first in meaning.
TIME_COLUMNS = ("received_at", "at", "created_at", "updated_at")


@dataclass
class Table:
    name: str
    live_rows: int
    restored_rows: int | None  # None: the restored database lacks the table
    live_newest: int | None
    restored_newest: int | None
    newest_row: str  # same, changed since, gone from live, "" (empty table)


@dataclass
class Drill:
    replica: str
    output: Path
    restore_seconds: float = 0.0
    check_seconds: float = 0.0
    migrate_seconds: float = 0.0
    integrity: str = ""
    migrations: list[int] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    live_written_at: float | None = None
    restored_written_at: float | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def rto_seconds(self) -> float:
        return self.restore_seconds + self.check_seconds + self.migrate_seconds

    @property
    def behind_seconds(self) -> float | None:
        if self.live_written_at is None or self.restored_written_at is None:
            return None
        return max(0.0, self.live_written_at - self.restored_written_at)


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '\\_litestream%' ESCAPE '\\' ORDER BY name"
        )
    ]


def _figures(conn: sqlite3.Connection, table: str) -> tuple[int, int | None, float | None]:
    """Rows, the newest rowid, and the newest write time of ``table``."""
    rows = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    try:
        newest = conn.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.OperationalError:  # WITHOUT ROWID
        newest = None
    columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    written = None
    for column in TIME_COLUMNS:
        if column in columns:
            written = conn.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()[0]
            break
    return rows, newest, written if isinstance(written, int | float) else None


def _row(conn: sqlite3.Connection, table: str, rowid: int) -> tuple | None:
    return conn.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()


def compare(live: sqlite3.Connection, restored: sqlite3.Connection, drill: Drill) -> None:
    """Fill ``drill.tables`` and the newest write times; live is read in one snapshot."""
    restored_names = set(_tables(restored))
    live.execute("BEGIN")  # one read snapshot of the live database for every figure
    try:
        for name in _tables(live):
            rows, newest, written = _figures(live, name)
            if written is not None:
                drill.live_written_at = max(drill.live_written_at or 0, written)
            if name not in restored_names:
                drill.tables.append(Table(name, rows, None, newest, None, ""))
                drill.failures.append(f"the restored database has no table {name}")
                continue
            r_rows, r_newest, r_written = _figures(restored, name)
            if r_written is not None:
                drill.restored_written_at = max(drill.restored_written_at or 0, r_written)
            state = ""
            if r_newest is not None:
                mine, theirs = _row(restored, name, r_newest), _row(live, name, r_newest)
                state = "same" if mine == theirs else "gone from live" if theirs is None else ""
                state = state or "changed since"
            drill.tables.append(Table(name, rows, r_rows, newest, r_newest, state))
    finally:
        live.rollback()


def run(config: Mapping[str, Any], output: Path) -> Drill:
    """Restore the latest replica to ``output`` (a new path), check and compare it."""
    drill = Drill(litestream.public_url(str(config["LITESTREAM_REPLICA_URL"])), output)
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    answer = subprocess.run(
        litestream.command(
            config, "restore", "-o", str(output), str(litestream.database_path(config))
        ),
        env=litestream.litestream_env(config),
        capture_output=True,
        text=True,
        timeout=600,
    )
    drill.restore_seconds = time.perf_counter() - started
    if answer.returncode != 0 or not output.exists():
        last = (answer.stderr or answer.stdout).strip().splitlines()[-1:] or ["no output"]
        drill.failures.append(f"litestream restore failed: {last[0]}")
        return drill
    started = time.perf_counter()
    restored = sqlite3.connect(output)
    try:
        drill.integrity = restored.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        restored.close()
    drill.check_seconds = time.perf_counter() - started
    if drill.integrity != "ok":
        drill.failures.append(f"SQLite's integrity check says: {drill.integrity}")
        return drill
    started = time.perf_counter()
    db = connect(str(output))
    try:
        drill.migrations = migrate(db)
    except sqlite3.Error as exc:
        drill.failures.append(f"the migrations failed on the restored copy: {exc}")
        return drill
    finally:
        db.conn.close()
    drill.migrate_seconds = time.perf_counter() - started
    live = sqlite3.connect(
        f"file:{litestream.database_path(config)}?mode=ro",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
    )
    restored = sqlite3.connect(output, isolation_level=None)
    try:
        compare(live, restored, drill)
    finally:
        live.close(), restored.close()
    behind, alert = drill.behind_seconds, float(config.get("LITESTREAM_LAG_ALERT") or 0)
    if behind is not None and alert and behind > alert:
        drill.failures.append(
            f"the replica was {behind:.0f} s behind the live database (alert at {alert:g} s)"
        )
    return drill


def report(drill: Drill) -> list[str]:
    """The drill's figures, for an operator's terminal and the drill's log."""
    when = lambda t: beijing(t) if t else "—"  # noqa: E731
    lines = [
        f"Restore drill: {drill.replica} → {drill.output}",
        f"  litestream restore {drill.restore_seconds:.2f} s; integrity_check "
        f"{drill.integrity or 'not run'} in {drill.check_seconds:.2f} s; migrations "
        f"{drill.migrations or 'none pending'} in {drill.migrate_seconds:.2f} s",
    ]
    if drill.integrity == "ok":
        lines.append(f"  RTO of the database step: {drill.rto_seconds:.2f} s")
    if drill.tables:
        lines.append(f"  {'table':24} {'live':>8} {'restored':>8}  newest id live/restored, row")
        for t in drill.tables:
            restored = "missing" if t.restored_rows is None else t.restored_rows
            lines.append(
                f"  {t.name:24} {t.live_rows:>8} {restored:>8}  "
                f"{t.live_newest or '—'} / {t.restored_newest or '—'}"
                f"{', ' + t.newest_row if t.newest_row else ''}"
            )
        behind = drill.behind_seconds
        lines.append(
            f"  newest write: live {when(drill.live_written_at)}, restored "
            f"{when(drill.restored_written_at)}"
            + ("" if behind is None else f": the replica was {behind:.1f} s behind")
        )
    lines += [f"✗ {failure}" for failure in drill.failures]
    lines.append("✓ the drill passed." if not drill.failures else "✗ the drill failed.")
    return lines


@click.command("restore-drill")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to restore (a new path); default: a temporary folder, removed afterwards.",
)
@with_appcontext
def restore_drill_command(output: Path | None) -> None:
    """Restore the latest replica to a new path, check it and compare it with the live database."""
    config = current_app.config
    if not config.get("LITESTREAM_REPLICA_URL"):
        raise click.ClickException(
            "PORTAL_LITESTREAM_REPLICA_URL is not set: there is no replica to restore "
            "(docs/operations.md#replication)."
        )
    if output is not None and output.exists():
        raise click.ClickException(f"{output} exists: the drill restores to a new path only.")
    folder = None if output else Path(tempfile.mkdtemp(prefix="portal-drill-"))
    try:
        drill = run(config, output or folder / "portal.sqlite")
        for line in report(drill):
            click.echo(line)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if drill.failures:
        raise SystemExit(1)
