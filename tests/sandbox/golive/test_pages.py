"""The sandbox's pages for the mini programs, and their buttons."""

from tests.sandbox.golive.helpers import add_category, ready, submit


def test_the_list_and_the_mini_programs_page(mp, sandbox_http, sandbox_db):
    ready(mp, sandbox_db)
    page = sandbox_http.get("/sandbox/miniprograms/").text
    assert mp.appid in page and "沙箱云店" in page and "代码模板库" in page
    page = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}").text
    assert "上线准备" in page and "家政服务" in page and "1.0.0" in page
    assert sandbox_http.get("/sandbox/miniprograms/wx0000000000000000").status_code == 404


def test_the_buttons_decide_an_audit(mp, sandbox_http, sandbox_db):
    ready(mp, sandbox_db)
    auditid = submit(mp)["auditid"]
    page = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}").text
    assert "延后" in page and "不通过" in page
    url = f"/sandbox/miniprograms/{mp.appid}/decide"
    answer = sandbox_http.post(url, data={"kind": "code", "key": auditid, "choice": "fail"})
    assert answer.status_code == 302
    status = mp.post("/wxa/get_auditstatus", {"auditid": auditid})
    assert status["status"] == 1 and status["reason"]
    assert (
        sandbox_http.post(url, data={"kind": "code", "key": auditid, "choice": "nope"}).status_code
        == 400
    )


def test_the_buttons_delay_then_pass(mp, sandbox_http, sandbox_db):
    ready(mp, sandbox_db)
    auditid = submit(mp)["auditid"]
    url = f"/sandbox/miniprograms/{mp.appid}/decide"
    sandbox_http.post(url, data={"kind": "code", "key": auditid, "choice": "delay"})
    assert mp.post("/wxa/get_auditstatus", {"auditid": auditid})["status"] == 4
    sandbox_http.post(url, data={"kind": "code", "key": auditid, "choice": "pass"})
    assert mp.post("/wxa/get_auditstatus", {"auditid": auditid})["status"] == 0


def test_the_buttons_decide_name_and_category_audits(mp, other, sandbox_http):
    body = {"nick_name": "沙箱官方店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    audit_id = mp.post("/wxa/setnickname", body)["audit_id"]
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=certificates)["errcode"] == 0
    state = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}/state").json()
    category = state["categories"][0]["id"]
    url = f"/sandbox/miniprograms/{mp.appid}/decide"
    sandbox_http.post(url, data={"kind": "name", "key": audit_id, "choice": "fail"})
    sandbox_http.post(url, data={"kind": "category", "key": category, "choice": "pass"})
    query = mp.post("/wxa/api_wxa_querynickname", {"audit_id": audit_id})
    assert query["audit_stat"] == 2
    assert mp.get("/cgi-bin/wxopen/getcategory")["categories"][0]["audit_status"] == 3
    # Another mini program's page cannot decide this one's audits.
    foreign = f"/sandbox/miniprograms/{other.appid}/decide"
    assert (
        sandbox_http.post(
            foreign, data={"kind": "name", "key": audit_id, "choice": "pass"}
        ).status_code
        == 404
    )
