"""Recording a message push: once, atomically with ``apply``, never under a wrong pair."""

import pytest

from portal import migrations
from portal.db import connect, migrate
from portal.registration import messages
from portal.wechat.messages import parse_message

MP, GH = "wxaaaabbbbccccdddd", "gh_0123456789ab"


def xml(event="weapp_audit_success", to=GH, created=1700000000):
    return (
        f"<xml><ToUserName>{to}</ToUserName><FromUserName>o_x</FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType>event</MsgType><Event>{event}</Event>"
        "<SuccTime>1700000100</SuccTime></xml>"
    )


def count(db):
    return db.execute("SELECT count(*) FROM message_pushes").fetchone()[0]


def test_a_push_is_stored_once_with_its_outcome(db):
    text = xml()
    outcome = messages.record(db, MP, parse_message(text), text, now=1700000001.5)
    assert outcome == f"recorded weapp_audit_success for unknown mini program {MP}"
    assert messages.record(db, MP, parse_message(text), text) == "duplicate"
    row = messages.get(db, 1)
    assert row["fingerprint"] == messages.fingerprint(text)
    assert (row["received_at"], row["create_time"], row["outcome"]) == (
        1700000001.5,
        1700000000,
        outcome,
    )
    assert count(db) == 1


def test_apply_gets_the_stored_row_inside_the_same_transaction(db, monkeypatch):
    seen = []

    def apply(database, row):
        assert database.conn.in_transaction
        seen.append(row)
        return "applied by the hook"

    monkeypatch.setattr(messages, "apply", apply)
    text = xml("wxa_nickname_audit")
    assert messages.record(db, MP, parse_message(text), text) == "applied by the hook"
    assert seen[0]["id"] == 1 and seen[0]["event"] == "wxa_nickname_audit"
    assert messages.get(db, 1)["outcome"] == "applied by the hook"


def test_a_failing_apply_leaves_nothing_behind(db, monkeypatch):
    def apply(database, row):
        raise RuntimeError("a go-live step failed")

    monkeypatch.setattr(messages, "apply", apply)
    text = xml()
    with pytest.raises(RuntimeError):
        messages.record(db, MP, parse_message(text), text)
    assert count(db) == 0  # WeChat is not answered success, so it sends the push again


def test_appid_and_original_id_must_agree_with_earlier_pushes(db):
    text = xml()
    messages.record(db, MP, parse_message(text), text)
    other = xml("weapp_audit_delay")
    with pytest.raises(messages.Inconsistent):
        messages.record(db, "wx1111222233334444", parse_message(other), other)
    renamed = xml(to="gh_ffffffffffff", created=1700000009)
    with pytest.raises(messages.Inconsistent):
        messages.record(db, MP, parse_message(renamed), renamed)
    assert count(db) == 1
    # Another mini program with its own original id is fine.
    fresh = xml(to="gh_ffffffffffff", created=1700000010)
    messages.record(db, "wx1111222233334444", parse_message(fresh), fresh)
    assert count(db) == 2


def test_migration_11_adds_the_message_pushes_table(tmp_path):
    assert len(migrations.MIGRATIONS) >= 11
    database = connect(str(tmp_path / "m.sqlite"))
    assert migrate(database, migrations.MIGRATIONS[:10])
    assert "message_pushes" not in database.table_names()
    migrate(database, migrations.MIGRATIONS)
    columns = {c.name for c in database["message_pushes"].columns}
    assert columns == {
        "id", "received_at", "fingerprint", "appid", "to_user", "msg_type", "event",
        "create_time", "xml", "fields", "outcome", "applied_at",
    }  # fmt: skip
    database.conn.close()
