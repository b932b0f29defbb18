"""One errcode case: how to make the sandbox answer it to a client call, and the check
every case gets: the client raises WeChatError with that errcode, from that call, and
the catalogue (``portal.wechat.codes``) knows the code in that call's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.contract import steps
from tests.contract.live import Live


@dataclass(frozen=True)
class Case:
    errcode: int
    endpoint: str  # the call log's name of the call that must answer it
    act: Callable[..., Any]  # act(live, **fixtures named in ``needs``)
    note: str = ""
    needs: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.errcode}-{self.endpoint}" + (f"-{self.note}" if self.note else "")


def check(request, live: Live, case: Case) -> None:
    fixtures = {name: request.getfixturevalue(name) for name in case.needs}
    exc = steps.refused(case.errcode, lambda: case.act(live, **fixtures))
    assert exc.endpoint == case.endpoint, exc
    entry = exc.entry
    assert entry.known, f"the catalogue does not know {case.errcode} for {exc.endpoint}"
    assert entry.code == case.errcode and entry.title and entry.next_step


def covered(*tables: list[Case]) -> set[int]:
    return {case.errcode for table in tables for case in table}


def chain(*acts):
    def act(live):
        for step in acts:
            step(live)

    return act
