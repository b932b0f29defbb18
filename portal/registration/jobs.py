"""The worker's jobs: send, probe, reconcile, exchange auth codes, keep tokens fresh.

Each job claims its rows with a conditional update, so several worker processes, or a
restarted one, never send the same submission twice. The push is the primary signal;
``search`` costs quota and runs on a per-submission schedule under a daily budget.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.db import transaction
from portal.registration import submissions as subs
from portal.registration.flavors import Accepted, Probe
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import day_start
from portal.wechat import authorizers, codes
from portal.wechat.calllog import SEARCH_ENDPOINTS, calls_since
from portal.wechat.client import WeChatClient, WeChatError, WeChatUnavailable
from portal.wechat.tokens import TICKET, ComponentTokens, get_credential

log = logging.getLogger(__name__)
#: How long after the legal person's deadline a silent task is ended.
SILENCE_GRACE = 3600


def search_schedule(config: Mapping[str, Any]) -> list[float]:
    """Seconds after sending at which a quiet task is searched."""
    return [float(s) for s in str(config["SEARCH_SCHEDULE"]).split(",") if s.strip()]


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
        self.schedule = search_schedule(config)
        self.daily_budget = int(config["SEARCH_DAILY_BUDGET"])
        self._token_retry_at = 0.0
        self.vault = authorizers.Vault(str(config.get("TOKEN_KEY") or ""))

    def run_once(self) -> None:
        """Do every job that is due, once."""
        self.refresh_token()
        for sub in self._due("state = ? AND next_attempt_at <= ?", subs.QUEUED):
            self.send(sub)
        for sub in self._due("state = ? AND claimed_until <= ?", subs.SENDING):
            self.probe(sub)
        for sub in self._due("state = ? AND next_attempt_at <= ?", subs.SUCCEEDED):
            self.exchange(sub)
        for sub in self._due(
            f"state IN ('{subs.CHECKING}', '{subs.AWAITING}') AND next_search_at <= ?"
        ):
            self.reconcile(sub)
        self.refresh_authorizers()

    def _due(self, where: str, *args: Any) -> list[dict]:
        params = [*args, time.time()]
        return list(self.db.query(f"SELECT * FROM submissions WHERE {where} ORDER BY id", params))

    def _call(self, sub: dict, fn):
        self.client.on_call.submission_id = sub["id"]  # type: ignore[attr-defined]
        try:
            return self.tokens.call(fn)
        finally:
            self.client.on_call.submission_id = None  # type: ignore[attr-defined]

    def refresh_token(self) -> None:
        """Refresh the component token ahead of expiry; after a failure, wait a while."""
        if time.time() < self._token_retry_at:
            return
        if get_credential(self.db, TICKET) is None or not self.tokens.needs_refresh():
            return
        try:
            self.tokens.current()
        except WeChatError as exc:
            self._token_retry_at = time.time() + self.retry_delay
            log.error("component token refresh failed: %s (%s)", exc, exc.entry.next_step)

    def send(self, sub: dict) -> None:
        """Claim a queued submission, then call create; its outcome decides the state."""
        now = time.time()
        claimed = subs.transition(
            self.db, sub["id"], subs.SENDING, "正在提交给微信", expect=[subs.QUEUED],
            attempts=sub["attempts"] + 1, sent_at=now, claimed_until=now + self.retry_delay,
        )  # fmt: skip
        if not claimed:
            return
        flavor = get_flavor(sub["flavor"])
        try:
            accepted = self._call(sub, lambda token: flavor.create(self.client, token, sub))
        except WeChatUnavailable as exc:
            # WeChat may or may not have the task: stay in "sending" and probe later.
            log.warning("create for submission %s uncertain: %s", sub["id"], exc)
            subs.update(self.db, sub["id"], errmsg=exc.errmsg[:300])
            return
        except WeChatError as exc:
            self._refused(sub, exc)
            return
        self._accepted(sub, accepted)

    def _accepted(self, sub: dict, accepted: Accepted) -> None:
        now = time.time()
        subs.transition(
            self.db, sub["id"], accepted.state, accepted.detail, expect=[subs.SENDING],
            errcode=0, errmsg="", claimed_until=None,
            deadline_at=now + subs.LEGAL_PERSON_WINDOW,
            next_search_at=now + self.schedule[0] if self.schedule else None,
            **accepted.updates,
        )  # fmt: skip

    def _refused(self, sub: dict, exc: WeChatError) -> None:
        entry = exc.entry
        if exc.kind == codes.FIXABLE:
            subs.transition(
                self.db, sub["id"], subs.REJECTED, f"微信拒绝：{entry.title}（{exc.errcode}）",
                expect=[subs.SENDING], errcode=exc.errcode, errmsg=exc.errmsg, claimed_until=None,
            )  # fmt: skip
            return
        # Transient or the operator's to fix: WeChat created nothing; keep it queued.
        delay = self.retry_delay * (10 if exc.kind == codes.OPERATOR_PROBLEM else 1)
        log.error("create for submission %s held: %s — %s", sub["id"], exc, entry.next_step)
        subs.transition(
            self.db, sub["id"], subs.QUEUED, f"暂未提交：{entry.title}，稍后自动重试",
            expect=[subs.SENDING], errcode=exc.errcode, errmsg=exc.errmsg,
            claimed_until=None, next_attempt_at=time.time() + delay,
        )  # fmt: skip

    def probe(self, sub: dict) -> None:
        """Find out whether an uncertain create reached WeChat, before sending again."""
        flavor = get_flavor(sub["flavor"])
        try:
            probe = self._call(sub, lambda token: flavor.search(self.client, token, sub))
        except WeChatError as exc:
            log.warning("probe of submission %s failed: %s", sub["id"], exc)
            subs.update(self.db, sub["id"], claimed_until=time.time() + self.retry_delay)
            return
        if probe.kind in ("checking", "awaiting"):
            state = subs.CHECKING if probe.kind == "checking" else subs.AWAITING
            self._accepted(sub, Accepted(state, probe.entry.explanation))
        else:
            subs.transition(
                self.db, sub["id"], subs.QUEUED, "微信未收到上次提交，将重新提交",
                expect=[subs.SENDING], claimed_until=None, next_attempt_at=time.time(),
            )  # fmt: skip

    def searches_left_today(self) -> int:
        today = day_start(time.time())
        return max(0, self.daily_budget - calls_since(self.db, SEARCH_ENDPOINTS, today))

    def reconcile(self, sub: dict) -> None:
        """Search a quiet task on its schedule, within today's budget."""
        if self.searches_left_today() <= 0:
            return
        searches = sub["searches"] + 1
        following = self.schedule[searches] if searches < len(self.schedule) else None
        next_at = sub["sent_at"] + following if following is not None else None
        subs.update(self.db, sub["id"], searches=searches, next_search_at=next_at)
        try:
            self.search_now(sub)
        except WeChatError as exc:
            log.warning("search for submission %s failed: %s", sub["id"], exc)

    def search_now(self, sub: dict) -> Probe:
        """Ask WeChat for the task's state and apply what it says."""
        flavor = get_flavor(sub["flavor"])
        probe = self._call(sub, lambda token: flavor.search(self.client, token, sub))
        subs.update(self.db, sub["id"], last_search_errcode=probe.code)
        if probe.kind == "awaiting" and sub["state"] == subs.CHECKING:
            subs.transition(
                self.db, sub["id"], subs.AWAITING, probe.entry.explanation, expect=[subs.CHECKING]
            )
        elif probe.kind == "ended":
            to_state = subs.EXPIRED if probe.entry.outcome == codes.EXPIRED else subs.FAILED
            subs.transition(
                self.db, sub["id"], to_state, f"微信查询结果：{probe.entry.title}（{probe.code}）",
                expect=subs.WITH_WECHAT, push_status=probe.code, push_msg=probe.entry.wechat_text,
            )  # fmt: skip
        elif probe.kind == "none" and time.time() > (sub["deadline_at"] or 0) + SILENCE_GRACE:
            # The 24 hours are over, WeChat has no task and no result ever came: the
            # push was lost or never sent. End it so the merchant can submit again.
            subs.transition(
                self.db, sub["id"], subs.EXPIRED,
                "24 小时已过，未收到微信的结果；已向微信确认任务已结束",
                expect=subs.WITH_WECHAT, push_status=flavor.silent_expiry, push_msg="",
            )  # fmt: skip
        return probe

    def exchange(self, sub: dict) -> None:
        """Trade a success push's auth_code for the new mini program's tokens."""
        try:
            auth = self._call(sub, lambda token: self.client.query_auth(token, sub["auth_code"]))
        except WeChatError as exc:
            delay = self.retry_delay * 2 ** min(sub["attempts"], 6)
            log.error("query_auth for submission %s failed: %s", sub["id"], exc)
            subs.update(
                self.db, sub["id"], errcode=exc.errcode, errmsg=exc.errmsg,
                attempts=sub["attempts"] + 1, next_attempt_at=time.time() + delay,
            )  # fmt: skip
            return
        with transaction(self.db):
            authorizers.save(
                self.db, self.vault, sub["id"], auth.authorizer_appid or sub["appid"], auth
            )
            subs.transition(
                self.db, sub["id"], subs.AUTHORIZED, "已获得新小程序的管理授权",
                expect=[subs.SUCCEEDED], next_attempt_at=None,
            )  # fmt: skip

    def refresh_authorizers(self) -> None:
        """Refresh authorizer tokens that expire within the refresh margin."""
        try:
            due = authorizers.due_for_refresh(
                self.db, self.vault, self.tokens.refresh_ahead, self.retry_delay
            )
        except authorizers.VaultError as exc:
            log.error("authorizer tokens unreadable: %s", exc)
            return
        for row in due:
            try:
                fresh = self.tokens.call(
                    lambda t, r=row: self.client.authorizer_token(t, r.appid, r.refresh_token)
                )
            except WeChatError as exc:
                log.error("authorizer %s token refresh failed: %s", row.appid, exc)
                authorizers.mark_tried(self.db, row.appid)
                continue
            authorizers.store_refreshed(self.db, self.vault, row.appid, fresh)
