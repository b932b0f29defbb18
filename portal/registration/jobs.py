"""The worker's jobs: send, resolve unanswered creates, exchange auth codes, search.

Each job claims its rows with a conditional update, so several worker processes, or a
restarted one, never send the same submission twice. How failures are retried is one
table, ``retry.POLICIES``; every per-submission retry is bounded and ends in ``held``.
An unanswered create stays in ``sending`` until ``unanswered`` resolves it; the new
mini program's tokens are ``authorizing``'s; quiet tasks are searched by ``searches``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.registration import authorizing, retention, retry, searches, unanswered
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
            unanswered.probe(self, sub)
        for sub in self._due("state = ? AND next_attempt_at <= ?", subs.SUCCEEDED):
            authorizing.exchange(self, sub)
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
        self.accepted(sub, accepted)

    def accepted(self, sub: dict, accepted: Accepted) -> None:
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
            unanswered.maybe_own_task(self, sub, exc)
            return
        if failure == retry.FIXABLE:
            self.reject(sub, exc)
            return
        self.retry_or_hold(sub, failure, exc, back_to=subs.QUEUED)

    def reject(self, sub: dict, exc: WeChatError) -> None:
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

    def retry_or_hold(self, sub: dict, failure: str, exc: WeChatError, back_to: str) -> None:
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
        if back_to != subs.QUEUED:
            # It stays where it is; its lease (sending) or due time (succeeded) says when.
            when = "claimed_until" if back_to == subs.SENDING else "next_attempt_at"
            subs.update(self.db, sub["id"], **{when: now + wait}, **changes)
            return
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

    def refresh_authorizers(self) -> None:
        """Refresh authorizer tokens that expire soon; a rejected refresh token is recovered."""
        for appid in authorizers.due_for_refresh(self.db, self.tokens.refresh_ahead):
            authorizing.refresh(self, appid)
