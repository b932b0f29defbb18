"""The background worker: ``flask --app portal worker``.

Restart-safe: every job reads its work from the database and claims it atomically, so
stopping the worker at any point and starting it again neither loses nor repeats work.
"""

from __future__ import annotations

import logging
import signal
import threading

import click
import httpx
from flask import current_app
from flask.cli import with_appcontext

from portal import db as database
from portal.db import get_db
from portal.registration.delivery import Deliverer
from portal.registration.jobs import Jobs
from portal.wechat.wiring import connect

log = logging.getLogger(__name__)


def build_jobs() -> Jobs:
    """Wire the jobs to this app's database and WeChat settings."""
    config = current_app.config
    db = get_db()
    client, tokens = connect(config, db)
    return Jobs(db, client, tokens, config)


def build_deliverer() -> Deliverer:
    """Webhook deliveries, on their own connection: a slow receiver never delays WeChat work."""
    config = current_app.config
    http = httpx.Client(timeout=float(config["WEBHOOK_TIMEOUT"]), follow_redirects=False)
    return Deliverer(database.connect(config["DATABASE"]), config, http)


def _deliver_forever(deliverer: Deliverer, interval: float, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            deliverer.run_once()
        except Exception:  # one bad round must not stop deliveries
            log.exception("webhook round failed; continuing")
        stopping.wait(interval)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every due job once, then exit.")
def worker_command(once: bool) -> None:
    """Run the background worker until stopped (Ctrl-C or SIGTERM)."""
    jobs = build_jobs()
    deliverer = build_deliverer()
    interval = float(current_app.config["WORKER_INTERVAL"])
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stopping.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stopping.set())
    log.info("worker started (interval %ss)", interval)
    if once:
        jobs.run_once()
        deliverer.run_once()
        return
    webhooks = threading.Thread(
        target=_deliver_forever, args=(deliverer, interval, stopping), daemon=True
    )
    webhooks.start()
    while not stopping.is_set():
        try:
            jobs.run_once()
        except Exception:  # one bad round must not stop the worker
            log.exception("worker round failed; continuing")
        stopping.wait(interval)
    webhooks.join(timeout=15)
    log.info("worker stopped")
