"""The event URL: accepted pushes are recorded once; refused ones change nothing."""

import time

import pytest

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.conftest import CREDENTIALS
from tests.wechat.independent import push_request

APPID = CREDENTIALS["WECHAT_COMPONENT_APPID"]
TOKEN = CREDENTIALS["WECHAT_TOKEN"]
KEY = CREDENTIALS["WECHAT_ENCODING_AES_KEY"]
TICKET_XML = (
    f"<xml><AppId><![CDATA[{APPID}]]></AppId><CreateTime>1700000000</CreateTime>"
    "<InfoType><![CDATA[component_verify_ticket]]></InfoType>"
    "<ComponentVerifyTicket><![CDATA[ticket@@@abc]]></ComponentVerifyTicket></xml>"
)


def result_xml(status=0, name="广州市示例科技有限公司", created=None):
    created = int(time.time()) + 1 if created is None else created
    return (
        f"<xml><AppId><![CDATA[{APPID}]]></AppId><CreateTime>{created}</CreateTime>"
        "<InfoType><![CDATA[notify_third_fasteregister]]></InfoType>"
        f"<appid><![CDATA[wxaaaabbbbccccdddd]]></appid><status>{status}</status>"
        "<auth_code><![CDATA[authcode123]]></auth_code><msg><![CDATA[OK]]></msg>"
        f"<info><name><![CDATA[{name}]]></name><code><![CDATA[91440101MA59VWXY1B]]></code>"
        "<code_type>1</code_type><legal_persona_wechat><![CDATA[zhangsan_88]]></legal_persona_wechat>"
        "<legal_persona_name><![CDATA[张三]]></legal_persona_name>"
        "<component_phone><![CDATA[020-12345678]]></component_phone></info></xml>"
    )


def post(client, xml, **kwargs):
    params, body = push_request(TOKEN, KEY, kwargs.pop("appid", APPID), xml, **kwargs)
    return client.post("/wechat/events", query_string=params, data=body)


def snapshot(db):
    return {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("pushes", "credentials", "submissions", "submission_events")
    }


def test_ticket_push_from_an_independent_implementation_is_stored(client, db):
    response = post(client, TICKET_XML)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "success"
    row = db.execute("SELECT value FROM credentials WHERE name = 'component_verify_ticket'")
    assert row.fetchone()[0] == "ticket@@@abc"


def test_the_same_push_delivered_twice_is_recorded_once(client, db):
    assert post(client, TICKET_XML).status_code == 200
    assert post(client, TICKET_XML, nonce="999").status_code == 200
    assert db.execute("SELECT count(*) FROM pushes").fetchone()[0] == 1


def test_unknown_info_type_is_recorded_and_acknowledged(client, db):
    xml = (
        f"<xml><AppId>{APPID}</AppId><CreateTime>1</CreateTime><InfoType>brand_new</InfoType></xml>"
    )
    assert post(client, xml).get_data(as_text=True) == "success"
    assert db.execute("SELECT outcome FROM pushes").fetchone()[0].startswith("recorded unknown")


@pytest.mark.parametrize("info_type", ["authorized", "unauthorized", "updateauthorized"])
def test_authorization_events_are_accepted(client, db, info_type):
    xml = (
        f"<xml><AppId>{APPID}</AppId><CreateTime>1</CreateTime><InfoType>{info_type}</InfoType>"
        "<AuthorizerAppid>wx1111222233334444</AuthorizerAppid></xml>"
    )
    assert post(client, xml).get_data(as_text=True) == "success"
    assert db.execute("SELECT info_type FROM pushes").fetchone()[0] == info_type


def test_result_push_moves_the_matching_submission_once(app, client, db):
    facts = {
        "name": "广州市示例科技有限公司", "code": "91440101MA59VWXY1B", "code_type": 1,
        "legal_persona_wechat": "zhangsan_88", "legal_persona_name": "张三",
    }  # fmt: skip
    sub, _ = subs.submit(db, FLAVORS["classic"], facts)
    subs.transition(
        db, sub["id"], subs.CHECKING, "", expect=[subs.QUEUED], first_sent_at=time.time() - 60
    )
    assert post(client, result_xml(103)).status_code == 200
    assert post(client, result_xml(103), nonce="7").status_code == 200
    after = subs.get(db, sub["id"])
    assert (after["state"], after["push_status"]) == (subs.FAILED, 103)
    states = [e["to_state"] for e in subs.timeline(db, sub["id"])]
    assert states.count(subs.FAILED) == 1


def test_result_push_matches_despite_half_width_parentheses_and_spaces(client, db):
    facts = {
        "name": "广州市示例（天河）科技有限公司", "code": "91440101MA59VWXY1B", "code_type": 1,
        "legal_persona_wechat": "zhangsan_88", "legal_persona_name": "张三",
    }  # fmt: skip
    sub, _ = subs.submit(db, FLAVORS["classic"], facts)
    subs.transition(
        db, sub["id"], subs.AWAITING, "", expect=[subs.QUEUED], first_sent_at=time.time() - 60
    )
    post(client, result_xml(0, name="广州市示例 (天河) 科技有限公司"))
    assert subs.get(db, sub["id"])["state"] == subs.SUCCEEDED


def test_latest_in_flight_submission_wins(client, db):
    facts = {
        "name": "广州市示例科技有限公司", "code": "91440101MA59VWXY1B", "code_type": 1,
        "legal_persona_wechat": "zhangsan_88", "legal_persona_name": "张三",
    }  # fmt: skip
    old, _ = subs.submit(db, FLAVORS["classic"], facts)
    subs.transition(
        db, old["id"], subs.EXPIRED, "", expect=[subs.QUEUED], first_sent_at=time.time() - 60
    )
    new, created = subs.submit(db, FLAVORS["classic"], facts, previous_id=old["id"])
    assert created
    subs.transition(
        db, new["id"], subs.CHECKING, "", expect=[subs.QUEUED], first_sent_at=time.time() - 60
    )
    post(client, result_xml(0))
    assert subs.get(db, old["id"])["state"] == subs.EXPIRED
    assert subs.get(db, new["id"])["state"] == subs.SUCCEEDED


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<xml><AppId>&lol3;</AppId><Encrypt>x</Encrypt></xml>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><AppId>&xxe;</AppId><Encrypt>x</Encrypt></xml>"
)


@pytest.mark.parametrize(
    "make, status",
    [
        (lambda: push_request("wrong-token", KEY, APPID, TICKET_XML), 403),
        (lambda: push_request(TOKEN, KEY, "wx9999999999999999", TICKET_XML), 403),
        (
            lambda: push_request(
                TOKEN, KEY, APPID, TICKET_XML, envelope_appid="wx9999999999999999"
            ),
            403,
        ),
        (lambda: ({}, BOMB.encode()), 400),
        (lambda: ({}, EXTERNAL.encode()), 400),
        (lambda: ({}, b"garbage \x00\xff not xml"), 400),
        (lambda: ({}, b""), 400),
        (lambda: ({}, b"<xml><AppId>x</AppId></xml>"), 400),
        (lambda: ({"msg_signature": "abc"}, b"<xml><Encrypt>!!!</Encrypt></xml>"), 403),
        (lambda: ({}, b"<xml><Encrypt>" + b"A" * 70000 + b"</Encrypt></xml>"), 413),
    ],
    ids=[
        "wrong-signature",
        "wrong-appid-inside",
        "wrong-appid-envelope",
        "entity-bomb",
        "external-entity",
        "garbage",
        "empty",
        "no-encrypt",
        "bad-base64",
        "too-large",
    ],
)
def test_refused_pushes_get_a_4xx_and_change_nothing(client, db, caplog, make, status):
    before = snapshot(db)
    params, body = make()
    response = client.post("/wechat/events", query_string=params, data=body)
    assert response.status_code == status
    assert snapshot(db) == before
    assert any("push refused" in r.getMessage() for r in caplog.records)


def test_a_valid_signature_over_an_inner_entity_bomb_is_refused(client, db):
    before = snapshot(db)
    response = post(client, BOMB.replace("<Encrypt>x</Encrypt>", ""))
    assert response.status_code == 400
    assert snapshot(db) == before


def test_an_envelope_with_tousername_and_wrapped_base64_is_accepted(client, db):
    import base64 as b64

    from tests.wechat.independent import wechat_encrypt, wechat_signature

    encrypt = wechat_encrypt(KEY, APPID, TICKET_XML)
    wrapped = b64.encodebytes(b64.b64decode(encrypt)).decode()  # 76-character lines
    signature = wechat_signature(TOKEN, "1", "2", wrapped.strip())
    body = f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{wrapped.strip()}]]></Encrypt></xml>"
    params = {"timestamp": "1", "nonce": "2", "msg_signature": signature, "encrypt_type": "aes"}
    response = client.post("/wechat/events", query_string=params, data=body.encode())
    assert response.get_data(as_text=True) == "success"
