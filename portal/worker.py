"""The background worker: ``flask --app portal worker`` (docs/worker.md).

A small scheduler drives the kinds of work in ``portal.tasks``: for each kind, what is
due is claimed with a lease and run. Every error is caught per item, recorded and the
round goes on; ``PlatformWaiting`` (no component token) spends nothing. Restart-safe:
all work is read from the database and claimed atomically, so stopping the worker at
any point and starting it again neither loses nor repeats work.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import click
import httpx
from flask import current_app
from flask.cli import with_appcontext

from portal import db as database
from portal.db import get_db
from portal.notify.delivery import Notifier, make_provider
from portal.registration import leases
from portal.registration import submissions as subs
from portal.registration.delivery import Deliverer
from portal.tasks import (
    alerts,
    deliver,
    exchange,
    golive_actions,
    golive_audit,
    golive_basic,
    golive_category,
    golive_deploy,
    golive_icp,
    golive_messages,
    golive_open,
    golive_release,
    golive_screenshots,
    purge,
    recover,
    resolve,
    search,
    send,
    sms,
    templates_sync,
    upkeep,
)
from portal.tasks.context import Context, PlatformWaiting
from portal.wechat.wiring import connect

log = logging.getLogger(__name__)

#: The go-live steps (docs/golive.md), in the order a mini program goes through them.
GOLIVE_KINDS: tuple[ModuleType, ...] = (
    golive_open,
    golive_messages,
    golive_basic,
    golive_category,
    golive_deploy,
    golive_audit,
    golive_release,
    golive_actions,
    golive_screenshots,
    golive_icp,
)
#: The kinds of WeChat work, in the order a round runs them.
WECHAT_KINDS: tuple[ModuleType, ...] = (
    upkeep,
    send,
    resolve,
    search,
    recover,
    exchange,
    templates_sync,
    *GOLIVE_KINDS,
    purge,
)


class Scheduler:
    """Runs each kind's due work once per round; one error never stops the others."""

    def __init__(self, ctx: Any, kinds: Sequence[ModuleType]) -> None:
        self.ctx = ctx
        self.kinds = tuple(kinds)
        self.errors = 0  # caught this process's lifetime (tests read it)

    def run_once(self) -> None:
        for kind in self.kinds:
            try:
                items = kind.due(self.ctx, time.time())
            except Exception:
                self._failed(kind, None)
                continue
            for item in items:
                self._one(kind, item)

    def _one(self, kind: ModuleType, item: dict) -> None:
        claimed = None
        try:
            claimed = kind.claim(self.ctx, item, time.time())
            if claimed is not None:
                kind.run(self.ctx, claimed)
        except PlatformWaiting as exc:
            log.warning("%s waits for the platform: %s", kind.NAME, exc)
            if item.get("id") is not None and isinstance(self.ctx, Context):
                leases.platform_waiting(self.ctx.db, item["id"], self.ctx.timing)
        except Exception as exc:
            self._failed(kind, item.get("id"), exc if claimed is not None else None)

    def _failed(self, kind: ModuleType, sub_id: int | None, exc: Exception | None = None) -> None:
        self.errors += 1
        log.exception("%s failed on %s; continuing", kind.NAME, sub_id)
        if sub_id is None or not isinstance(self.ctx, Context):
            return
        try:
            detail = f"平台内部错误（{type(exc).__name__ if exc else '未知'}），稍后自动重试"
            row = subs.get(self.ctx.db, sub_id)
            if row is not None:
                subs.add_event(self.ctx.db, sub_id, row["state"], detail)
            leases.release_lease(self.ctx.db, sub_id)
        except Exception:
            log.exception("could not record the failure of %s on %s", kind.NAME, sub_id)


def build_context() -> Context:
    """Wire the tasks to this app's database and WeChat settings."""
    config = current_app.config
    db = get_db()
    client, tokens = connect(config, db)
    return Context(db, client, tokens, config)


def build_jobs() -> Scheduler:
    """The WeChat work's scheduler for this app."""
    return Scheduler(build_context(), WECHAT_KINDS)


def build_deliverer() -> Deliverer:
    """Webhook deliveries, on their own connection: a slow receiver never delays WeChat work."""
    config = current_app.config
    http = httpx.Client(timeout=float(config["WEBHOOK_TIMEOUT"]), follow_redirects=False)
    return Deliverer(database.connect(config["DATABASE"]), config, http)


def build_notifier() -> Notifier:
    """SMS and operator alerts, on their own connection: a slow provider delays nothing."""
    config = current_app.config
    return Notifier(database.connect(config["DATABASE"]), config, make_provider(config))


def _forever(scheduler: Scheduler, interval: float, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            scheduler.run_once()
        except Exception:  # one bad round must not stop the worker
            log.exception("worker round failed; continuing")
        stopping.wait(interval)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every due job once, then exit.")
def worker_command(once: bool) -> None:
    """Run the background worker until stopped (Ctrl-C or SIGTERM)."""
    jobs = build_jobs()
    deliveries = Scheduler(build_deliverer(), (deliver,))
    notices = Scheduler(build_notifier(), (sms, alerts))
    interval = float(current_app.config["WORKER_INTERVAL"])
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stopping.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stopping.set())
    log.info("worker started (interval %ss)", interval)
    if once:
        jobs.run_once()
        deliveries.run_once()
        notices.run_once()
        return
    webhooks = threading.Thread(target=_forever, args=(deliveries, interval, stopping), daemon=True)
    webhooks.start()
    texts = threading.Thread(target=_forever, args=(notices, interval, stopping), daemon=True)
    texts.start()
    _forever(jobs, interval, stopping)
    webhooks.join(timeout=15)
    texts.join(timeout=15)
    log.info("worker stopped")
