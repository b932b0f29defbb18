"""Fixtures: a portal app and a sandbox app sharing test credentials, wired in-process.

The portal's WeChat client reaches the real sandbox app through ``httpx.WSGITransport``
and the sandbox delivers its pushes to the portal's test client: no patching.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import sqlite_utils
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

import portal
import portal.sandbox
from portal import accounts
from portal.db import connect
from portal.sandbox import pusher
from portal.sandbox.state import open_db
from portal.tasks.context import Context
from portal.wechat.wiring import connect as connect_wechat
from portal.worker import WECHAT_KINDS, Scheduler

# Timing belongs in benchmarks: a busy CI machine must not fail a property test.
settings.register_profile("portal", deadline=None)
settings.load_profile("portal")

# scrypt's cost (a tenth of a second a hash) protects production passwords; in-process tests
# create thousands of accounts, so they hash cheaply. Processes started by tests are not affected,
# and tests/test_accounts_hash.py shows production still uses scrypt.
_production_hash = accounts.generate_password_hash
accounts.generate_password_hash = partial(_production_hash, method="pbkdf2:sha256:1000")
accounts._DUMMY_HASH = accounts.generate_password_hash("not-a-real-password")

CREDENTIALS = {
    "WECHAT_COMPONENT_APPID": "wx0123456789abcdef",
    "WECHAT_COMPONENT_APPSECRET": "test-secret-0123456789",
    "WECHAT_TOKEN": "testtoken",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_COMPONENT_PHONE": "020-12345678",
}


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return portal.create_app(
        {
            **CREDENTIALS,
            "TESTING": True,
            "DATABASE": str(tmp_path / "portal.sqlite"),
            "WECHAT_API_BASE": "http://sandbox",
            "SEND_RETRY_DELAY": 0,
            "CREATE_SETTLE": 0,  # tests of the settle window set it themselves
            "SEARCH_SCHEDULE": "0,0,0",
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[sqlite_utils.Database]:
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def sandbox_app(tmp_path: Path) -> Flask:
    return portal.sandbox.create_app(
        {
            **CREDENTIALS,
            "TESTING": True,
            "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite"),
            "SANDBOX_EVENT_URL": "http://portal/wechat/events",
            "SANDBOX_MESSAGE_URL": "http://portal/wechat/messages/$APPID$",
            "SANDBOX_CHECK_DELAY": 0,
            "SANDBOX_RESEND_DELAY": 0,
        }
    )


@pytest.fixture
def sandbox_db(sandbox_app: Flask) -> Iterator[sqlite_utils.Database]:
    database = open_db(sandbox_app.config["SANDBOX_DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def sandbox_http(sandbox_app: Flask) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=httpx.WSGITransport(app=sandbox_app), base_url="http://sandbox"
    ) as c:
        yield c


@pytest.fixture
def deliveries(client: FlaskClient) -> list[tuple[dict, bytes, str]]:
    """Every push the sandbox delivered to the portal: (params, body, answer)."""
    return []


@pytest.fixture
def wechat_side(
    sandbox_app: Flask, sandbox_db, client: FlaskClient, deliveries
) -> Callable[[], None]:
    """Let WeChat's side do what is due (tickets, task progress, pushes to the portal)."""

    def deliver(url: str, params: dict[str, str], body: bytes) -> str:
        path = urlsplit(url).path or "/wechat/events"  # the event URL or the message URL
        response = client.post(path, query_string=params, data=body)
        answer = response.get_data(as_text=True)
        deliveries.append((params, body, answer))
        return answer

    def run() -> None:
        pusher.tick(sandbox_db, sandbox_app.config, deliver)

    return run


@pytest.fixture
def jobs(app: Flask, db, sandbox_http, wechat_side) -> Scheduler:
    """The worker's WeChat work, talking to the in-process sandbox; a ticket has arrived."""
    wechat_side()
    wechat_client, tokens = connect_wechat(app.config, db, http=sandbox_http)
    return Scheduler(Context(db, wechat_client, tokens, app.config), WECHAT_KINDS)


def wait_until(predicate: Callable[[], object], timeout: float = 20, what: str = "") -> object:
    """Poll ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or predicate}")
