"""The ticket and the component token are shared through the database."""

import os
import socket
import threading
import time

import pytest

from portal.db import connect
from portal.wechat.client import WeChatError
from portal.wechat.tokens import (
    TOKEN,
    NoTicket,
    RefreshBackingOff,
    acquire_lock,
    get_credential,
    set_credential,
)
from portal.wechat.wiring import connect as connect_wechat


def token_calls(db):
    return db.execute(
        "SELECT count(*) FROM api_calls WHERE endpoint = 'api_component_token'"
    ).fetchone()[0]


def test_no_ticket_is_an_operator_problem(app, db, sandbox_http):
    _, tokens = connect_wechat(app.config, db, http=sandbox_http)
    with pytest.raises(NoTicket) as raised:
        tokens.current()
    assert raised.value.kind == "operator"
    assert "component_verify_ticket" in raised.value.errmsg


def test_a_valid_token_is_reused_without_calling_wechat(app, db, jobs):
    first = jobs.ctx.tokens.current()
    assert jobs.ctx.tokens.current() == first
    assert token_calls(db) == 1


def test_a_token_inside_the_refresh_margin_is_refreshed(app, db, jobs):
    first = jobs.ctx.tokens.current()
    set_credential(db, TOKEN, first, time.time() + 60)  # refresh_ahead is 600 s
    assert jobs.ctx.tokens.current() != first


def test_invalidate_only_touches_the_token_that_failed(app, db, jobs):
    current = jobs.ctx.tokens.current()
    jobs.ctx.tokens.invalidate("some-older-token")
    assert get_credential(db, TOKEN)["expires_at"] > time.time()
    jobs.ctx.tokens.invalidate(current)
    assert get_credential(db, TOKEN)["expires_at"] == 0


def test_a_token_error_is_retried_exactly_once(jobs):
    attempts = []

    def always_expired(token):
        attempts.append(token)
        raise WeChatError("x", 42001, "access_token expired")

    with pytest.raises(WeChatError):
        jobs.ctx.tokens.call(always_expired)
    assert len(attempts) == 2 and attempts[0] != attempts[1]


def test_other_errors_are_not_retried(jobs):
    attempts = []

    def quota(token):
        attempts.append(token)
        raise WeChatError("x", 45009, "quota")

    with pytest.raises(WeChatError):
        jobs.ctx.tokens.call(quota)
    assert len(attempts) == 1


def test_the_lease_is_held_by_one_holder_until_it_expires(db):
    assert acquire_lock(db, "refresh", "a", 30)
    assert not acquire_lock(db, "refresh", "b", 30)
    assert acquire_lock(db, "refresh", "a", 30)  # re-entrant for its holder
    db.execute("UPDATE locks SET until = 0")
    db.conn.commit()
    assert acquire_lock(db, "refresh", "b", 30)


def test_concurrent_refreshes_call_wechat_once(app, db, jobs, sandbox_http):
    """Eight connections (as eight processes would) refresh at once: one call to WeChat."""
    set_credential(db, TOKEN, "stale", 0)
    results, errors = [], []

    def refresh(n):
        own_db = connect(app.config["DATABASE"])
        _, tokens = connect_wechat(app.config, own_db, http=sandbox_http)
        tokens.holder = f"process-{n}"
        try:
            results.append(tokens.current())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=refresh, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert token_calls(db) == 1


def test_a_lease_left_by_a_killed_process_is_taken_over(db):
    """A worker SIGKILLed mid-refresh must not stall every other process for the lease."""
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    assert acquire_lock(db, "refresh", f"{host}:{dead.pid}", 30)
    assert acquire_lock(db, "refresh", f"{host}:{os.getpid()}", 30)
    # A live holder, or one on another host, keeps its lease.
    assert not acquire_lock(db, "refresh", f"{host}:999999999", 30)
    assert acquire_lock(db, "other", f"elsewhere:{dead.pid}", 30)
    assert not acquire_lock(db, "other", f"{host}:{os.getpid()}", 30)


def test_a_failing_refresh_backs_off_instead_of_calling_every_time(app, db, jobs, sandbox_http):
    sandbox_http.post("/sandbox/faults", json={"http_500": {"count": 1}})
    jobs.ctx.tokens.backoff = 60
    with pytest.raises(WeChatError):
        jobs.ctx.tokens.current()
    calls = token_calls(db)
    for _ in range(5):
        with pytest.raises(RefreshBackingOff):
            jobs.ctx.tokens.current()
    assert token_calls(db) == calls
    jobs.ctx.tokens._retry_at = 0  # the backoff is over
    assert jobs.ctx.tokens.current()
