"""Item 17: a flood of requests without a valid key costs no write per request.

Each refused call used to write an audit row, taking SQLite's write lock, so a flood
of bad keys stalled every write in the portal. Failures are now counted in memory and
written as one summary row at most every ``audit.TALLY_SECONDS``; calls with a valid
key are still audited one by one.
"""

import sqlite3

import pytest

from portal import apikeys as keys
from portal import audit
from tests.api.test_api import call

BAD = ["frp_wrong", "frp_" + "x" * 43, "Basic abc", ""]


def writes_during(app, action):
    """How many write transactions the database saw while ``action`` ran."""
    conn = sqlite3.connect(app.config["DATABASE"])
    before = conn.execute("PRAGMA data_version").fetchone()[0]
    counted = []

    def count():
        conn.execute("SELECT 1").fetchone()  # a fresh look at the file
        counted.append(conn.execute("PRAGMA data_version").fetchone()[0])

    action(count)
    conn.close()
    return len(set(counted) - {before})


def api_rows(db):
    return list(db.query("SELECT * FROM audit_log WHERE action = 'api call' ORDER BY id"))


def test_a_flood_of_bad_keys_writes_a_bounded_number_of_rows(app, client, db):
    def flood(count):
        for n in range(300):
            key = BAD[n % len(BAD)]
            headers = {"Authorization": key if " " in key or not key else f"Bearer {key}"}
            response = client.get("/api/v1/submissions", headers=headers)
            assert response.status_code == 401
            count()

    writes = writes_during(app, flood)
    assert writes <= 1, writes  # the first failure is written at once, the rest tallied
    assert len(api_rows(db)) <= 1


def test_the_tally_is_written_as_one_summary_row_after_the_interval(app, client, db, monkeypatch):
    for _ in range(50):
        assert call(client, "get", "/api/v1/submissions", "frp_wrong").status_code == 401
    clock = audit.time.time() + audit.TALLY_SECONDS + 1
    monkeypatch.setattr(audit.time, "time", lambda: clock)
    assert call(client, "get", "/api/v1/submissions", "frp_wrong").status_code == 401
    rows = api_rows(db)
    assert len(rows) == 2
    assert rows[0]["username"] == rows[1]["username"] == "api:（无有效密钥）"
    assert rows[1]["target"] == "50 calls" and "127.0.0.1 ×50" in rows[1]["detail"]
    assert rows[1]["detail"].endswith("GET /api/v1/submissions → 401")


def test_calls_with_a_valid_key_are_still_audited_each(client, db):
    _, key = keys.create(db, "CRM", ["submissions:read"], None)
    for _ in range(5):
        assert call(client, "get", "/api/v1/submissions", key).status_code == 200
        assert call(client, "get", "/api/v1/submissions", "frp_wrong").status_code == 401
    names = [r["username"] for r in api_rows(db)]
    assert names.count("api:CRM") == 5 and names.count("api:（无有效密钥）") <= 1


@pytest.mark.parametrize("path", ["/api/v1/submissions/1", "/api/v1/nothing", "/api/openapi.json"])
def test_other_paths_without_a_key_write_nothing_either(app, client, db, path):
    def flood(count):
        for _ in range(30):
            client.get(path, headers={"Authorization": "Bearer frp_wrong"})
            count()

    assert writes_during(app, flood) <= 1
