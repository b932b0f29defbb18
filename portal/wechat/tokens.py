"""The ticket and the component_access_token, shared by every process (REFERENCE §2-3).

Both live in the ``credentials`` table, never in process memory, so a restart or a
second process never loses them. Refreshing is single-flight across processes through
a lease row in ``locks``; the others keep using the still-valid token or wait briefly
for the new one. On 40001/40014/42001 a call marks that exact token stale, refreshes,
and retries once.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import TypeVar

import sqlite_utils

from portal.db import transaction
from portal.wechat.client import TOKEN_ERRCODES, WeChatClient, WeChatError
from portal.wechat.credentials import TICKET, TOKEN, get_credential, set_credential

log = logging.getLogger(__name__)

LOCK = "component_token_refresh"
LEASE_SECONDS = 30
T = TypeVar("T")


class NoTicket(WeChatError):
    """No component_verify_ticket has arrived yet: an operator problem."""

    def __init__(self) -> None:
        super().__init__(
            "api_component_token",
            None,
            "no component_verify_ticket received yet: check that WeChat can reach "
            "POST /wechat/events (it pushes one every 10 minutes)",
        )

    @property
    def kind(self) -> str:
        return "operator"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead_holder(holder: str) -> bool:
    """Whether ``holder`` (host:pid) is a process on this host that no longer runs."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire_lock(db: sqlite_utils.Database, name: str, holder: str, seconds: float) -> bool:
    """Take the named lease if it is free, expired, or held by a process that died."""
    now = time.time()
    with transaction(db):
        row = db.execute("SELECT holder, until FROM locks WHERE name = ?", [name]).fetchone()
        if row is not None and row[1] >= now and row[0] != holder and _dead_holder(row[0]):
            log.warning("lease %s held by dead process %s; taking it over", name, row[0])
            db.execute("DELETE FROM locks WHERE name = ?", [name])
        cursor = db.execute(
            "INSERT INTO locks (name, holder, until) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, until = excluded.until "
            "WHERE locks.until < ? OR locks.holder = excluded.holder",
            [name, holder, now + seconds, now],
        )
    return cursor.rowcount == 1


def release_lock(db: sqlite_utils.Database, name: str, holder: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM locks WHERE name = ? AND holder = ?", [name, holder])


class RefreshBackingOff(WeChatError):
    """The last refresh failed moments ago; no call is made until the backoff ends."""

    def __init__(self, last: WeChatError, seconds: float) -> None:
        super().__init__(last.endpoint, last.errcode, f"{last.errmsg} (next try in {seconds:.0f}s)")


class ComponentTokens:
    def __init__(
        self,
        db: sqlite_utils.Database,
        client: WeChatClient,
        *,
        refresh_ahead: float = 600,
        wait_seconds: float = 10,
        backoff: float = 1.0,
    ) -> None:
        self.db = db
        self.client = client
        self.refresh_ahead = refresh_ahead
        self.wait_seconds = wait_seconds
        self.holder = holder_id()
        self.backoff = backoff
        self._failures = 0
        self._retry_at = 0.0
        self._last_error: WeChatError | None = None

    def _stored(self) -> tuple[str, float] | None:
        row = get_credential(self.db, TOKEN)
        if row is None or not row["value"]:
            return None
        return row["value"], row["expires_at"] or 0.0

    def needs_refresh(self) -> bool:
        stored = self._stored()
        return stored is None or stored[1] - time.time() < self.refresh_ahead

    def current(self) -> str:
        """Return a valid token, refreshing it (once across processes) when due.

        A token that is due for refresh but not yet expired is still used whenever the
        refresh cannot happen now (another process has the lease, or it just failed).
        """
        deadline = time.time() + self.wait_seconds
        while True:
            stored = self._stored()
            now = time.time()
            usable = stored[0] if stored and stored[1] > now else None
            if stored and stored[1] - now >= self.refresh_ahead:
                return stored[0]
            if self._last_error is not None and now < self._retry_at:
                if usable:
                    return usable
                raise RefreshBackingOff(self._last_error, self._retry_at - now)
            if acquire_lock(self.db, LOCK, self.holder, LEASE_SECONDS):
                try:
                    return self._refresh()
                except WeChatError as exc:
                    self._failed(exc)
                    if usable:
                        return usable
                    raise
                finally:
                    release_lock(self.db, LOCK, self.holder)
            if usable:  # someone else is refreshing
                return usable
            if now > deadline:
                raise WeChatError("api_component_token", None, "token refresh still running")
            time.sleep(0.1)

    def _failed(self, exc: WeChatError) -> None:
        """Back off (doubling, at most an hour): a broken refresh is not called by every job."""
        self._failures += 1
        self._last_error = exc
        self._retry_at = time.time() + min(self.backoff * 2 ** min(self._failures - 1, 12), 3600.0)

    def _refresh(self) -> str:
        stored = self._stored()
        if stored and stored[1] - time.time() >= self.refresh_ahead:
            return stored[0]  # refreshed by another process while we waited for the lease
        ticket = get_credential(self.db, TICKET)
        if ticket is None:
            raise NoTicket()
        result = self.client.component_token(ticket["value"])
        set_credential(self.db, TOKEN, result.token, time.time() + result.expires_in)
        self._failures, self._last_error = 0, None
        log.info("component_access_token refreshed; expires in %ss", result.expires_in)
        return result.token

    def invalidate(self, token: str) -> None:
        """Mark ``token`` stale, only if it is still the stored one."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE credentials SET expires_at = 0 WHERE name = ? AND value = ?", [TOKEN, token]
            )

    def call(self, fn: Callable[[str], T]) -> T:
        """Run ``fn(token)``; on an invalid or expired token refresh and retry once."""
        token = self.current()
        try:
            return fn(token)
        except WeChatError as exc:
            if exc.errcode not in TOKEN_ERRCODES:
                raise
            log.warning("token rejected with %s; refreshing and retrying once", exc.errcode)
            self.invalidate(token)
            return fn(self.current())
