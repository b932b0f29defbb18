"""The embedded database: sqlite-utils over SQLite in WAL mode, with numbered migrations.

Every process (web workers, the worker, CLI commands) opens its own connection; WAL
and a busy timeout let them share one file. Migrations are applied in order by
``flask init-db`` and, idempotently, at start-up.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlite_utils
from flask import Flask, current_app, g
from flask.cli import with_appcontext

from portal.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000


def connect(path: str) -> sqlite_utils.Database:
    """Open the database file in WAL mode with a busy timeout."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    if path != ":memory:":
        db.enable_wal()
    return db


def migrate(db: sqlite_utils.Database, migrations: list[str] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet applied; return their numbers."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL)"
    )
    applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for number, script in enumerate(migrations, start=1):
        if number in applied:
            continue
        # executescript commits on its own; the version row makes a re-run a no-op.
        try:
            db.conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations VALUES ({number}, {time.time()});\nCOMMIT;"
            )
        except (sqlite3.OperationalError, sqlite3.IntegrityError):
            db.conn.rollback()
            # Another process starting at the same moment may have applied it first: its
            # script then fails here (a duplicate column) or its version row does.
            row = db.execute("SELECT 1 FROM schema_migrations WHERE version = ?", [number])
            if row.fetchone() is None:
                raise
            continue
        done.append(number)
    return done


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Run the block in one write transaction (BEGIN IMMEDIATE); nested blocks join it."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """Insert one row inside the caller's transaction; return its id."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    return cursor.lastrowid


def first(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> dict | None:
    """The first row of a query as a dict, or None."""
    for row in db.query(sql, params):
        return row
    return None


#: Each thread keeps its connections between requests: opening one (and checking the
#: journal mode) cost more than answering a status poll. A few paths at most per thread.
_local = threading.local()
KEPT_PER_THREAD = 4


def _thread_connection(path: str) -> sqlite_utils.Database:
    kept: OrderedDict[str, sqlite_utils.Database] = _local.__dict__.setdefault("dbs", OrderedDict())
    if path in kept:
        kept.move_to_end(path)
        return kept[path]
    kept[path] = connect(path)
    while len(kept) > KEPT_PER_THREAD:
        kept.popitem(last=False)[1].conn.close()
    return kept[path]


def get_db() -> sqlite_utils.Database:
    """Return this thread's connection to the app's database (reused across requests)."""
    if "db" not in g:
        g.db = _thread_connection(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """End of a request: never leave a transaction (and its lock) open on a kept connection."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or apply pending migrations."""
    done = migrate(get_db())
    click.echo(f"Applied migrations {done}." if done else "Database is up to date.")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    if app.config.get("MIGRATE_ON_START", True):
        db = connect(app.config["DATABASE"])
        try:
            migrate(db)
        finally:
            db.conn.close()
