"""Testers (SETUP §7)."""

import pytest


@pytest.mark.parametrize(
    "wechatid, errcode",
    [
        ("13800138000", 85001),  # a phone number, not a WeChat ID
        ("ab", 85001),
        ("nosuch_user", 85001),  # magic: not searchable
        ("busy_tester", 85003),  # magic: tester of too many mini programs
        (None, 85001),
    ],
)
def test_bind_tester_refusals(mp, wechatid, errcode):
    assert mp.post("/wxa/bind_tester", {"wechatid": wechatid})["errcode"] == errcode


def test_bind_list_and_unbind(mp):
    answer = mp.post("/wxa/bind_tester", {"wechatid": "zhangsan_88"})
    assert answer["errcode"] == 0 and answer["userstr"]
    assert mp.post("/wxa/bind_tester", {"wechatid": "zhangsan_88"})["errcode"] == 85004
    members = mp.post("/wxa/memberauth", {"action": "get_experiencer"})["members"]
    assert members == [{"userstr": answer["userstr"]}]
    assert mp.post("/wxa/memberauth", {"action": "other"})["errcode"] == 40097
    assert mp.post("/wxa/unbind_tester", {"userstr": answer["userstr"]})["errcode"] == 0
    assert mp.post("/wxa/unbind_tester", {"wechatid": "zhangsan_88"})["errcode"] == 85001
    assert mp.post("/wxa/unbind_tester", {})["errcode"] == 40097


def test_the_tester_limit(mp, sandbox_app):
    sandbox_app.config["SANDBOX_TESTER_LIMIT"] = 2
    for wechatid in ("tester_one", "tester_two"):
        assert mp.post("/wxa/bind_tester", {"wechatid": wechatid})["errcode"] == 0
    assert mp.post("/wxa/bind_tester", {"wechatid": "tester_three"})["errcode"] == 85002
