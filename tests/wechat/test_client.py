"""The WeChat client's wire format: what leaves the portal, byte for byte."""

import json

import httpx
import pytest

from portal.wechat.client import WeChatClient
from portal.wechat.shapes import AuthorizerInfo, ClassicApplication, EnterpriseApplication

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


GETAUTHORIZERINFO = {
    "authorizer_info": {
        "nick_name": "沙箱点餐",
        "head_img": "http://wx.qlogo.cn/x",
        "service_type_info": {"id": 0},
        "verify_type_info": {"id": 0},
        "user_name": "gh_eb5e3a772040",
        "principal_name": NAME,
        "signature": "",
        "MiniProgramInfo": {"network": {}, "categories": [], "visit_status": 0},
        "register_type": 6,
        "account_status": 1,
        "basic_config": {"is_phone_configured": False, "is_email_configured": False},
    },
    "authorization_info": {
        "authorizer_appid": "wxf8b4f85f3a794e77",
        "authorizer_refresh_token": "refresh@@@abc",
        "func_info": [{"funcscope_category": {"id": 17}}, {"funcscope_category": {"id": 18}}],
    },
}


def test_authorizer_info_asks_with_the_component_token_and_reads_the_answer():
    client, sent = capturing_client(GETAUTHORIZERINFO)
    info = client.authorizer_info("TOKEN", "wxf8b4f85f3a794e77")
    assert sent[0].url.path == "/cgi-bin/component/api_get_authorizer_info"
    assert sent[0].url.params["component_access_token"] == "TOKEN"
    assert json.loads(sent[0].content) == {
        "component_appid": "wx0123456789abcdef",
        "authorizer_appid": "wxf8b4f85f3a794e77",
    }
    assert info == AuthorizerInfo(
        appid="wxf8b4f85f3a794e77",
        principal_name=NAME,
        nick_name="沙箱点餐",
        user_name="gh_eb5e3a772040",
        account_status=1,
        is_mini_program=True,
        refresh_token="refresh@@@abc",
        func_info=[17, 18],
    )


@pytest.mark.parametrize("status, expected", [(14, 14), ("19", 19), (None, None), ("x", None)])
def test_authorizer_info_is_tolerant_of_what_wechat_leaves_out(status, expected):
    account = {k: v for k, v in GETAUTHORIZERINFO["authorizer_info"].items()
               if k != "MiniProgramInfo"}  # fmt: skip
    account["account_status"] = status
    answer = {"authorizer_info": account,
              "authorization_info": {"func_info": [{"funcscope_category": {}}, "x"]}}  # fmt: skip
    info = capturing_client(answer)[0].authorizer_info("T", "wxasked")
    assert info.account_status == expected
    assert info.is_mini_program is False  # an official account has no MiniProgramInfo
    assert (info.appid, info.refresh_token, info.func_info) == ("wxasked", "", [])


def test_a_v2_status_of_zero_is_read_as_zero():
    task = capturing_client({"errcode": 0, "taskid": "t", "status": 0})[0].enterprise_query(
        "T", "t"
    )
    assert task.status == 0
