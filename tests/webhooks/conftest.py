"""Shared webhook fixtures: a loopback receiver, an endpoint on it, a deliverer."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from portal.registration import delivery, outbox, webhooks
from portal.wechat.authorizers import Vault
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(db, receiver) -> dict:
    """An endpoint on the loopback receiver for every event type."""
    endpoint_id, secret = webhooks.create_endpoint(db, Vault(), receiver.url, outbox.EVENT_TYPES)
    return {"id": endpoint_id, "secret": secret}


@pytest.fixture
def deliverer(app, db) -> Iterator[delivery.Deliverer]:
    http = httpx.Client(timeout=5)
    yield delivery.Deliverer(db, {**app.config, "WEBHOOK_RETRY_DELAY": 10}, http)
    http.close()
