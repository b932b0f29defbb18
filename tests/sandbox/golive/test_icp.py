"""ICP filing state (SETUP §11): get_icp_entrance_info and the page's filing control."""

from tests.sandbox.golive.helpers import add_category, elapse, set_basics

PATH = "/wxa/icp/get_icp_entrance_info"


def control(http, appid: str, **form: str):
    return http.post(f"/sandbox/miniprograms/{appid}/icp", data=form)


def test_a_new_mini_program_is_not_filed_and_says_what_is_missing(mp, sandbox_db):
    assert mp.get(PATH)["info"]["status"] == 1027  # no basic information, no category
    set_basics(mp)
    assert mp.get(PATH)["info"]["status"] == 1026  # no approved category yet
    assert add_category(mp)["errcode"] == 0
    elapse(sandbox_db)
    answer = mp.get(PATH)
    assert answer["errcode"] == 0
    assert answer["info"] == {"status": 1024, "is_canceling": False, "available": 1}


def test_the_control_moves_the_filing_through_review_rejection_and_filed(mp, sandbox_http):
    assert control(sandbox_http, mp.appid, status="2").status_code == 302
    assert mp.get(PATH)["info"]["status"] == 2
    control(sandbox_http, mp.appid, status="3", reason="负责人证件照片模糊")
    info = mp.get(PATH)["info"]
    assert info["status"] == 3
    assert info["audit_data"][0]["error"] == "负责人证件照片模糊"
    assert info["audit_data"][0]["key_name"] and info["audit_data"][0]["suggest"]
    control(sandbox_http, mp.appid, status="4")
    info = mp.get(PATH)["info"]
    assert (info["status"], info["sms_verify_status"]) == (4, 1) and "audit_data" not in info
    control(sandbox_http, mp.appid, status="5")  # no reason typed: a default one
    assert mp.get(PATH)["info"]["audit_data"][0]["error"]
    control(sandbox_http, mp.appid, status="6")
    assert mp.get(PATH)["info"]["status"] == 6
    state = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}/state").json()["icp"]
    assert (state["status"], state["label"]) == (6, "已备案")
    control(sandbox_http, mp.appid, status="none")
    assert mp.get(PATH)["info"]["status"] == 1027
    page = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}").text
    assert "ICP 备案" in page and "status 1027" in page


def test_the_control_refuses_what_it_does_not_model(mp, sandbox_http):
    assert control(sandbox_http, mp.appid, status="1024").status_code == 400  # derived
    assert control(sandbox_http, mp.appid, status="7").status_code == 400
    assert control(sandbox_http, "wx0000000000000000", status="6").status_code == 404


def test_without_permission_sets_18_and_156_wechat_answers_61007(mp, sandbox_http):
    control(sandbox_http, mp.appid, status="6")
    control(sandbox_http, mp.appid, revoked="1")
    assert mp.get(PATH)["errcode"] == 61007
    control(sandbox_http, mp.appid, revoked="0")
    assert mp.get(PATH)["info"]["status"] == 6  # the status was kept


def test_tokens_and_verb_are_checked_as_wechat_does(mp, other):
    assert mp.post(PATH)["errcode"] == 43001  # GET only
    assert mp.get(PATH, access_token="nope")["errcode"] == 40001
    assert mp.get(PATH, access_token=mp.ctoken)["errcode"] == 48001  # a component token
    other_answer = other.get(PATH)
    assert other_answer["errcode"] == 0 and other_answer["info"]["status"] == 1027
