"""The background worker: ``flask --app portal worker``.

Restart-safe: every job reads its work from the database and claims it atomically, so
stopping the worker at any point and starting it again neither loses nor repeats work.
"""

from __future__ import annotations

import logging
import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import get_db
from portal.registration.jobs import Jobs
from portal.wechat import connect

log = logging.getLogger(__name__)


def build_jobs() -> Jobs:
    """Wire the jobs to this app's database and WeChat settings."""
    config = current_app.config
    db = get_db()
    client, tokens = connect(config, db)
    return Jobs(db, client, tokens, config)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every due job once, then exit.")
def worker_command(once: bool) -> None:
    """Run the background worker until stopped (Ctrl-C or SIGTERM)."""
    jobs = build_jobs()
    interval = float(current_app.config["WORKER_INTERVAL"])
    stopping = False

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("worker started (interval %ss)", interval)
    while True:
        try:
            jobs.run_once()
        except Exception:  # one bad round must not stop the worker
            log.exception("worker round failed; continuing")
        if once or stopping:
            break
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.05)
    log.info("worker stopped")
