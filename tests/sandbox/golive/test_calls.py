"""Every go-live call checks its verb, its token and its body as WeChat does, and the
sandbox's faults apply to each of them (SETUP §0, §9)."""

import time

import pytest

from tests.sandbox.golive.helpers import image, template_id

A_CALLS = [
    ("POST", "/cgi-bin/account/getaccountbasicinfo"),
    ("POST", "/cgi-bin/wxverify/checkwxverifynickname"),
    ("POST", "/wxa/setnickname"),
    ("POST", "/wxa/api_wxa_querynickname"),
    ("POST", "/cgi-bin/media/upload"),
    ("POST", "/wxa/uploadmedia"),
    ("POST", "/cgi-bin/account/modifyheadimage"),
    ("POST", "/cgi-bin/account/modifysignature"),
    ("GET", "/cgi-bin/wxopen/getallcategories"),
    ("POST", "/cgi-bin/wxopen/getcategoriesbytype"),
    ("POST", "/cgi-bin/wxopen/addcategory"),
    ("GET", "/cgi-bin/wxopen/getcategory"),
    ("POST", "/cgi-bin/wxopen/deletecategory"),
    ("POST", "/cgi-bin/wxopen/modifycategory"),
    ("GET", "/wxa/get_category"),
    ("POST", "/cgi-bin/component/setprivacysetting"),
    ("POST", "/cgi-bin/component/getprivacysetting"),
    ("GET", "/wxa/security/get_code_privacy_info"),
    ("POST", "/wxa/commit"),
    ("GET", "/wxa/get_page"),
    ("GET", "/wxa/get_qrcode"),
    ("POST", "/wxa/submit_audit"),
    ("POST", "/wxa/get_auditstatus"),
    ("GET", "/wxa/get_latest_auditstatus"),
    ("GET", "/wxa/undocodeaudit"),
    ("POST", "/wxa/speedupaudit"),
    ("POST", "/wxa/release"),
    ("GET", "/wxa/revertcoderelease"),
    ("POST", "/wxa/getversioninfo"),
    ("GET", "/wxa/queryquota"),
    ("POST", "/wxa/getwxacodeunlimit"),
    ("POST", "/wxa/modify_domain"),
    ("POST", "/wxa/modify_domain_directly"),
    ("POST", "/wxa/setwebviewdomain"),
    ("POST", "/wxa/setwebviewdomain_directly"),
    ("POST", "/wxa/get_webviewdomain_confirmfile"),
    ("POST", "/wxa/get_effective_domain"),
    ("POST", "/wxa/get_effective_webviewdomain"),
    ("POST", "/wxa/bind_tester"),
    ("POST", "/wxa/unbind_tester"),
    ("POST", "/wxa/memberauth"),
]
C_CALLS = [
    ("GET", "/wxa/gettemplatedraftlist"),
    ("POST", "/wxa/addtotemplate"),
    ("GET", "/wxa/gettemplatelist"),
    ("POST", "/wxa/deletetemplate"),
    ("POST", "/cgi-bin/component/modify_wxa_server_domain"),
    ("POST", "/cgi-bin/component/modify_wxa_jump_domain"),
    ("POST", "/cgi-bin/component/get_domain_confirmfile"),
]


def send(http, verb, path, params, body=b"{}"):
    if verb == "GET":
        return http.get(path, params=params).json()
    return http.post(path, params=params, content=body).json()


@pytest.mark.parametrize("verb, path", A_CALLS)
def test_an_a_token_call_refuses_unknown_expired_and_component_tokens(sandbox_http, mp, verb, path):
    assert send(sandbox_http, verb, path, {})["errcode"] == 40001
    assert send(sandbox_http, verb, path, {"access_token": "made-up"})["errcode"] == 40001
    # A component token where WeChat wants the authorizer's gives 48001 (§9).
    assert send(sandbox_http, verb, path, {"access_token": mp.ctoken})["errcode"] == 48001
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    assert send(sandbox_http, verb, path, {"access_token": mp.token})["errcode"] == 42001


@pytest.mark.parametrize("verb, path", C_CALLS)
@pytest.mark.parametrize("param", ["access_token", "component_access_token"])
def test_a_c_token_call_takes_either_spelling_and_refuses_the_a_token(
    sandbox_http, mp, verb, path, param
):
    assert send(sandbox_http, verb, path, {param: mp.token})["errcode"] == 40001
    assert send(sandbox_http, verb, path, {param: mp.ctoken})["errcode"] != 40001
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    assert send(sandbox_http, verb, path, {param: mp.ctoken})["errcode"] == 42001


@pytest.mark.parametrize("verb, path", [c for c in A_CALLS if "getaccountbasicinfo" not in c[1]])
def test_the_wrong_verb_gets_43001_or_43002(sandbox_http, mp, verb, path):
    wrong = "POST" if verb == "GET" else "GET"
    expected = 43001 if verb == "GET" else 43002
    assert send(sandbox_http, wrong, path, {"access_token": mp.token})["errcode"] == expected


def test_gettemplatelist_must_be_get(mp):
    assert mp.component("/wxa/gettemplatelist", {})["errcode"] == 43001
    assert mp.component("/wxa/addtotemplate", verb="GET")["errcode"] == 43002


@pytest.mark.parametrize("verb", ["GET", "POST"])
def test_getaccountbasicinfo_answers_both_verbs(mp, verb):
    """POST in the new doc, GET in WxJava and SKIT; both work (§1.1, §10)."""
    answer = (
        mp.get("/cgi-bin/account/getaccountbasicinfo")
        if verb == "GET"
        else mp.post("/cgi-bin/account/getaccountbasicinfo", raw=b"")
    )
    assert answer["errcode"] == 0 and answer["appid"] == mp.appid


@pytest.mark.parametrize(
    "path", ["/wxa/release", "/wxa/getversioninfo", "/wxa/get_webviewdomain_confirmfile"]
)
def test_an_empty_body_gets_44002_where_wechat_needs_braces(mp, path):
    assert mp.post(path, raw=b"")["errcode"] == 44002
    assert mp.post(path, raw=b"[1]")["errcode"] == 47001
    assert mp.post(path, raw=b"{not json")["errcode"] == 47001


def test_a_token_only_works_on_its_own_mini_program(mp, other):
    assert (
        mp.post("/wxa/setnickname", {"nick_name": "沙箱甲店", "license": mp.media()})["errcode"]
        == 0
    )
    mine = mp.post("/cgi-bin/account/getaccountbasicinfo", raw=b"")
    theirs = other.post("/cgi-bin/account/getaccountbasicinfo", raw=b"")
    assert (mine["appid"], mine["nickname"]) == (mp.appid, "沙箱甲店")
    assert (theirs["appid"], theirs["nickname"]) == (other.appid, "")
    # Another mini program's media is no media of this one (40007).
    body = {"head_img_media_id": mp.media(), "x1": 0, "y1": 0, "x2": 1, "y2": 1}
    assert other.post("/cgi-bin/account/modifyheadimage", body)["errcode"] == 40007


def test_escaped_characters_are_refused_but_uploads_are_bytes(mp):
    escaped = b'{"nick_name": "\\u6c99\\u7bb1\\u4e91\\u5e97"}'
    assert mp.post("/wxa/setnickname", raw=escaped)["errcode"] == 40033
    assert mp.upload(b"\xff\xd8\xff" + b"\\u1234" * 10)["errcode"] == 0


@pytest.mark.parametrize("fault", ["http_500", "errcode"])
def test_faults_apply_to_the_new_calls(sandbox_http, mp, fault):
    spec = {"count": 1, "match": "/wxa/get_category"}
    if fault == "errcode":
        spec["errcode"] = -1
    sandbox_http.post("/sandbox/faults", json={fault: spec})
    response = sandbox_http.get("/wxa/get_category", params={"access_token": mp.token})
    if fault == "http_500":
        assert response.status_code == 503
    else:
        assert response.json()["errcode"] == -1
    assert mp.get("/wxa/get_category")["errcode"] == 0  # consumed once


def test_a_timeout_still_acts(sandbox_http, mp):
    """The timeout fault holds the answer back, then the call takes effect anyway."""
    spec = {"count": 1, "seconds": 0.2, "match": "/wxa/addtotemplate"}
    sandbox_http.post("/sandbox/faults", json={"timeout": spec, "latency": {"count": 1, "ms": 50}})
    started = time.monotonic()
    template_id(mp)
    assert time.monotonic() - started >= 0.2


def test_a_c_token_upload_is_refused(sandbox_http, mp):
    files = {"media": ("a.jpg", image(), "image/jpeg")}
    params = {"access_token": mp.ctoken, "type": "image"}
    assert (
        sandbox_http.post("/cgi-bin/media/upload", params=params, files=files).json()["errcode"]
        == 48001
    )
