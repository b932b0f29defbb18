"""The deploy recovers, in-process against the sandbox: a retried domains phase never
resends a part already set (85017 otherwise), an operator's ext_json fix released by
staff is committed anew, and no refusal leaves the deploy with the merchant unless one
of the merchant's steps can fix it (85077 reopens the category; 85094 and 86069 are
held for staff)."""

from portal.golive import outcomes, platform
from portal.golive import steps as st
from portal.tasks import golive_deploy, golive_deploy_domains
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import give_all, run_until

setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox
DIRECT, WEBVIEW = "wxa.modify_domain_directly", "wxa.setwebviewdomain_directly"
SERVER = {"requestdomain": ("https://api.shop.example.com",)}


def deploy(db, setup_id) -> dict:
    return st.step(db, setup_id, st.DEPLOY)


def fault(sandbox_http, errcode: int, match: str) -> None:
    body = {"errcode": {"count": 1, "errcode": errcode, "match": match}}
    assert sandbox_http.post("/sandbox/faults", json=body).status_code == 200


def domain_changes(sandbox_db, appid) -> int:
    sandbox_db.conn.commit()
    sql = "SELECT count(*) FROM changes WHERE appid = ? AND what = 'domain'"
    return sandbox_db.execute(sql, [appid]).fetchone()[0]


def until(jobs, wechat_side, db, setup_id, predicate) -> None:
    run_until(jobs, wechat_side, db, setup_id, predicate)


def submitted(db, setup_id) -> bool:
    return deploy(db, setup_id)["state"] == st.DONE


def held(db, setup_id) -> bool:
    return deploy(db, setup_id)["state"] == st.HELD


def test_a_retry_after_the_web_view_domains_failed_does_not_resend_the_server_domains(
    db, jobs, wechat_side, setup, sandbox_http, sandbox_db
):
    platform.save(db, webview_domains=("https://h5.shop.example.com",))
    fault(sandbox_http, 89029, "setwebviewdomain")  # the web-view part fails (held)
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    row = deploy(db, setup["id"])
    assert (row["phase"], row["errcode"]) == ("domains", 89029)
    assert set(row["result"][golive_deploy_domains.DONE_KEY]) == {"server"}
    direct_calls = calls(db, DIRECT)  # one get, one set

    assert outcomes.release_held(db, setup["id"], st.DEPLOY)  # staff's 重试
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))
    assert calls(db, DIRECT) == direct_calls  # the finished part was never sent again
    assert domain_changes(sandbox_db, setup["appid"]) == 2  # server once, web-view once
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert "服务器域名已设置" in lines and "业务域名已设置" in lines


def test_a_set_whose_answer_was_lost_is_found_by_get_and_not_sent_again(
    db, jobs, wechat_side, setup, sandbox_http, sandbox_db
):
    fault(sandbox_http, 85014, "commit")  # held just after the domains were set
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    assert deploy(db, setup["id"])["phase"] == "commit"
    assert domain_changes(sandbox_db, setup["appid"]) == 1
    # as if the set's answer had been lost: WeChat holds the lists, the step has no record
    db.execute(
        "UPDATE setup_steps SET phase = 'domains', result = json_remove(result, '$.domains_set') "
        "WHERE setup_id = ? AND step = 'deploy'",
        [setup["id"]],
    )
    db.conn.commit()
    assert outcomes.release_held(db, setup["id"], st.DEPLOY)
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))
    assert domain_changes(sandbox_db, setup["appid"]) == 1  # read with get, never set twice
    assert deploy(db, setup["id"])["result"][golive_deploy_domains.DONE_KEY]["server"]


def test_lists_wechat_already_holds_are_recorded_without_a_set(
    db, jobs, wechat_side, setup, sandbox_db
):
    # set before (the other way, or in WeChat's console): a set would answer 85017
    domains = '{"requestdomain": ["https://api.shop.example.com"]}'
    sql = "UPDATE miniprograms SET domain_mode = 'platform', domains = ?"
    sandbox_db.execute(sql, [domains])
    sandbox_db.conn.commit()
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))
    assert domain_changes(sandbox_db, setup["appid"]) == 0


def test_85017_is_done_only_when_get_shows_the_lists(db, jobs, wechat_side, setup, sandbox_db):
    # the mini program already used the other way: WeChat answers 85017 and holds nothing
    sandbox_db.execute("UPDATE miniprograms SET domain_mode = 'platform'")
    sandbox_db.conn.commit()
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    row = deploy(db, setup["id"])
    assert (row["phase"], row["errcode"]) == ("domains", 85017)
    assert not row["result"].get(golive_deploy_domains.DONE_KEY)


def test_an_ext_json_fix_released_by_staff_is_committed_as_a_new_version(
    db, jobs, wechat_side, setup, sandbox_db
):
    # the demo template calls getLocation: without requiredPrivateInfos, 61040 at submit
    platform.save(db, ext_json_template='{"extAppid": "{appid}", "ext": {"c": "{company}"}}')
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    row = deploy(db, setup["id"])
    assert (row["phase"], row["errcode"]) == ("submit", 61040)
    assert not row["result"].get("submit_started")  # WeChat answered: nothing to resolve

    platform.save(
        db,
        ext_json_template='{"extAppid": "{appid}", "ext": {"c": "{company}"}, '
        '"requiredPrivateInfos": ["getLocation"]}',
    )  # the operator's fix
    assert outcomes.release_held(db, setup["id"], st.DEPLOY)  # staff's 重试
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))
    sandbox_db.conn.commit()
    versions = sandbox_db.execute(
        "SELECT id, declared_apis FROM versions WHERE appid = ? ORDER BY id", [setup["appid"]]
    ).fetchall()
    assert len(versions) == 2 and "getLocation" in versions[1][1]
    audited = sandbox_db.execute("SELECT version_id FROM audits WHERE appid = ?", [setup["appid"]])
    assert [r[0] for r in audited.fetchall()] == [versions[1][0]]  # the new version's audit
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert golive_deploy.RECOMMIT in lines


def test_a_retired_category_goes_back_to_the_merchant_and_the_deploy_waits(
    db, jobs, wechat_side, setup, sandbox_http
):
    fault(sandbox_http, 85077, "submit_audit")
    give_all(db, setup["id"])
    category = lambda: st.step(db, setup["id"], st.CATEGORY)  # noqa: E731
    until(jobs, wechat_side, db, setup["id"], lambda: category()["state"] == st.NEEDS_MERCHANT)
    retired = category()["input"]
    row = deploy(db, setup["id"])
    assert (row["state"], row["phase"]) == (st.TODO, "submit")
    assert not row["result"].get("submit_started")
    reason = category()["reason"]
    assert retired["second_name"] in reason and "下架" in reason and "重新选择" in reason
    assert category()["errcode"] == 85077
    choices = category()["result"]["choices"]
    assert choices and all(c["second"] != retired["second"] for c in choices)
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert "等商户修改类目并设置好后，继续提交审核" in lines

    other = next(c for c in choices if not c["sensitive"])
    values = {k: other[k] for k in ("first", "second", "first_name", "second_name")}
    st.give(db, setup["id"], st.CATEGORY, values)  # the merchant's new pick
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))
    assert deploy(db, setup["id"])["result"]["submit_category"]["second"] == other["second"]
    assert st.step(db, setup["id"], st.AUDIT)["state"] != st.TODO  # the audit was submitted


def test_a_ugc_declaration_is_held_for_staff_not_left_with_the_merchant(
    db, jobs, wechat_side, setup, sandbox_http
):
    fault(sandbox_http, 85094, "submit_audit")
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    row = deploy(db, setup["id"])
    assert row["errcode"] == 85094 and "用户发布的内容" in row["reason"]
    assert st.step(db, setup["id"], st.CATEGORY)["state"] == st.DONE
    assert outcomes.release_held(db, setup["id"], st.DEPLOY)  # declared in WeChat's console
    until(jobs, wechat_side, db, setup["id"], lambda: submitted(db, setup["id"]))


def test_a_fixable_code_no_merchant_step_fixes_is_held(db, jobs, wechat_side, setup, sandbox_http):
    fault(sandbox_http, 86069, "setprivacysetting")  # the operator's privacy contact
    give_all(db, setup["id"])
    until(jobs, wechat_side, db, setup["id"], lambda: held(db, setup["id"]))
    row = deploy(db, setup["id"])
    assert (row["phase"], row["errcode"]) == ("privacy", 86069)
    assert all(st.step(db, setup["id"], n)["state"] == st.DONE for n in st.MERCHANT_STEPS)
