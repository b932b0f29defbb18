"""Commit, pages, the trial QR code and the privacy scan (SETUP §3, §6)."""

import json

import pytest

from tests.sandbox.golive.helpers import PRIVACY, commit, elapse, ext_json, template_id

PAGES = ["pages/index/index", "pages/shop/shop", "pages/order/order", "pages/mine/mine"]


def body(mp, template, **changes):
    base = {"template_id": template, "ext_json": ext_json(mp), "user_version": "1.0.0"}
    return {**base, "user_desc": "首个版本", **changes}


def test_ext_json_must_be_a_json_string(mp):
    template = template_id(mp)
    as_object = body(mp, template, ext_json={"extAppid": mp.appid})
    assert mp.post("/wxa/commit", as_object)["errcode"] == 85013
    assert mp.post("/wxa/commit", body(mp, template, ext_json="{broken"))["errcode"] == 85013
    assert mp.post("/wxa/commit", body(mp, template, ext_json="[]"))["errcode"] == 85013
    other_appid = json.dumps({"extAppid": "wx0000000000000000"})
    assert mp.post("/wxa/commit", body(mp, template, ext_json=other_appid))["errcode"] == 85013
    assert mp.post("/wxa/commit", body(mp, template))["errcode"] == 0


def test_the_template_must_exist(mp):
    assert mp.post("/wxa/commit", body(mp, 424242))["errcode"] == 85014


@pytest.mark.parametrize(
    "ext, errcode",
    [
        ({"pages": []}, 85047),
        ({"pages": ["pages/index/index", "pages/nowhere/nowhere"]}, 85045),
        (
            {"pages": ["pages/index/index"], "tabBar": {"list": [{"pagePath": "pages/shop/shop"}]}},
            85046,
        ),
        ({"requiredPrivateInfos": ["getEverything"]}, 85310),
        ({"requiredPrivateInfos": ["getFuzzyLocation", "getLocation"]}, 85311),
        ({"pages": ["pages/shop/shop"]}, 0),
    ],
)
def test_ext_json_rules(mp, ext, errcode):
    assert commit(mp, template_id(mp), **ext)["errcode"] == errcode


@pytest.mark.parametrize("version", ["", "9" * 65, None])
def test_user_version_is_1_to_64_characters(mp, version):
    assert (
        mp.post("/wxa/commit", body(mp, template_id(mp), user_version=version))["errcode"] == 40097
    )


def test_magic_errcode_in_user_desc(mp):
    assert commit(mp, template_id(mp), user_desc="E85044 太大的包")["errcode"] == 85044


def test_pages_and_the_trial_qr_code_need_a_commit(mp, sandbox_http):
    assert mp.get("/wxa/get_page")["errcode"] == 86001
    assert mp.get("/wxa/get_qrcode")["errcode"] == 86001
    assert commit(mp, template_id(mp))["errcode"] == 0
    assert mp.get("/wxa/get_page") == {"errcode": 0, "errmsg": "ok", "page_list": PAGES}
    response = sandbox_http.get(
        "/wxa/get_qrcode", params={"access_token": mp.token, "path": "pages/shop/shop?from=qr"}
    )
    assert response.headers["content-type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff" and response.content[-2:] == b"\xff\xd9"


def test_the_privacy_scan_answers_61039_until_it_ends(mp, sandbox_db):
    assert mp.get("/wxa/security/get_code_privacy_info")["errcode"] == 86001
    assert commit(mp, template_id(mp), requiredPrivateInfos=[])["errcode"] == 0
    assert mp.get("/wxa/security/get_code_privacy_info")["errcode"] == 61039
    found = mp.post("/cgi-bin/component/getprivacysetting", {"privacy_ver": 2})
    assert (found["code_exist"], found["privacy_list"]) == (1, [])  # not scanned yet
    elapse(sandbox_db)
    info = mp.get("/wxa/security/get_code_privacy_info")
    assert info["errcode"] == 0
    assert info["without_conf_list"] == ["Location", "PhoneNumber", "Album"]
    assert info["without_auth_list"] == ["getLocation"]  # not in requiredPrivateInfos
    found = mp.post("/cgi-bin/component/getprivacysetting", {"privacy_ver": 2})
    assert found["privacy_list"] == ["Location", "PhoneNumber", "Album"]
    assert mp.post("/cgi-bin/component/setprivacysetting", PRIVACY)["errcode"] == 0
    assert mp.get("/wxa/security/get_code_privacy_info")["without_conf_list"] == []


def test_a_scan_runs_for_the_configured_seconds(mp, sandbox_app):
    sandbox_app.config["SANDBOX_PRIVACY_SCAN"] = 0
    assert commit(mp, template_id(mp))["errcode"] == 0
    assert mp.get("/wxa/security/get_code_privacy_info")["errcode"] == 0


def test_user_desc_must_be_text(mp):
    assert mp.post("/wxa/commit", body(mp, template_id(mp), user_desc=5))["errcode"] == 40097


def test_a_standard_templates_ext_json_holds_only_three_keys(mp):
    assert mp.component("/wxa/addtotemplate", {"draft_id": 1, "template_type": 1})["errcode"] == 0
    [standard] = mp.component("/wxa/gettemplatelist", verb="GET", template_type=1)["template_list"]
    assert {"category_list", "audit_scene", "audit_status", "reason"} <= set(standard)
    template = standard["template_id"]
    assert commit(mp, template, requiredPrivateInfos=[])["errcode"] == 9402203
    plain = {"template_id": template, "ext_json": ext_json(mp), "user_version": "1.0.0"}
    assert mp.post("/wxa/commit", plain)["errcode"] == 0
