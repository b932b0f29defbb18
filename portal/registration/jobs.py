"""The worker's jobs: send, resolve unanswered creates, exchange auth codes, search.

Each job claims its rows with a conditional update, so several worker processes, or a
restarted one, never send the same submission twice. How failures are retried is one
table, ``retry.POLICIES``; every per-submission retry is bounded and ends in ``held``.

An unanswered create (timeout, 5xx, a crash before the answer was stored) stays in
``sending`` and is resolved by ``probe``: WeChat may act on a request after we gave up
waiting, so "no task" counts only once ``CREATE_SETTLE`` seconds have passed since the
create was sent. Before that, nothing is sent again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.registration import authorizing, retention, retry, searches
from portal.registration import submissions as subs
from portal.registration.flavors import Accepted
from portal.registration.flavors import flavor as get_flavor
from portal.wechat import authorizers, codes
from portal.wechat.client import WeChatClient, WeChatError
from portal.wechat.credentials import TICKET, get_credential
from portal.wechat.tokens import ComponentTokens, RefreshBackingOff

log = logging.getLogger(__name__)
TOKEN_ENDPOINT = "api_component_token"
#: How often the worker looks for personal data past its retention.
PURGE_EVERY = 600


class Jobs:
    def __init__(
        self,
        db: sqlite_utils.Database,
        client: WeChatClient,
        tokens: ComponentTokens,
        config: Mapping[str, Any],
    ) -> None:
        self.db = db
        self.client = client
        self.tokens = tokens
        self.retry_delay = float(config["SEND_RETRY_DELAY"])
        self.settle = float(config["CREATE_SETTLE"])
        self.call_timeout = float(config["WECHAT_TIMEOUT"])
        self.schedule = searches.schedule(config)
        self.daily_budget = int(config["SEARCH_DAILY_BUDGET"])
        self.vault = authorizers.Vault(str(config.get("TOKEN_KEY") or ""))
        self.retention_days = float(config["PERSONAL_DATA_DAYS"])
        self._purge_at = 0.0

    def run_once(self) -> None:
        """Do every job that is due, once."""
        self.refresh_token()
        for sub in self._due("state = ? AND next_attempt_at <= ?", subs.QUEUED):
            self.send(sub)
        for sub in self._due("state = ? AND claimed_until <= ?", subs.SENDING):
            self.probe(sub)
        for sub in self._due("state = ? AND next_attempt_at <= ?", subs.SUCCEEDED):
            self.exchange(sub)
        for sub in self._due("search_requested_at <= ?"):
            searches.requested(self, sub)
        for sub in self._due(
            f"state IN ('{subs.CHECKING}', '{subs.AWAITING}') AND next_search_at <= ?"
        ):
            searches.reconcile(self, sub)
        self.refresh_authorizers()
        if time.time() >= self._purge_at:
            self._purge_at = time.time() + PURGE_EVERY
            retention.run(self.db, self.retention_days, actor="worker")

    def _due(self, where: str, *args: Any) -> list[dict]:
        params = [*args, time.time()]
        return list(self.db.query(f"SELECT * FROM submissions WHERE {where} ORDER BY id", params))

    def call(self, submission_id: int | None, fn):
        """Run ``fn(token)`` with a valid component token, logged against the submission."""
        self.client.on_call.submission_id = submission_id  # type: ignore[attr-defined]
        try:
            return self.tokens.call(fn)
        finally:
            self.client.on_call.submission_id = None  # type: ignore[attr-defined]

    def refresh_token(self) -> None:
        """Refresh the component token ahead of expiry (``tokens`` backs off on failures)."""
        if get_credential(self.db, TICKET) is None or not self.tokens.needs_refresh():
            return
        try:
            self.tokens.current()
        except RefreshBackingOff:
            return
        except WeChatError as exc:
            log.error("component token refresh failed: %s (%s)", exc, exc.entry.next_step)

    # Creating the task.

    def send(self, sub: dict) -> None:
        """Claim a queued submission, then call create; its outcome decides the state."""
        now = time.time()
        claimed = subs.transition(
            self.db,
            sub["id"],
            subs.SENDING,
            "正在提交给微信",
            expect=[subs.QUEUED],
            attempts=sub["attempts"] + 1,
            sent_at=now,
            claimed_until=now + self.call_timeout + self.retry_delay,
        )
        if not claimed:
            return
        sub = subs.get(self.db, sub["id"])
        flavor = get_flavor(sub["flavor"])
        try:
            accepted = self.call(sub["id"], lambda token: flavor.create(self.client, token, sub))
        except WeChatError as exc:
            self._create_failed(sub, exc)
            return
        self._accepted(sub, accepted)

    def _accepted(self, sub: dict, accepted: Accepted) -> None:
        now = time.time()
        subs.transition(
            self.db,
            sub["id"],
            accepted.state,
            accepted.detail,
            expect=[subs.SENDING],
            errcode=0,
            errmsg="",
            claimed_until=None,
            retries=0,
            deadline_at=now + subs.LEGAL_PERSON_WINDOW,
            next_search_at=now + self.schedule[0] if self.schedule else None,
            **accepted.updates,
        )

    def _create_failed(self, sub: dict, exc: WeChatError) -> None:
        failure = retry.classify(exc.errcode, exc.entry)
        if failure == retry.UNANSWERED and exc.endpoint.endswith(".create"):
            # WeChat may have the task, or may still create it: resolve before resending.
            log.warning("create for submission %s unanswered: %s", sub["id"], exc)
            subs.update(
                self.db,
                sub["id"],
                errmsg=exc.errmsg[:300],
                maybe_sent=1,
                claimed_until=time.time() + self.retry_delay,
            )
            return
        if exc.endpoint == TOKEN_ENDPOINT and failure in (retry.UNANSWERED, retry.TRANSIENT):
            # No token to send with: create was never sent, and the token's own backoff
            # bounds the calls. Wait without spending the submission's tries.
            subs.transition(
                self.db,
                sub["id"],
                subs.QUEUED,
                "暂未提交：平台正在获取调用凭证，稍后自动提交",
                expect=[subs.SENDING],
                attempts=sub["attempts"] - 1,
                claimed_until=None,
                next_attempt_at=time.time() + max(self.retry_delay, 1.0),
            )
            return
        if exc.errcode == codes.TASK_RUNNING and sub["maybe_sent"]:
            self._maybe_own_task(sub, exc)
            return
        if failure == retry.FIXABLE:
            self._reject(sub, exc)
            return
        self._retry_or_hold(sub, failure, exc, back_to=subs.QUEUED)

    def _reject(self, sub: dict, exc: WeChatError) -> None:
        subs.transition(
            self.db,
            sub["id"],
            subs.REJECTED,
            f"微信拒绝：{exc.entry.title}（{exc.errcode}）",
            expect=[subs.SENDING],
            errcode=exc.errcode,
            errmsg=exc.errmsg,
            claimed_until=None,
        )

    def _retry_or_hold(self, sub: dict, failure: str, exc: WeChatError, back_to: str) -> None:
        """Schedule the next try by the policy table, or hold for staff once it is spent."""
        now = time.time()
        tries = sub["retries"] + 1
        wait = retry.delay(failure, tries, self.retry_delay, now)
        entry = exc.entry
        if wait is None:
            log.error("submission %s held: %s — %s", sub["id"], exc, entry.next_step)
            subs.transition(
                self.db,
                sub["id"],
                subs.HELD,
                f"已暂停，等待平台处理：{entry.title}",
                expect=[sub["state"]],
                held_from=back_to,
                retries=tries,
                errcode=exc.errcode,
                errmsg=exc.errmsg[:300],
                claimed_until=None,
                next_attempt_at=None,
            )
            return
        log.warning("submission %s: %s; try %s in %.0fs", sub["id"], exc, tries + 1, wait)
        changes = {"retries": tries, "errcode": exc.errcode, "errmsg": exc.errmsg[:300]}
        if back_to == subs.QUEUED:
            subs.transition(
                self.db,
                sub["id"],
                subs.QUEUED,
                f"暂未提交：{entry.title}，稍后自动重试",
                expect=[subs.SENDING],
                claimed_until=None,
                next_attempt_at=now + wait,
                **changes,
            )
        elif back_to == subs.SENDING:
            subs.update(self.db, sub["id"], claimed_until=now + wait, **changes)
        else:
            subs.update(self.db, sub["id"], next_attempt_at=now + wait, **changes)

    def _maybe_own_task(self, sub: dict, exc: WeChatError) -> None:
        """89249 after an unanswered create: the running task is most likely our own."""
        flavor = get_flavor(sub["flavor"])
        if flavor.can_probe(sub):
            try:
                probe = self.call(sub["id"], lambda token: flavor.search(self.client, token, sub))
            except WeChatError:
                subs.update(self.db, sub["id"], claimed_until=time.time() + self.retry_delay)
                return
            if probe.kind in ("checking", "awaiting"):
                self._adopt(sub, probe)
                return
            # Search by the facts finds nothing: the running task is someone else's.
            self._reject(sub, exc)
            return
        # The task cannot be asked about: wait until it has surely ended, then send again
        # (an expiry push for it requeues sooner; see pushes).
        until = time.time() + subs.LEGAL_PERSON_WINDOW + searches.SILENCE_GRACE
        subs.update(
            self.db,
            sub["id"],
            errcode=exc.errcode,
            errmsg=exc.errmsg,
            retries=sub["retries"] + 1,
            claimed_until=until,
        )
        subs.add_event(self.db, sub["id"], subs.SENDING, searches.ORPHAN_DETAIL)

    def _adopt(self, sub: dict, probe) -> None:
        state = subs.CHECKING if probe.kind == "checking" else subs.AWAITING
        self._accepted(sub, Accepted(state, "微信已收到上次提交：" + probe.entry.explanation))

    def probe(self, sub: dict) -> None:
        """Resolve a create whose answer never arrived, before anything is sent again."""
        if not sub["maybe_sent"]:
            subs.update(self.db, sub["id"], maybe_sent=1)
        flavor = get_flavor(sub["flavor"])
        now = time.time()
        settled = now >= (sub["sent_at"] or 0) + self.settle
        if flavor.can_probe(sub):
            try:
                probe = self.call(sub["id"], lambda token: flavor.search(self.client, token, sub))
            except WeChatError as exc:
                self._retry_or_hold(sub, retry.UNANSWERED, exc, back_to=subs.SENDING)
                return
            if probe.kind in ("checking", "awaiting"):
                self._adopt(sub, probe)
                return
            if probe.kind == "ended":
                searches.apply_ended(self.db, sub, probe)
                return
        if not settled:
            # WeChat may still act on the request: ask again once the window has passed.
            subs.update(self.db, sub["id"], claimed_until=(sub["sent_at"] or now) + self.settle)
            return
        if sub["retries"] + 1 >= retry.POLICIES[retry.UNANSWERED].tries:
            exc = WeChatError("create", None, sub["errmsg"] or "no answer from WeChat")
            self._retry_or_hold(sub, retry.UNANSWERED, exc, back_to=subs.SENDING)
            return
        subs.transition(
            self.db,
            sub["id"],
            subs.QUEUED,
            "微信未收到上次提交，将重新提交",
            expect=[subs.SENDING],
            claimed_until=None,
            next_attempt_at=now,
            retries=sub["retries"] + 1,
        )

    # After success: the new mini program's tokens.

    def exchange(self, sub: dict) -> None:
        """Trade a success push's auth_code for the new mini program's tokens."""
        try:
            auth = self.call(
                sub["id"], lambda token: self.client.query_auth(token, sub["auth_code"])
            )
        except WeChatError as exc:
            if exc.errcode == authorizers.CODE_SPENT:
                self._recover(sub, exc)
                return
            failure = retry.classify(exc.errcode, exc.entry)
            self._retry_or_hold(sub, failure, exc, back_to=subs.SUCCEEDED)
            return
        with transaction(self.db):
            appid = auth.authorizer_appid or sub["appid"]
            authorizers.save(self.db, self.vault, sub["id"], appid, auth)
            self._authorized(sub, "已获得新小程序的管理授权")

    def _authorized(self, sub: dict, detail: str) -> None:
        subs.transition(
            self.db,
            sub["id"],
            subs.AUTHORIZED,
            detail,
            expect=[subs.SUCCEEDED, subs.HELD],
            next_attempt_at=None,
            retries=0,
            held_from=None,
        )

    def _recover(self, sub: dict, spent: WeChatError) -> None:
        """The auth_code is spent (a dead attempt used it): find the refresh token in the list."""
        try:
            auth = authorizing.recover(self, sub["id"], sub["appid"] or "")
        except WeChatError as exc:
            self._retry_or_hold(
                sub, retry.classify(exc.errcode, exc.entry), exc, back_to=subs.SUCCEEDED
            )
            return
        if auth is None:
            self._retry_or_hold(sub, retry.OPERATOR, spent, back_to=subs.SUCCEEDED)
            return
        self._authorized(sub, "授权码已被使用；已从已授权账号列表找回新小程序的管理授权")

    def refresh_authorizers(self) -> None:
        """Refresh authorizer tokens that expire soon; a rejected refresh token is recovered."""
        for appid in authorizers.due_for_refresh(self.db, self.tokens.refresh_ahead):
            authorizing.refresh(self, appid)
