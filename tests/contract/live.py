"""A mini program the sandbox created and the portal authorized, with the go-live
client bound to its real tokens.

``live.a.<area>.<method>(...)`` runs ``MiniProgramClient.<area>.<method>(A-token, ...)``
through ``Context.call_authorizer`` (the A-token from the vault, refreshed once on
40001/42001); ``live.c.<area>.<method>(...)`` runs it through ``Context.call`` with the
C-token. Every method called is recorded in ``live.called`` with the token it took
("A" or "C") and the endpoint the call log named (``live.endpoints``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks.context import Context
from portal.wechat.miniprogram import MiniProgramClient
from portal.wechat.shapes import CallRecord
from tests.registration.facts import facts


class Tap:
    """The client's call log (``on_call``), keeping every endpoint it is told of."""

    def __init__(self, inner: Callable[[CallRecord], None]) -> None:
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "endpoints", [])

    def __call__(self, record: CallRecord) -> None:
        self.endpoints.append(record.endpoint)
        self.inner(record)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.inner, name, value)  # the context sets the log's submission_id


class Bound:
    """``MiniProgramClient`` with the token filled in by ``run(fn)``."""

    def __init__(self, live: Live, run: Callable, kind: str) -> None:
        self._live, self._run, self._kind = live, run, kind

    def __getattr__(self, area: str) -> Any:
        live, run, kind = self._live, self._run, self._kind
        api = getattr(live.mp, area)

        class Area:
            def __getattr__(self, name: str) -> Callable[..., Any]:
                method = getattr(api, name)

                def call(*args: Any, **kwargs: Any) -> Any:
                    key, seen = f"{area}.{name}", len(live.tap.endpoints)
                    live.called.setdefault(key, set()).add(kind)
                    try:
                        return run(lambda token: method(token, *args, **kwargs))
                    finally:  # the call itself is logged last (after any token refresh)
                        if len(live.tap.endpoints) > seen:
                            live.endpoints.setdefault(key, set()).add(live.tap.endpoints[-1])

                return call

        return Area()


@dataclass
class Live:
    """One authorized mini program, its submission, and the ways to call WeChat for it."""

    ctx: Context
    submission_id: int
    appid: str
    sandbox: dict  # the sandbox's live config (change it to change WeChat's clock)
    called: dict[str, set[str]] = field(default_factory=dict)
    endpoints: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        client = self.ctx.client
        if not isinstance(client.on_call, Tap):
            client.on_call = Tap(client.on_call)
        self.tap: Tap = client.on_call
        self.mp = MiniProgramClient(client)
        self.a = Bound(self, self.with_a, "A")
        self.c = Bound(self, self.with_c, "C")

    def with_a(self, fn: Callable[[str], Any]) -> Any:
        return self.ctx.call_authorizer(self.submission_id, self.appid, fn)

    def with_c(self, fn: Callable[[str], Any]) -> Any:
        return self.ctx.call(self.submission_id, fn)

    def token(self) -> str:
        """The A-token the portal holds now (for a call made outside call_authorizer)."""
        return self.ctx.authorizer_token(self.appid)


def authorize(db, jobs, wechat_side, sandbox_app, company: str) -> Live:
    """A company the sandbox approves at once (magic S0), taken to "authorized"."""
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(company))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert row is not None and row["state"] == subs.AUTHORIZED, row
    return Live(jobs.ctx, sub["id"], row["appid"], sandbox_app.config)
