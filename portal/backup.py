"""``flask --app portal backup PATH``: a consistent copy while portal and worker write.

SQLite's online backup API copies the database page by page and restarts whenever a
writer changes a page it already copied, so the copy is one consistent moment even in
WAL mode with other processes writing. The copy goes to a temporary file beside PATH,
is checked with ``PRAGMA integrity_check``, and only then renamed into place.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import BUSY_TIMEOUT_MS


def backup(source: str, target: Path) -> dict[str, int]:
    """Copy the database at ``source`` to ``target``; return row counts of the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000) as live:
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy, pages=256)  # yields between steps, so writers are not blocked
            copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException("the copy failed SQLite's integrity check")
            counts = {
                table: copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("submissions", "pushes", "authorizers", "users")
            }
        finally:
            copy.close()
    os.replace(partial, target)
    return counts


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH (safe while everything runs)."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose another name or pass --force")
    counts = backup(current_app.config["DATABASE"], path)
    size = path.stat().st_size
    figures = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"Backed up to {path} ({size / 1024:.0f} KB: {figures}).")
