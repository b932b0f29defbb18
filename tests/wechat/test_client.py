"""The WeChat client's wire format: what leaves the portal, byte for byte."""

import json

import httpx

from portal.wechat.client import WeChatClient
from portal.wechat.shapes import ClassicApplication, EnterpriseApplication

NAME = "广州市沙箱餐饮管理有限公司"


def capturing_client(answer: dict) -> tuple[WeChatClient, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://wechat")
    return WeChatClient(http, component_appid="wx0123456789abcdef", component_appsecret="s"), sent


def test_a_classic_create_body_holds_the_company_name_as_raw_utf8():
    client, sent = capturing_client({"errcode": 0, "errmsg": "ok"})
    client.fastregister_create(
        "T", ClassicApplication(NAME, "91440101MA5CWT8Q1H", 1, "wx_legal1", "王小明", "020-1")
    )
    body = sent[0].content
    assert NAME.encode("utf-8") in body and "王小明".encode() in body
    assert b"\\u" not in body
    assert sent[0].headers["content-type"].startswith("application/json")
    assert json.loads(body)["name"] == NAME


def test_a_v2_create_body_holds_the_company_name_as_raw_utf8():
    client, sent = capturing_client({"errcode": 0, "taskid": "t", "authorize_url": "https://x"})
    client.enterprise_create("T", EnterpriseApplication(NAME, "91440101MA5CWT8Q1H", "020-1"))
    assert NAME.encode("utf-8") in sent[0].content and b"\\u" not in sent[0].content
    assert json.loads(sent[0].content)["new_version"] is True
