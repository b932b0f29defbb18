"""Domains, the platform's and the mini program's (SETUP §4)."""

import pytest

from tests.sandbox.golive.helpers import audited, ready

SERVER = "/cgi-bin/component/modify_wxa_server_domain"
JUMP = "/cgi-bin/component/modify_wxa_jump_domain"


def register(mp, domains="api.sandbox-shop.cn", together=True):
    body = {"action": "add", "wxa_server_domain": domains}
    return mp.component(SERVER, {**body, "is_modify_published_together": together})


def add(mp, path="/wxa/modify_domain", **lists):
    return mp.post(path, {"action": "add", **lists})


def test_the_platforms_list_takes_bare_hosts(mp):
    answer = register(mp, "api.sandbox-shop.cn;https://x.cn;1.2.3.4;api.weixin.qq.com;a.cn/p")
    assert answer["errcode"] == 0
    assert answer["published_wxa_server_domain"] == "api.sandbox-shop.cn"
    assert answer["testing_wxa_server_domain"] == "api.sandbox-shop.cn"
    assert answer["invalid_wxa_server_domain"].split(";") == [
        "https://x.cn",
        "1.2.3.4",
        "api.weixin.qq.com",
        "a.cn/p",
    ]
    assert mp.component(SERVER, {"action": "rename"})["errcode"] == 40097


def test_a_domain_must_be_registered_first(mp):
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 85017
    register(mp)
    answer = add(mp, requestdomain=["https://api.sandbox-shop.cn", "https://other.cn"])
    assert answer["errcode"] == 0
    assert answer["requestdomain"] == ["https://api.sandbox-shop.cn"]
    assert answer["invalid_requestdomain"] == ["https://other.cn"]
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 85017  # already set
    got = mp.post("/wxa/modify_domain", {"action": "get"})
    assert got["requestdomain"] == ["https://api.sandbox-shop.cn"]


def test_the_test_copy_is_not_enough_until_published(mp, sandbox_http):
    register(mp, together=False)
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 85017
    sandbox_http.post("/sandbox/miniprograms/publish")
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 0


@pytest.mark.parametrize(
    "lists",
    [
        {"requestdomain": ["http://api.sandbox-shop.cn"]},  # not https
        {"wsrequestdomain": ["https://api.sandbox-shop.cn"]},  # socket needs wss
        {"requestdomain": ["https://1.2.3.4"]},
        {"requestdomain": ["https://api.sandbox-shop.cn/path"]},
    ],
)
def test_domains_need_their_protocol_and_a_host(mp, lists):
    register(mp)
    assert add(mp, **lists)["errcode"] == 85017


def test_the_two_ways_are_never_mixed(mp, other):
    register(mp)
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 0
    direct = add(mp, "/wxa/modify_domain_directly", requestdomain=["https://api.own-shop.cn"])
    assert direct["errcode"] == 85017
    assert (
        add(other, "/wxa/modify_domain_directly", requestdomain=["https://api.own-shop.cn"])[
            "errcode"
        ]
        == 0
    )
    assert add(other, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 85017
    web = {"action": "add", "webviewdomain": ["https://h5.sandbox-shop.cn"]}
    assert other.post("/wxa/setwebviewdomain", web)["errcode"] == 85017


def test_direct_domains_take_effect_with_the_next_commit(other, sandbox_db):
    assert (
        add(other, "/wxa/modify_domain_directly", requestdomain=["https://api.own-shop.cn"])[
            "errcode"
        ]
        == 0
    )
    effective = other.post("/wxa/get_effective_domain", {})
    assert effective["direct_domain"]["requestdomain"] == ["https://api.own-shop.cn"]
    assert effective["effective_domain"]["requestdomain"] == []
    ready(other, sandbox_db)
    effective = other.post("/wxa/get_effective_domain", {})
    assert effective["effective_domain"]["requestdomain"] == ["https://api.own-shop.cn"]


def test_webview_domains_need_the_platforms_jump_domains(mp):
    web = {"action": "add", "webviewdomain": ["https://h5.sandbox-shop.cn"]}
    assert mp.post("/wxa/setwebviewdomain", web)["errcode"] == 89020
    jump = {"action": "add", "wxa_jump_h5_domain": "m.sandbox-shop.cn"}
    assert mp.component(JUMP, {**jump, "is_modify_published_together": True})["errcode"] == 0
    assert mp.post("/wxa/setwebviewdomain", web)["errcode"] == 89021
    web["webviewdomain"] = ["https://shop.m.sandbox-shop.cn"]
    assert mp.post("/wxa/setwebviewdomain", web)["errcode"] == 0
    many = {
        "action": "set",
        "webviewdomain": [f"https://d{n}.m.sandbox-shop.cn" for n in range(101)],
    }
    assert mp.post("/wxa/setwebviewdomain", many)["errcode"] == 89029
    assert mp.post("/wxa/get_webviewdomain_confirmfile", {})["file_name"].endswith(".txt")


def test_limits(mp, sandbox_db):
    register(mp, ";".join(f"d{n}.sandbox-shop.cn" for n in range(201)))
    many = [f"https://d{n}.sandbox-shop.cn" for n in range(201)]
    assert add(mp, requestdomain=many)["errcode"] == 85016
    for n in range(50):
        assert add(mp, requestdomain=[many[n]])["errcode"] == 0
    assert add(mp, requestdomain=[many[50]])["errcode"] == 45104  # 50 changes this month


def test_the_platforms_monthly_changes(mp, sandbox_db):
    for n in range(50):
        assert register(mp, f"d{n}.sandbox-shop.cn")["errcode"] == 0
    assert register(mp, "d50.sandbox-shop.cn")["errcode"] == 45104
    assert mp.component(SERVER, {"action": "get"})["errcode"] == 0
    assert mp.component("/cgi-bin/component/get_domain_confirmfile", {})["file_content"]


def test_release_drops_what_the_platform_no_longer_lists(mp, sandbox_db):
    register(mp, "api.sandbox-shop.cn;img.sandbox-shop.cn")
    lists = {"requestdomain": ["https://api.sandbox-shop.cn"]}
    assert add(mp, **lists, downloaddomain=["https://img.sandbox-shop.cn"])["errcode"] == 0
    body = {"action": "delete", "wxa_server_domain": "img.sandbox-shop.cn"}
    mp.component(SERVER, {**body, "is_modify_published_together": True})
    ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    assert mp.post("/wxa/release", {})["errcode"] == 0
    got = mp.post("/wxa/modify_domain", {"action": "get"})
    assert got["requestdomain"] == ["https://api.sandbox-shop.cn"] and got["downloaddomain"] == []


def test_an_unknown_action_or_a_non_list_is_invalid(mp):
    register(mp)
    assert mp.post("/wxa/modify_domain", {"action": "replace"})["errcode"] == 40097
    assert add(mp, requestdomain="https://api.sandbox-shop.cn")["errcode"] == 40097


def test_deleting_a_domain_not_held_changes_nothing(mp):
    register(mp)
    body = {"action": "delete", "requestdomain": ["https://api.sandbox-shop.cn"]}
    assert mp.post("/wxa/modify_domain", body)["errcode"] == 85017
    assert add(mp, requestdomain=["https://api.sandbox-shop.cn"])["errcode"] == 0
    assert mp.post("/wxa/modify_domain", body)["errcode"] == 0


def test_the_platform_holds_200_jump_domains(mp):
    many = ";".join(f"m{n}.sandbox-shop.cn" for n in range(201))
    answer = mp.component(JUMP, {"action": "set", "wxa_jump_h5_domain": many})
    assert answer["errcode"] == 85016  # the stricter of 200 and 300 (§10)
