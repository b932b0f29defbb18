"""Issue item 11: a call log that cannot be written never loses WeChat's answer.

The client reports each call to ``on_call`` after WeChat answered; if that write fails
(the database locked, the disk full), the answer is still returned and an error answer
still raises ``WeChatError``, as it would with a working log.
"""

import logging
import sqlite3

import httpx
import pytest

from portal.db import connect
from portal.wechat.calllog import CallLog
from portal.wechat.client import WeChatClient, WeChatError, WeChatUnavailable
from portal.wechat.shapes import CallRecord, ClassicApplication, EnterpriseApplication

TOKEN = "SECRET-COMPONENT-TOKEN"
CLASSIC = ClassicApplication(
    "广州市示例科技有限公司", "91440101MA59VWXY1B", 1, "zhangsan_88", "张三"
)
V2 = EnterpriseApplication("广州市示例科技有限公司", "91440101MA59VWXY1B", "020-12345678")


def wechat(answer: dict | Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(200, json=answer)

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://wechat")


def broken_log(error: Exception):
    def on_call(record):
        raise error

    return on_call


def client(answer, on_call) -> WeChatClient:
    return WeChatClient(
        wechat(answer), component_appid="wx0123456789abcdef", component_appsecret="s",
        on_call=on_call,
    )  # fmt: skip


ERRORS = [sqlite3.OperationalError("database is locked"), OSError(28, "No space left on device")]


@pytest.mark.parametrize("error", ERRORS, ids=["locked", "disk"])
def test_a_v2_create_keeps_its_taskid_and_link(error, caplog):
    answer = {"errcode": 0, "errmsg": "ok", "taskid": "t-1", "authorize_url": "https://w/v"}
    task = client(answer, broken_log(error)).enterprise_create(TOKEN, V2)
    assert (task.taskid, task.authorize_url, task.status) == ("t-1", "https://w/v", None)
    assert "fastregisterenterpriseweapp.create" in caplog.text
    assert TOKEN not in caplog.text
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


@pytest.mark.parametrize("errcode", [0, 89251, 89252])
def test_a_classic_create_keeps_its_errcode(errcode, caplog):
    failing = broken_log(sqlite3.OperationalError("database is locked"))
    assert client({"errcode": errcode}, failing).fastregister_create(TOKEN, CLASSIC) == errcode
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.fastregister_create(TOKEN, CLASSIC),
        lambda c: c.enterprise_create(TOKEN, V2),
        lambda c: c.authorizer_info(TOKEN, "wx00000000000000aa"),
    ],
    ids=["classic", "v2", "authorizer_info"],
)
def test_an_error_answer_still_raises_wechat_error(call):
    failing = broken_log(sqlite3.OperationalError("database is locked"))
    with pytest.raises(WeChatError) as raised:
        call(client({"errcode": 89249, "errmsg": "task running"}, failing))
    assert raised.value.errcode == 89249 and not isinstance(raised.value, WeChatUnavailable)


def test_no_answer_still_raises_wechat_unavailable(caplog):
    failing = broken_log(sqlite3.OperationalError("database is locked"))
    with pytest.raises(WeChatUnavailable):
        client(httpx.ReadTimeout("timed out"), failing).enterprise_create(TOKEN, V2)
    assert TOKEN not in caplog.text


def test_a_locked_call_log_database_loses_no_answer(app, db, caplog):
    """The real CallLog, its database held by another writer: the create still answers."""
    db.conn.execute("PRAGMA busy_timeout = 0")
    other = connect(app.config["DATABASE"])
    other.conn.execute("BEGIN IMMEDIATE")
    try:
        answer = {"errcode": 0, "taskid": "t-2", "authorize_url": "https://w/v2"}
        task = client(answer, CallLog(db)).enterprise_create(TOKEN, V2)
    finally:
        other.conn.rollback()
        other.conn.close()
    assert task.taskid == "t-2"
    assert "database is locked" in caplog.text and TOKEN not in caplog.text
    assert not db.conn.in_transaction  # the failed write left nothing open
    CallLog(db)(CallRecord("x", 200, 0, "", 1.0))  # and the next write works
    assert db.execute("SELECT count(*) FROM api_calls").fetchone()[0] == 1


def test_a_working_log_still_records_every_call():
    records = []
    c = client({"errcode": 0, "taskid": "t", "authorize_url": "https://w"}, records.append)
    c.enterprise_create(TOKEN, V2)
    assert [r.endpoint for r in records] == ["fastregisterenterpriseweapp.create"]
