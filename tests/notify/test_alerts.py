"""Operator alerts: once per episode, cleared when the condition ends, raised again after."""

import time

from portal.notify import alerts
from portal.notify.delivery import Notifier
from portal.tasks import alerts as alerts_kind
from tests.notify.conftest import opted_in

OPERATOR = "13900139000"


def texts(db):
    return [
        r["params"] for r in db.query("SELECT params FROM sms_messages WHERE audience = 'operator'")
    ]


def test_an_episode_alerts_once_and_clears(db):
    assert alerts.observe(db, "held", True, "1 个申请", [OPERATOR], 100.0) == "raised"
    assert alerts.observe(db, "held", True, "2 个申请", [OPERATOR], 160.0) is None
    assert texts(db) == ['["有暂停申请"]']
    assert alerts.observe(db, "held", False, "", [OPERATOR], 220.0) == "cleared"
    assert alerts.observe(db, "held", False, "", [OPERATOR], 280.0) is None
    assert alerts.observe(db, "held", True, "again", [OPERATOR], 340.0) == "raised"
    assert texts(db) == ['["有暂停申请"]', '["有暂停申请"]']


def test_the_kind_sees_held_submissions_and_a_stale_ticket(app, db):
    app.config["SMS_OPERATOR_PHONES"] = OPERATOR
    notifier = Notifier(db, app.config, None)
    assert alerts_kind.due(notifier, time.time()) == []  # the first look waits one interval
    sub = opted_in(db)
    db.execute("UPDATE submissions SET state = 'held' WHERE id = ?", [sub["id"]])
    db.conn.commit()
    item = alerts_kind.claim(notifier, {"id": None}, time.time() + 61)
    alerts_kind.run(notifier, item)
    raised = {
        r["condition"]
        for r in db.query("SELECT condition FROM sms_alerts WHERE cleared_at IS NULL")
    }
    assert raised == {"held", "ticket_stale"}  # no ticket has arrived in this test
    assert sorted(texts(db)) == ['["有暂停申请"]', '["票据超时"]']
    alerts_kind.run(notifier, item)
    assert len(texts(db)) == 2


def test_stopped_replication_alerts_once_by_sms_and_webhook(app, db, tmp_path):
    from portal.registration import webhooks
    from portal.stack import free_port
    from portal.wechat.authorizers import Vault

    app.config.update(
        SMS_OPERATOR_PHONES=OPERATOR,
        LITESTREAM_REPLICA_URL=f"file://{tmp_path / 'replica'}",
        LITESTREAM_ADDR=f"127.0.0.1:{free_port()}",  # nothing listens: Litestream is not running
    )
    webhooks.create_endpoint(db, Vault(), "https://ops.example.com/hook", ["platform.alert"])
    db.conn.commit()
    notifier = Notifier(db, app.config, None)
    state, detail = alerts_kind.conditions(notifier, time.time())["replication_stopped"]
    assert state and "数据库" in detail
    item = alerts_kind.claim(notifier, {"id": None}, time.time() + 61)
    alerts_kind.run(notifier, item)
    alerts_kind.run(notifier, item)  # the same episode: nothing more
    assert texts(db).count('["数据库复制停"]') == 1
    events = [
        r["subject"]
        for r in db.query("SELECT subject FROM webhook_events WHERE type = 'platform.alert'")
    ]
    assert events.count("alert:replication_stopped") == 1


def test_replication_off_is_no_alert_outside_production(app, db):
    notifier = Notifier(db, app.config, None)
    assert alerts_kind.conditions(notifier, time.time())["replication_stopped"] == (False, "")


def test_an_alert_event_body_names_the_condition(db):
    from portal.registration import outbox, webhooks
    from portal.wechat.authorizers import Vault

    webhooks.create_endpoint(db, Vault(), "https://ops.example.com/hook", ["platform.alert"])
    snapshot = {"condition": "held", "detail": "1 个申请暂停", "raised_at": 100.0}
    event_id = outbox.enqueue(db, "platform.alert", "alert:held", snapshot, now=100.0)
    event = db["webhook_events"].get(event_id)
    body = webhooks.payload(event, None, personal=False, base_url="https://portal.example.com")
    assert body["type"] == "platform.alert"
    assert body["data"] == {"alert": snapshot}
