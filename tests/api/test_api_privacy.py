"""Item 15: the merchant's private status link is personal data in the API's answers.

The status page behind ``status_url`` shows the company's progress, the v2 verification
link and, for a fix-and-resubmit, the facts typed: only a key with personal_data:read
may receive it, wherever a submission appears (read, list, create, 409).
"""

import pytest

from portal import apikeys as keys
from portal.api.openapi import spec
from tests.api.test_api import VALID, call

READ_WRITE = ("submissions:read", "submissions:write")


@pytest.fixture
def plain(db):
    return keys.create(db, "plain", READ_WRITE, None)[1]


@pytest.fixture
def personal(db):
    return keys.create(db, "personal", (*READ_WRITE, "personal_data:read"), None)[1]


def every_answer(client, key):
    """A submission as create, 409, read and list show it, for ``key``."""
    created = call(client, "post", "/api/v1/submissions", key, json=dict(VALID))
    assert created.status_code in (201, 409), created.get_json()
    body = created.get_json()
    sub = body if created.status_code == 201 else body["error"]["submission"]
    again = call(client, "post", "/api/v1/submissions", key, json=dict(VALID)).get_json()
    read = call(client, "get", f"/api/v1/submissions/{sub['id']}", key).get_json()
    listed = call(client, "get", "/api/v1/submissions", key).get_json()["data"]
    return [sub, again["error"]["submission"], read, *listed]


def test_a_key_without_the_personal_data_scope_never_gets_the_status_link(client, plain):
    for shown in every_answer(client, plain):
        assert "status_url" not in shown and "legal_person" not in shown
        assert "/s/" not in str(shown)


def test_a_key_with_the_personal_data_scope_gets_the_status_link(client, db, personal):
    public_id = None
    for shown in every_answer(client, personal):
        assert shown["status_url"].rsplit("/s/", 1)[1]
        public_id = shown["status_url"].rsplit("/s/", 1)[1]
    row = db.execute("SELECT public_id FROM submissions").fetchone()
    assert public_id == row[0]


def test_the_description_says_the_link_needs_the_scope():
    schema = spec("http://x")["components"]["schemas"]["Submission"]
    assert "status_url" not in schema["required"]
    assert "personal_data:read" in schema["properties"]["status_url"]["description"]
    assert "进度页" in keys.SCOPES["personal_data:read"]
