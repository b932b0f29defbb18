"""Fixtures of the setup API's tests (``setup_helpers`` has the helpers)."""

from __future__ import annotations

import pytest

from portal import apikeys as keys
from tests.api.setup_helpers import WRITER, authorize, open_with_choices


@pytest.fixture
def sub(db) -> dict:
    return authorize(db)


@pytest.fixture
def setup(db, sub) -> dict:
    return open_with_choices(db, sub)


@pytest.fixture
def writer(db) -> str:
    return keys.create(db, "部署系统", WRITER, None)[1]
