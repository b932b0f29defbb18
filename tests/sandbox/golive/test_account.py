"""api_get_authorizer_info follows the go-live state: name, head image, introduction,
approved categories and domains."""

from tests.sandbox.golive.helpers import COMPONENT, add_category, set_basics


def info(mp):
    body = {"component_appid": COMPONENT, "authorizer_appid": mp.appid}
    answer = mp.http.post(
        "/cgi-bin/component/api_get_authorizer_info",
        params={"component_access_token": mp.ctoken},
        json=body,
    ).json()
    return answer["authorizer_info"]


def test_the_authorizer_info_shows_what_was_set(mp):
    fresh = info(mp)
    assert (fresh["nick_name"], fresh["head_img"], fresh["signature"]) == ("", "", "")
    assert fresh["MiniProgramInfo"]["categories"] == []
    set_basics(mp)
    add_category(mp)
    register = {"action": "add", "wxa_server_domain": "api.sandbox-shop.cn"}
    mp.component(
        "/cgi-bin/component/modify_wxa_server_domain",
        {**register, "is_modify_published_together": True},
    )
    mp.post(
        "/wxa/modify_domain", {"action": "add", "requestdomain": ["https://api.sandbox-shop.cn"]}
    )
    shown = info(mp)
    assert shown["nick_name"] == "沙箱云店" and shown["head_img"] and shown["signature"]
    assert shown["MiniProgramInfo"]["categories"] == [{"first": "生活服务", "second": "家政服务"}]
    network = shown["MiniProgramInfo"]["network"]
    assert network["RequestDomain"] == ["https://api.sandbox-shop.cn"]
    assert network["BizDomain"] == [] and set(network) >= {"UDPDomain", "TCPDomain"}
