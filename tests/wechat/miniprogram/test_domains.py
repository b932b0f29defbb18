"""Domains: the platform's lists (C-token) and the mini program's (A-token), read back."""

from __future__ import annotations

from portal.wechat.miniprogram.domains import (
    ConfirmFile,
    DomainAnswer,
    EffectiveWebviewDomains,
    PlatformDomains,
    ServerDomains,
)
from tests.wechat.miniprogram.fake import A_TOKEN, C_TOKEN, Fake

API = "https://api.shop.example.cn"


def test_modify_domain_reads_the_lists_set_and_those_refused():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "requestdomain": [API],
        "wsrequestdomain": ["wss://ws.shop.example.cn"],
        "uploaddomain": [API],
        "downloaddomain": [API],
        "udpdomain": [],
        "tcpdomain": [],
        "invalid_requestdomain": ["https://not-on-the-platform.example.cn"],
    }
    read = Fake(answer).mp.domains.modify_domain(A_TOKEN, "get")
    assert read == DomainAnswer(
        domains=ServerDomains(
            requestdomain=(API,),
            wsrequestdomain=("wss://ws.shop.example.cn",),
            uploaddomain=(API,),
            downloaddomain=(API,),
        ),
        invalid=ServerDomains(requestdomain=("https://not-on-the-platform.example.cn",)),
    )


def test_set_sends_every_list_so_an_empty_one_is_cleared():
    fake = Fake()
    fake.mp.domains.modify_domain_directly(
        A_TOKEN, "set", ServerDomains(requestdomain=(API,), downloaddomain=(API,))
    )
    assert fake.body() == {
        "action": "set",
        "requestdomain": [API],
        "wsrequestdomain": [],
        "uploaddomain": [],
        "downloaddomain": [API],
        "udpdomain": [],
        "tcpdomain": [],
    }


def test_the_platform_lists_are_read_from_their_semicolon_strings():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "published_wxa_server_domain": "api.shop.example.cn;img.shop.example.cn",
        "testing_wxa_server_domain": "api.shop.example.cn;img.shop.example.cn;new.example.cn",
        "invalid_wxa_server_domain": "",
    }
    read = Fake(answer).mp.domains.modify_wxa_server_domain(C_TOKEN, "get")
    assert read == PlatformDomains(
        published=("api.shop.example.cn", "img.shop.example.cn"),
        testing=("api.shop.example.cn", "img.shop.example.cn", "new.example.cn"),
        invalid=(),
    )


def test_the_platform_jump_domains_default_to_the_test_copy():
    answer = {"errcode": 0, "published_wxa_jump_h5_domain": "h5.shop.example.cn"}
    fake = Fake(answer)
    read = fake.mp.domains.modify_wxa_jump_domain(C_TOKEN, "add", ["h5.shop.example.cn"])
    assert fake.body() == {
        "action": "add",
        "wxa_jump_h5_domain": "h5.shop.example.cn",
        "is_modify_published_together": False,
    }
    assert read.published == ("h5.shop.example.cn",) and read.testing == ()


def test_the_confirm_files_are_read():
    answer = {"errcode": 0, "file_name": "Yk1ovlJvBX.txt", "file_content": "9d6a4f0c1b"}
    expected = ConfirmFile("Yk1ovlJvBX.txt", "9d6a4f0c1b")
    assert Fake(answer).mp.domains.get_domain_confirmfile(C_TOKEN) == expected
    assert Fake(answer).mp.domains.get_webviewdomain_confirmfile(A_TOKEN) == expected


def test_webview_domains_are_read_back():
    answer = {"errcode": 0, "errmsg": "ok", "webviewdomain": ["https://h5.shop.example.cn"]}
    found = Fake(answer).mp.domains.set_webview_domain(A_TOKEN, "get")
    assert found == ("https://h5.shop.example.cn",)


def test_the_effective_domains_say_what_each_way_set():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "mp_domain": {"requestdomain": []},
        "third_domain": {"requestdomain": [API], "uploaddomain": [API]},
        "direct_domain": {},
        "effective_domain": {"requestdomain": [API], "uploaddomain": [API]},
    }
    read = Fake(answer).mp.domains.get_effective_domain(A_TOKEN)
    assert read.mp_domain == ServerDomains() and read.direct_domain == ServerDomains()
    assert read.third_domain == ServerDomains(requestdomain=(API,), uploaddomain=(API,))
    assert read.effective_domain == read.third_domain


def test_the_effective_webview_domains_are_read():
    answer = {
        "errcode": 0,
        "mp_webviewdomain": [],
        "third_webviewdomain": ["https://h5.shop.example.cn"],
        "direct_webviewdomain": [],
        "effective_webviewdomain": ["https://h5.shop.example.cn"],
    }
    assert Fake(answer).mp.domains.get_effective_webviewdomain(A_TOKEN) == EffectiveWebviewDomains(
        (), ("https://h5.shop.example.cn",), (), ("https://h5.shop.example.cn",)
    )
