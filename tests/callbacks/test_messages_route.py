"""The message and event URL: genuine pushes recorded once; refused ones write nothing."""

import json
import time

import httpx
import pytest

from tests.conftest import CREDENTIALS
from tests.wechat.independent import wechat_encrypt, wechat_signature

COMPONENT = CREDENTIALS["WECHAT_COMPONENT_APPID"]
TOKEN = CREDENTIALS["WECHAT_TOKEN"]
KEY = CREDENTIALS["WECHAT_ENCODING_AES_KEY"]
MP = "wxaaaabbbbccccdddd"
GH = "gh_0123456789ab"


def message_xml(event="weapp_audit_success", rest="<SuccTime>1700000100</SuccTime>", to=GH):
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>"
        "<FromUserName><![CDATA[o_system_sender]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event>{rest}</xml>"
    )


def message_request(
    xml, token=TOKEN, appid=COMPONENT, timestamp="1700000000", nonce="42", envelope_to=GH
):
    """(query parameters, body) as WeChat sends a message push: <ToUserName> + <Encrypt>."""
    encrypt = wechat_encrypt(KEY, appid, xml)
    params = {
        "timestamp": timestamp,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": wechat_signature(token, timestamp, nonce, encrypt),
    }
    to = "" if envelope_to is None else f"<ToUserName><![CDATA[{envelope_to}]]></ToUserName>"
    return params, f"<xml>{to}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()


def post(client, xml, mp=MP, **kwargs):
    params, body = message_request(xml, **kwargs)
    return client.post(f"/wechat/messages/{mp}", query_string=params, data=body)


def rows(db):
    return [
        dict(zip([c[0] for c in cursor.description], row, strict=True))
        for cursor in [db.execute("SELECT * FROM message_pushes ORDER BY id")]
        for row in cursor.fetchall()
    ]


def snapshot(db):
    return {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("message_pushes", "pushes", "credentials", "submissions", "authorizers")
    }


EVENTS = [
    ("weapp_audit_success", "<SuccTime>1700000100</SuccTime>", {"SuccTime": "1700000100"}),
    (
        "weapp_audit_fail",
        "<Reason><![CDATA[功能页面与类目不符<br>]]></Reason><FailTime>1700000200</FailTime>"
        "<ScreenShot><![CDATA[mediaA|mediaB]]></ScreenShot>",
        {
            "Reason": "功能页面与类目不符<br>",
            "FailTime": "1700000200",
            "ScreenShot": "mediaA|mediaB",
        },
    ),
    (
        "weapp_audit_delay",
        "<Reason><![CDATA[审核延后]]></Reason><DelayTime>1700000300</DelayTime>",
        {"Reason": "审核延后", "DelayTime": "1700000300"},
    ),
    (
        "wxa_nickname_audit",
        "<ret>3</ret><nickname><![CDATA[沙箱餐饮]]></nickname><reason></reason>",
        {"ret": "3", "nickname": "沙箱餐饮", "reason": ""},
    ),
    (
        "wxa_category_audit",
        "<first>304</first><second>321</second><ret>2</ret><reason><![CDATA[资质不清晰]]></reason>",
        {"first": "304", "second": "321", "ret": "2", "reason": "资质不清晰"},
    ),
]


@pytest.mark.parametrize("event, rest, fields", EVENTS, ids=[e[0] for e in EVENTS])
def test_each_event_is_recorded_with_its_fields(client, db, event, rest, fields):
    xml = message_xml(event, rest)
    response = post(client, xml)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "success"
    assert response.mimetype == "text/plain"
    [row] = rows(db)
    assert (row["appid"], row["to_user"], row["event"], row["msg_type"]) == (MP, GH, event, "event")
    assert row["xml"] == xml
    stored = json.loads(row["fields"])
    assert {k: stored[k] for k in fields} == fields
    assert row["outcome"].startswith(f"recorded {event} for unknown mini program")
    assert row["applied_at"] is None  # the go-live steps (next issue) act on it


def test_the_same_push_delivered_again_is_recorded_once(client, db):
    xml = message_xml()
    assert post(client, xml).get_data(as_text=True) == "success"
    again = post(client, xml, timestamp=str(int(time.time())), nonce="7")  # WeChat's re-send
    assert again.get_data(as_text=True) == "success"
    assert len(rows(db)) == 1


def test_a_replayed_request_is_answered_and_changes_nothing(client, db):
    params, body = message_request(message_xml())
    for _ in range(3):
        response = client.post(f"/wechat/messages/{MP}", query_string=params, data=body)
        assert response.get_data(as_text=True) == "success"
    assert len(rows(db)) == 1


def test_unknown_events_and_user_messages_are_recorded_and_answered(client, db):
    assert post(client, message_xml("user_enter_tempsession", "")).status_code == 200
    text = message_xml().replace("<MsgType><![CDATA[event]]></MsgType>", "<MsgType>text</MsgType>")
    text = text.replace("<Event><![CDATA[weapp_audit_success]]></Event>", "<Content>hi</Content>")
    assert post(client, text).get_data(as_text=True) == "success"
    first, second = rows(db)
    assert first["outcome"].startswith("recorded unknown event 'user_enter_tempsession'")
    assert (second["event"], second["msg_type"]) == ("(none)", "text")


def test_a_known_mini_program_is_named_in_the_outcome(client, db):
    db.execute(
        "INSERT INTO authorizers (appid, state, updated_at) VALUES (?, 'authorized', 0)", [MP]
    )
    db.conn.commit()
    post(client, message_xml())
    assert rows(db)[0]["outcome"] == f"recorded weapp_audit_success for known mini program {MP}"


def test_an_envelope_without_tousername_or_with_our_appid_is_accepted(client, db):
    assert post(client, message_xml(), envelope_to=None).get_data(as_text=True) == "success"
    params, body = message_request(message_xml("weapp_audit_delay", ""), envelope_to=None)
    body = body.replace(b"<xml>", f"<xml><AppId>{COMPONENT}</AppId>".encode())
    response = client.post(f"/wechat/messages/{MP}", query_string=params, data=body)
    assert response.get_data(as_text=True) == "success"
    assert len(rows(db)) == 2


def test_the_route_calls_nobody(client, db, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the message URL must not call out")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    monkeypatch.setattr(httpx.AsyncClient, "send", no_network)
    assert post(client, message_xml()).get_data(as_text=True) == "success"


def test_a_message_push_sent_to_the_authorization_event_url_is_no_message(client, db):
    # What a wrongly configured 消息与事件接收URL looks like: WeChat's audit results end
    # up as pushes without an InfoType, never as the mini program's messages.
    params, body = message_request(message_xml())
    assert client.post("/wechat/events", query_string=params, data=body).status_code == 200
    assert rows(db) == []
    info_type = db.execute("SELECT info_type FROM pushes").fetchone()[0]
    assert info_type == "(none)"


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
OUTER_BOMB = BOMB + "<xml><ToUserName>&lol3;</ToUserName><Encrypt>x</Encrypt></xml>"
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>&xxe;</ToUserName><Encrypt>x</Encrypt></xml>"
)
REFUSED = {
    "wrong-signature": (lambda: message_request(message_xml(), token="forged"), MP, 403),
    "signature-of-other-params": (
        lambda: ({**message_request(message_xml())[0], "nonce": "43"}, message_request(message_xml())[1]),
        MP,
        403,
    ),
    "no-signature": (lambda: ({}, message_request(message_xml())[1]), MP, 403),
    "wrong-appid-inside": (
        lambda: message_request(message_xml(), appid="wx9999999999999999"),
        MP,
        403,
    ),
    "wrong-appid-envelope": (
        lambda: (
            message_request(message_xml())[0],
            message_request(message_xml())[1].replace(b"<xml>", b"<xml><AppId>wx9999999999999999</AppId>"),
        ),
        MP,
        403,
    ),
    "entity-bomb": (lambda: ({}, OUTER_BOMB.encode()), MP, 400),
    "external-entity": (lambda: ({}, EXTERNAL.encode()), MP, 400),
    "inner-entity-bomb": (
        lambda: message_request(BOMB + "<xml><ToUserName>&lol3;</ToUserName></xml>"),
        MP,
        400,
    ),
    "inner-malformed": (lambda: message_request("<xml><first>304</nickname></xml>"), MP, 400),
    "inner-not-xml": (lambda: message_request("hello"), MP, 400),
    "garbage": (lambda: ({}, b"garbage \x00\xff not xml"), MP, 400),
    "empty": (lambda: ({}, b""), MP, 400),
    "no-encrypt": (lambda: ({}, b"<xml><ToUserName>gh_1</ToUserName></xml>"), MP, 400),
    "bad-base64": (lambda: ({"msg_signature": "abc"}, b"<xml><Encrypt>!!!</Encrypt></xml>"), MP, 403),
    "too-large": (lambda: ({}, b"<xml><Encrypt>" + b"A" * 70000 + b"</Encrypt></xml>"), MP, 413),
    "tousername-not-original-id": (
        lambda: message_request(message_xml(to="wxaaaabbbbccccdddd"), envelope_to=None),
        MP,
        400,
    ),
    "no-tousername": (
        lambda: message_request(message_xml().replace(f"<ToUserName><![CDATA[{GH}]]></ToUserName>", ""), envelope_to=None),
        MP,
        400,
    ),
    "envelope-tousername-differs": (
        lambda: message_request(message_xml(), envelope_to="gh_ffffffffffff"),
        MP,
        400,
    ),
    "path-appid-short": (lambda: message_request(message_xml()), "wx123", 400),
    "path-appid-uppercase": (lambda: message_request(message_xml()), "wxAAAABBBBCCCCDDDD", 400),
    "path-appid-not-hex": (lambda: message_request(message_xml()), "wxzzzzbbbbccccdddd", 400),
    "path-appid-too-long": (lambda: message_request(message_xml()), MP + "0", 400),
    "path-appid-placeholder": (lambda: message_request(message_xml()), "$APPID$", 400),
    "path-appid-missing": (lambda: message_request(message_xml()), "", 404),
}  # fmt: skip


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_pushes_get_a_4xx_and_write_nothing(client, db, caplog, name):
    make, mp, status = REFUSED[name]
    before = snapshot(db)
    params, body = make()
    response = client.post(f"/wechat/messages/{mp}", query_string=params, data=body)
    assert response.status_code == status
    assert snapshot(db) == before
    if status != 404:  # no route at all: Flask's own 404
        assert any("message push refused" in r.getMessage() for r in caplog.records)


def test_a_push_whose_url_contradicts_earlier_ones_is_refused(client, db, caplog):
    assert post(client, message_xml()).status_code == 200
    before = snapshot(db)
    # The signature does not cover the URL: a genuine push re-sent to another appid's URL.
    other_mp = post(client, message_xml("weapp_audit_delay", ""), mp="wx1111222233334444")
    assert other_mp.status_code == 403
    other_gh = message_xml("weapp_audit_delay", "", to="gh_ffffffffffff")
    assert post(client, other_gh, envelope_to="gh_ffffffffffff").status_code == 403
    assert snapshot(db) == before
    assert any("was recorded" in r.getMessage() for r in caplog.records)


def test_a_limit_below_the_body_is_enforced(app, client, db):
    app.config["PUSH_MAX_BYTES"] = 200
    assert post(client, message_xml()).status_code == 413
    assert snapshot(db)["message_pushes"] == 0
