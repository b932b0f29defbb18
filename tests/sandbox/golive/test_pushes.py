"""The audits' pushes go to the message URL, encrypted and signed like WeChat's, in
WeChat's XML (SETUP §1.4, §2, §6.1), and are re-sent until answered ``success``."""

import xml.etree.ElementTree as ET

import pytest

from portal.sandbox.state import original_id
from tests.conftest import CREDENTIALS
from tests.sandbox.golive.helpers import COMPONENT, add_category, decrypt, elapse, ready, submit


def fields(xml: str) -> dict:
    return {child.tag: child.text for child in ET.fromstring(xml)}


def opened(push) -> dict:
    url, params, body = push
    assert set(params) == {"timestamp", "nonce", "encrypt_type", "msg_signature"}
    assert params["encrypt_type"] == "aes"
    envelope = {child.tag for child in ET.fromstring(body)}
    assert envelope == {"ToUserName", "Encrypt"}
    return fields(decrypt(body))


def audit_push(mp, db, pushes, desc):
    ready(mp, db)
    assert submit(mp, version_desc=desc)["errcode"] == 0
    elapse(db)
    mp.get("/wxa/get_latest_auditstatus")  # any call ends what is due
    return [opened(p) for p in pushes()]


def test_the_success_push(mp, sandbox_db, pushes):
    [event] = audit_push(mp, sandbox_db, pushes, "")
    assert event["ToUserName"] == original_id(mp.appid)
    assert (event["MsgType"], event["Event"]) == ("event", "weapp_audit_success")
    assert int(event["SuccTime"]) >= int(event["CreateTime"]) - 1
    assert event["FromUserName"].startswith("o")


def test_the_fail_push_has_reason_and_screenshots(mp, sandbox_db, pushes):
    [event] = audit_push(mp, sandbox_db, pushes, "A1")
    assert event["Event"] == "weapp_audit_fail"
    assert event["Reason"] and len(event["ScreenShot"].split("|")) == 2 and event["FailTime"]
    latest = mp.get("/wxa/get_latest_auditstatus")
    assert latest["ScreenShot"] == event["ScreenShot"] and latest["reason"] == event["Reason"]


def test_the_delay_push_then_the_success(mp, sandbox_db, pushes):
    [delay] = audit_push(mp, sandbox_db, pushes, "A4")
    assert delay["Event"] == "weapp_audit_delay" and delay["Reason"] and delay["DelayTime"]
    elapse(sandbox_db)
    events = [opened(p)["Event"] for p in pushes()]
    assert events == ["weapp_audit_delay", "weapp_audit_success"]


def test_the_name_audit_push(mp, sandbox_db, pushes):
    body = {"nick_name": "沙箱N2云店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    assert mp.post("/wxa/setnickname", body)["audit_id"]
    elapse(sandbox_db)
    [push] = pushes()
    event = opened(push)
    assert event["Event"] == "wxa_nickname_audit"
    assert (event["ret"], event["nickname"]) == ("2", "沙箱N2云店") and event["reason"]


def test_the_category_audit_push(mp, sandbox_db, pushes):
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=certificates)["errcode"] == 0
    elapse(sandbox_db)
    [push] = pushes()
    event = opened(push)
    assert event["Event"] == "wxa_category_audit"
    assert (event["first"], event["second"], event["ret"]) == ("6", "601", "3")


def test_the_message_url_gets_the_appid(mp, sandbox_db, sandbox_app, pushes):
    sandbox_app.config["SANDBOX_MESSAGE_URL"] = "https://platform.example/msg/$APPID$/in"
    [_] = audit_push(mp, sandbox_db, pushes, "")
    [(url, _params, _body)] = pushes()
    assert url == f"https://platform.example/msg/{mp.appid}/in"


def test_message_pushes_are_resent_until_answered_success(mp, sandbox_db, pushes):
    body = {"nick_name": "沙箱官方店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    mp.post("/wxa/setnickname", body)
    elapse(sandbox_db)
    mp.get("/wxa/get_page")  # the name audit ends
    for _ in range(6):
        delivered = pushes("fail")
    assert len(delivered) == 4  # the first delivery and three re-sends, then abandoned
    assert len({params["msg_signature"] for _url, params, _body in delivered}) == 4
    row = sandbox_db.execute(
        "SELECT attempts, state FROM outbox WHERE kind LIKE 'wxa_nickname_audit%'"
    ).fetchone()
    assert tuple(row) == (4, "abandoned")


def test_the_default_message_url(sandbox_app):
    import portal.sandbox

    assert portal.sandbox.DEFAULTS["SANDBOX_MESSAGE_URL"] == (
        "http://127.0.0.1:8000/wechat/messages/$APPID$"
    )


def test_wechatpy_opens_the_message_pushes(mp, sandbox_db, pushes):
    crypto = pytest.importorskip("wechatpy.crypto")
    [_] = audit_push(mp, sandbox_db, pushes, "A1")
    [(_url, params, body)] = pushes()
    opener = crypto.WeChatCrypto(
        CREDENTIALS["WECHAT_TOKEN"], CREDENTIALS["WECHAT_ENCODING_AES_KEY"], COMPONENT
    )
    xml = opener.decrypt_message(
        body.decode(), params["msg_signature"], params["timestamp"], params["nonce"]
    )
    event = fields(xml)
    assert event["Event"] == "weapp_audit_fail" and event["ToUserName"] == original_id(mp.appid)


def test_a_message_push_answered_success_is_not_sent_again(mp, sandbox_db, pushes):
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    add_category(mp, 6, 601, certicates=certificates)
    elapse(sandbox_db)
    mp.get("/wxa/get_page")
    assert len(pushes("HTTP 500")) == 1
    assert len(pushes("success")) == 2
    assert len(pushes("success")) == 2  # delivered: never again
    row = sandbox_db.execute("SELECT attempts, state FROM outbox WHERE channel = 'message'")
    assert tuple(row.fetchone()) == (2, "delivered")
