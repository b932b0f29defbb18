"""What every flavor provides, and the plain records it answers with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from portal.privacy import mask_name, mask_wechat
from portal.wechat import codes
from portal.wechat.client import WeChatClient


@dataclass(frozen=True)
class Field:
    """A fact the merchant gives: its form name, label, help and input attributes."""

    name: str
    label: str
    help: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)
    personal: bool = False  # masked in partner views
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Accepted:
    """WeChat took the task: the state it is in and the columns to remember."""

    state: str
    detail: str
    updates: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    """What asking WeChat about a task found.

    ``kind``: checking, awaiting, none (no task at WeChat, or, classic, a task that
    succeeded), created (v2: WeChat says the mini program was created), ended (a final
    failure status, applied as if it had been pushed), or other (an answer that says
    nothing about the task: asked again later, never taken as "no task").
    """

    kind: str
    code: int | None
    entry: codes.Entry
    #: Columns the answer teaches a submission that lacks them (v2: the verification link).
    learnt: Mapping[str, Any] = field(default_factory=dict)


class Flavor:
    name: str
    title: str
    fields: tuple[Field, ...]
    legal_person_step: str
    resubmit_effect: str  # what resubmitting the same facts does
    landing_step: str  # what the legal person does, in the landing's one sentence
    prepare: tuple[tuple[str, str], ...]
    after_submit: tuple[str, ...]
    guide_sections: tuple[tuple[str, str], ...]
    statuses: dict[int, codes.Entry] = codes.PUSH_STATUSES
    #: What to tell the merchant once "checking" has lasted a while (None: nothing).
    nudge: str | None = None
    #: The status a task is taken to have ended with when no result ever came.
    silent_expiry: int

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def label(self, name: str) -> str:
        return next((f.label for f in self.fields if f.name == name), name)

    def facts(self, sub: Mapping[str, Any], masked: bool = False) -> list[tuple[str, str]]:
        """(label, value) of the facts as sent, masked for partners when asked."""
        shown = []
        for f in self.fields:
            value = sub.get(f.name)
            if f.choices:
                value = dict(f.choices).get(str(value), value)
            value = "" if value is None else str(value)
            if masked and f.personal:
                value = mask_wechat(value) if value.isascii() else mask_name(value)
            shown.append((f.label, value))
        return shown

    def personal_facts(self, sub: Mapping[str, Any], masked: bool = False) -> list[tuple[str, str]]:
        """Only the facts about a person (none in some flavors)."""
        personal = {f.label for f in self.fields if f.personal}
        return [(label, value) for label, value in self.facts(sub, masked) if label in personal]

    def result(self, status: int | None, msg: str = "") -> codes.Entry:
        """The catalogue entry of a result status; its ``outcome`` says what it means."""
        return codes.push_entry(status, msg, self.statuses)

    def outcome(self, sub: Mapping[str, Any]) -> codes.Entry:
        """The stored result of ``sub`` as people are told it: a refusal (``refused``,
        decided once by ``results``) reads as one, whatever status carried it."""
        status = sub.get("push_status")
        if sub.get("refused") and status in codes.ENDED_EARLY:
            return codes.ENDED_EARLY[status]
        return self.result(status, sub.get("push_msg") or "")

    def search_entry(self, code: int | None) -> codes.Entry:
        """The catalogue entry of what asking WeChat answered (an errcode by default)."""
        return codes.api_entry(code)

    def can_probe(self, sub: Mapping[str, Any]) -> bool:
        """Whether WeChat can be asked about this submission's task without creating it."""
        return True

    def orphaned(self, sub: Mapping[str, Any]) -> bool:
        """Whether the legal person never had a way to act on this submission's task."""
        return False

    def legal_person_link(self, sub: Mapping[str, Any]) -> str | None:
        """A link the legal person must open, if this flavor has one."""
        return None

    # Implemented by each flavor.
    def normalized(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def match_key(self, facts: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def find_for_push(
        self, db: sqlite_utils.Database, info: Mapping[str, str], made_at: float | None
    ) -> dict | None:
        """The submission a result push made at ``made_at`` is about (``results.push_target``)."""
        raise NotImplementedError

    def create(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Accepted:
        raise NotImplementedError

    def search(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Probe:
        raise NotImplementedError
