"""The worker's context, at the bottom of the tasks: database, WeChat client, component
tokens, vault and settings, and the one call wrapper.

``call`` runs a WeChat call with a valid component token, logged against its subject.
Every way of not having a component token (no ticket yet, a refresh backing off, the
token endpoint failing or unreachable) is ``PlatformWaiting``, for every kind of work:
the work was not done, so it spends no try and holds nothing, and the health page
counts what waits for the platform.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sqlite_utils

from portal.registration.timing import Timing
from portal.wechat import authorizers
from portal.wechat.authorizers import Vault
from portal.wechat.client import TOKEN_ERRCODES, WeChatClient, WeChatError
from portal.wechat.miniprogram import MiniProgramClient
from portal.wechat.tokens import ComponentTokens

T = TypeVar("T")


class PlatformWaiting(Exception):
    """No component token could be had: the platform's problem, not the work's."""


class AuthorizerMissing(Exception):
    """The platform holds no usable token for this mini program (never stored, or lost)."""


class Context:
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
        self.config = config
        self.timing = Timing.from_config(config)
        self.vault = Vault(str(config.get("TOKEN_KEY") or ""))
        self.daily_budget = int(config.get("SEARCH_DAILY_BUDGET", 200))
        self.purged_at = 0.0  # when this process last purged personal data
        self.mp = MiniProgramClient(client)  # the go-live calls, over the same transport

    def token(self) -> str:
        """A valid component token, or PlatformWaiting."""
        try:
            return self.tokens.current()
        except WeChatError as exc:
            raise PlatformWaiting(str(exc)) from exc

    def call(self, subject: int | None, fn: Callable[[str], T]) -> T:
        """Run ``fn(component_token)`` logged against submission ``subject``.

        A token WeChat calls invalid or expired is marked stale, refreshed, and the call
        made once more.
        """
        log = self.client.on_call
        setattr(log, "submission_id", subject)  # noqa: B010 - the call log's subject
        try:
            token = self.token()
            try:
                return fn(token)
            except WeChatError as exc:
                if exc.errcode not in TOKEN_ERRCODES:
                    raise
                self.tokens.invalidate(token)
                return fn(self.token())
        finally:
            setattr(log, "submission_id", None)  # noqa: B010

    def authorizer_token(self, appid: str, *, fresh: bool = False) -> str:
        """The mini program's access token (A-token), refreshed first when it has expired
        or ``fresh`` is asked for (WeChat said it was invalid)."""
        row = authorizers.get(self.db, appid)
        if row is None or row["state"] == "lost":
            raise AuthorizerMissing(appid)
        if not fresh and (row["expires_at"] or 0) > time.time() + 60:
            return self.vault.open(row["access_token"])
        refresh_token = self.vault.open(row["refresh_token"])
        renewed = self.call(
            row["submission_id"],
            lambda token: self.client.authorizer_token(token, appid, refresh_token),
        )
        authorizers.store_refreshed(self.db, self.vault, appid, renewed)
        return renewed.access_token

    def call_authorizer(self, subject: int | None, appid: str, fn: Callable[[str], T]) -> T:
        """Run ``fn(authorizer_token)`` for mini program ``appid``, logged against ``subject``.

        A token WeChat calls invalid or expired (40001/42001) is refreshed once and the
        call made once more.
        """
        log = self.client.on_call
        token = self.authorizer_token(appid)
        setattr(log, "submission_id", subject)  # noqa: B010
        try:
            try:
                return fn(token)
            except WeChatError as exc:
                if exc.errcode not in TOKEN_ERRCODES:
                    raise
            token = self.authorizer_token(appid, fresh=True)
            setattr(log, "submission_id", subject)  # noqa: B010 - the refresh reset it
            return fn(token)
        finally:
            setattr(log, "submission_id", None)  # noqa: B010
