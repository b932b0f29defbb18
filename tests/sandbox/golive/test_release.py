"""Release, versions, revert and the live code image (SETUP §6)."""

import pytest

from tests.sandbox.golive.helpers import audited, commit, elapse, ready, submit

CODE = "/wxa/getwxacodeunlimit"


def test_release_needs_a_passed_audit(mp, sandbox_db):
    assert mp.post("/wxa/release", {})["errcode"] == 85019  # nothing audited
    ready(mp, sandbox_db)
    submit(mp)
    assert mp.post("/wxa/release", {})["errcode"] == 85019  # still under audit, none passed
    elapse(sandbox_db)
    assert mp.post("/wxa/release", {})["errcode"] == 0
    assert mp.post("/wxa/release", {})["errcode"] == 85052  # already live


def test_a_failed_latest_audit_does_not_allow_release(mp, sandbox_db):
    template = ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    assert mp.post("/wxa/release", {})["errcode"] == 0
    assert commit(mp, template, user_desc="第二版")["errcode"] == 0
    elapse(sandbox_db)
    audited(mp, sandbox_db, "A1")
    assert mp.post("/wxa/release", {})["errcode"] == 85020
    submit(mp)
    assert mp.post("/wxa/release", {})["errcode"] == 85020  # pending


def test_getversioninfo(mp, sandbox_db):
    assert "exp_info" not in mp.post("/wxa/getversioninfo", {})
    ready(mp, sandbox_db)
    info = mp.post("/wxa/getversioninfo", {})
    assert info["exp_info"]["exp_version"] == "1.0.0" and "release_info" not in info
    audited(mp, sandbox_db)
    mp.post("/wxa/release", {})
    info = mp.post("/wxa/getversioninfo", {})
    assert info["release_info"]["release_version"] == "1.0.0"
    assert info["release_info"]["release_desc"] == "首个版本"
    assert info["release_info"]["release_time"] > 0


def release(mp, db, template, desc):
    assert commit(mp, template, user_desc=desc)["errcode"] == 0
    elapse(db)
    audited(mp, db)
    assert mp.post("/wxa/release", {})["errcode"] == 0


def test_revert_goes_back_once(mp, sandbox_db):
    template = ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    assert mp.post("/wxa/release", {})["errcode"] == 0
    assert mp.get("/wxa/revertcoderelease")["errcode"] == 87012  # nothing earlier
    release(mp, sandbox_db, template, "第二版")
    history = mp.get("/wxa/revertcoderelease", action="get_history_version")["version_list"]
    assert [v["user_desc"] for v in history] == ["首个版本"]
    assert mp.get("/wxa/revertcoderelease")["errcode"] == 0
    assert mp.post("/wxa/getversioninfo", {})["release_info"]["release_desc"] == "首个版本"
    assert mp.get("/wxa/revertcoderelease")["errcode"] == 87012  # not twice
    assert mp.get("/wxa/revertcoderelease", action="other")["errcode"] == 40097


def test_revert_to_a_chosen_version(mp, sandbox_db):
    template = ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    mp.post("/wxa/release", {})
    release(mp, sandbox_db, template, "第二版")
    release(mp, sandbox_db, template, "第三版")
    history = mp.get("/wxa/revertcoderelease", action="get_history_version")["version_list"]
    first = history[-1]["app_version"]
    assert mp.get("/wxa/revertcoderelease", app_version=424242)["errcode"] == 87012
    assert mp.get("/wxa/revertcoderelease", app_version=first)["errcode"] == 0
    assert mp.post("/wxa/getversioninfo", {})["release_info"]["release_desc"] == "首个版本"


def test_the_live_code_image_needs_a_release(mp, sandbox_db, sandbox_http):
    body = {"scene": "shop=1", "page": "pages/shop/shop"}
    ready(mp, sandbox_db)
    assert mp.post(CODE, body)["errcode"] == 41030
    audited(mp, sandbox_db)
    assert mp.post(CODE, body)["errcode"] == 41030  # approved is not live
    mp.post("/wxa/release", {})
    response = sandbox_http.post(CODE, params={"access_token": mp.token}, json=body)
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "body, errcode",
    [
        ({"scene": "a=1", "page": "pages/nowhere/nowhere"}, 41030),
        ({"scene": "a=1", "page": "/pages/shop/shop"}, 41030),
        ({"scene": "x" * 33}, 40097),
        ({"page": "pages/shop/shop"}, 40097),
        ({"scene": "a=1", "env_version": "beta"}, 40097),
        ({"scene": "a=1", "page": "pages/nowhere/nowhere", "check_path": False}, 0),
    ],
)
def test_the_code_images_rules(mp, sandbox_db, body, errcode):
    ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    mp.post("/wxa/release", {})
    response = mp.http.post(CODE, params={"access_token": mp.token}, json=body)
    if errcode:
        assert response.json()["errcode"] == errcode
    else:
        assert response.headers["content-type"] == "image/png"


def test_release_takes_the_audited_privacy_setting_live(mp, sandbox_db):
    ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    assert mp.post("/cgi-bin/component/getprivacysetting", {"privacy_ver": 1})["errcode"] == 86074
    mp.post("/wxa/release", {})
    live = mp.post("/cgi-bin/component/getprivacysetting", {"privacy_ver": 1})
    assert live["errcode"] == 0 and len(live["setting_list"]) == 3
    owner = {"contact_email": "shop@example.com", "notice_method": "弹窗"}
    assert (
        mp.post("/cgi-bin/component/setprivacysetting", {"privacy_ver": 1, "owner_setting": owner})[
            "errcode"
        ]
        == 0
    )
