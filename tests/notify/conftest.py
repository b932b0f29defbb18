"""Helpers for the SMS tests: a submission whose merchant opted in, a provider that records."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from portal.notify import consent
from portal.notify.delivery import Notifier
from portal.notify.providers import Answer, Outgoing
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts

PHONE = "13800138000"


def opted_in(db, name="广州市短信测试科技有限公司", phone=PHONE, granted=True) -> dict:
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), contact_phone=phone)
    if granted:
        consent.grant(db, sub["id"])
    return sub


def move(db, sub, to_state, **updates) -> None:
    row = subs.get(db, sub["id"])
    assert subs.transition(db, sub["id"], to_state, "测试", expect=[row["state"]], **updates)


@dataclass
class Recorder:
    """A provider that keeps what it was asked to send and answers from a script."""

    answers: list[Answer] = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)
    name: str = "sandbox"

    def send(self, message: Outgoing) -> Answer:
        self.sent.append(message)
        return self.answers.pop(0) if self.answers else Answer(True, "Ok", serial="s1")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def notifier(app, db, recorder) -> Notifier:
    return Notifier(db, app.config, recorder)
