"""Staff's actions on a waiting code audit, carried out once by the worker's
golive.actions kind against the in-process sandbox, and the quota it keeps fresh."""

import time

from portal.golive import actions, audits, outcomes, quota
from portal.golive import steps as st
from portal.wechat.miniprogram.quota import Quota
from tests.golive import audit_waiting as waiting
from tests.golive.audit_waiting import calls, to_audit

UNDO, SPEEDUP = "wxa.undocodeaudit", "wxa.speedupaudit"

# The fixtures of a submission taken to a waiting audit (tests/golive/audit_waiting.py).
audit_waiting = waiting.audit_waiting
fast_sandbox = waiting.fast_sandbox
setup = waiting.setup


def sandbox_audit(sandbox_db, appid):
    sandbox_db.conn.commit()
    return sandbox_db.execute(
        "SELECT status, speedup FROM audits WHERE appid = ? ORDER BY auditid DESC LIMIT 1", [appid]
    ).fetchone()


def action(db, setup_id):
    return actions.history(db, setup_id)[0]


def test_an_undo_is_stored_then_carried_out_once(db, jobs, audit_waiting, sandbox_db):
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    assert not actions.request(db, setup_id, actions.UNDO, "staff")  # one open at a time
    assert not actions.request(db, setup_id, actions.SPEEDUP, "staff")
    assert "还在处理中" in actions.why_not(db, setup_id, actions.SPEEDUP)
    assert calls(db, UNDO) == 0  # the request itself calls nothing
    jobs.run_once()
    jobs.run_once()
    assert calls(db, UNDO) == 1
    assert sandbox_audit(sandbox_db, audit_waiting["appid"])[0] == audits.WITHDRAWN
    audit = st.step(db, setup_id, st.AUDIT)
    assert audit["state"] == st.NEEDS_MERCHANT and audit["reason"] == actions.UNDONE_REASON
    done = action(db, setup_id)
    assert (done["outcome"], done["tries"]) == (actions.DONE, 1) and done["done_at"]
    lines = [e["detail"] for e in st.timeline(db, setup_id)]
    assert any("平台客服请求撤回审核" in line for line in lines)
    assert not any("staff" in line for line in lines)  # the merchant reads this timeline
    assert any(line.startswith("撤回审核已完成") for line in lines)
    # the merchant can resubmit, and the audit is with WeChat again
    assert audits.resubmit(db, setup_id, "已按客服意见修改")
    assert actions.why_not(db, setup_id, actions.UNDO)  # not waiting now


def test_a_second_undo_the_same_day_is_explained_from_the_catalogue(
    db, jobs, wechat_side, audit_waiting, sandbox_db
):
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    jobs.run_once()
    assert audits.resubmit(db, setup_id, "")
    to_audit(db, jobs, wechat_side, setup_id)
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    jobs.run_once()
    refused = action(db, setup_id)
    assert (refused["outcome"], refused["errcode"]) == (actions.FAILED, 87013)
    assert "撤回审核的次数已用完" in refused["detail"]
    assert st.step(db, setup_id, st.AUDIT)["state"] == st.WAITING  # nothing changed
    assert calls(db, UNDO) == 2
    assert any("撤回审核未成功" in e["detail"] for e in st.timeline(db, setup_id))


def test_an_unanswered_undo_is_looked_up_before_it_is_sent_again(
    db, jobs, audit_waiting, sandbox_db
):
    """The worker died after WeChat withdrew the audit: the next try asks, sends nothing."""
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    row = action(db, setup_id)
    actions.started(db, row["id"])
    jobs.ctx.call_authorizer(None, audit_waiting["appid"], jobs.ctx.mp.audit.undo_code_audit)
    jobs.run_once()
    assert calls(db, UNDO) == 1  # only the lost one: a second would have met 87013
    assert calls(db, "wxa.get_latest_auditstatus") >= 1
    assert action(db, setup_id)["outcome"] == actions.DONE
    assert st.step(db, setup_id, st.AUDIT)["state"] == st.NEEDS_MERCHANT


def test_a_failed_undo_answer_is_tried_again(db, jobs, audit_waiting, sandbox_http, sandbox_db):
    setup_id = audit_waiting["id"]
    fault = {"http_500": {"count": 1, "match": "undocodeaudit"}}
    assert sandbox_http.post("/sandbox/faults", json=fault).status_code == 200
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    jobs.run_once()
    waiting = action(db, setup_id)
    assert waiting["done_at"] is None and "稍后自动再试" in waiting["detail"]
    db.execute("UPDATE setup_actions SET due_at = 0 WHERE id = ?", [waiting["id"]])
    db.conn.commit()
    jobs.run_once()
    assert action(db, setup_id)["outcome"] == actions.DONE
    assert sandbox_audit(sandbox_db, audit_waiting["appid"])[0] == audits.WITHDRAWN


def test_a_speedup_asks_the_quota_then_speeds_up_once(db, jobs, audit_waiting, sandbox_db):
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.SPEEDUP, "staff")
    jobs.run_once()
    done = action(db, setup_id)
    assert done["outcome"] == actions.DONE and "加急" in done["detail"]
    assert sandbox_audit(sandbox_db, audit_waiting["appid"])[1] == 1
    assert calls(db, SPEEDUP) == 1
    kept = quota.last(db)
    assert kept["speedup_limit"] == 3 and kept["monthly_limit"] == 20
    assert actions.why_not(db, setup_id, actions.SPEEDUP) == "这次审核已经加急过了。"
    assert not actions.request(db, setup_id, actions.SPEEDUP, "staff")
    assert st.step(db, setup_id, st.AUDIT)["state"] == st.WAITING  # still audited


def test_no_speedup_left_spends_nothing(db, jobs, audit_waiting, sandbox_app):
    sandbox_app.config["SANDBOX_SPEEDUP_QUOTA"] = 0
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.SPEEDUP, "staff")
    jobs.run_once()
    refused = action(db, setup_id)
    assert refused["outcome"] == actions.FAILED and "加急次数已用完" in refused["detail"]
    assert calls(db, SPEEDUP) == 0


def test_an_action_on_an_audit_that_ended_meanwhile_does_nothing(db, jobs, audit_waiting):
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    audits.apply(db, setup_id, audits.PASSED, auto_release=False)
    jobs.run_once()
    skipped = action(db, setup_id)
    assert skipped["outcome"] == actions.SKIPPED and calls(db, UNDO) == 0
    assert st.step(db, setup_id, st.AUDIT)["state"] == st.DONE


def test_actions_need_a_waiting_audit(db, setup):
    assert "审核中" in actions.why_not(db, setup["id"], actions.UNDO)
    assert not actions.request(db, setup["id"], actions.UNDO, "staff")
    assert not actions.request(db, setup["id"], "revert", "staff")
    assert actions.history(db, setup["id"]) == []


def test_the_worker_keeps_the_quota_fresh_once_an_hour(db, jobs, setup):
    """Any authorized mini program's valid token reads the platform's quota."""
    kept = quota.last(db)
    assert kept is not None and (kept["rest"], kept["monthly_limit"]) == (20, 20)
    assert kept["appid"] == setup["appid"] and not kept["stale"]
    asked = calls(db, "wxa.queryquota")
    jobs.run_once()
    assert calls(db, "wxa.queryquota") == asked  # not again within the hour
    db.execute("UPDATE golive_quota SET answered_at = ?, asked_at = ?", [time.time() - 3700] * 2)
    db.conn.commit()
    jobs.run_once()
    assert calls(db, "wxa.queryquota") == asked + 1


def test_remember_and_last(db):
    assert quota.last(db) is None
    quota.failed(db, "no token")
    assert quota.last(db)["never"]
    quota.remember(db, Quota(0, 20, 1, 3), "wx1", now=time.time() - 3 * 3600)
    kept = quota.last(db)
    assert kept["used_up"] and kept["stale"] and kept["resets_at"] > time.time()


def test_the_step_a_merchant_is_on():
    rows = {name: {"state": st.DONE} for name in st.STEPS}
    assert actions.current(rows)["label"] == "已上线" and actions.current(rows)["live"]
    rows[st.TESTERS] = {"state": st.TODO}  # optional: not a step of the way live
    assert actions.current(rows)["live"]
    rows[st.RELEASE] = {"state": st.TODO}
    rows[st.CATEGORY] = {"state": st.NEEDS_MERCHANT}
    assert actions.current(rows)["label"] == "类目：需要修改"
    rows[st.CATEGORY] = {"state": st.DONE}
    assert actions.current(rows)["label"] == "发布上线：未开始"


def test_a_step_postponed_by_the_quota_waits_on_the_platform(db, setup):
    st.give(db, setup["id"], st.NAME, {"nickname": "沙箱额度小店"})
    until = time.time() + 86400
    outcomes.later(db, setup["id"], st.NAME, until, audits.quota_wait(until))
    waiting = quota.waiting_on_platform(db)
    assert [(w["step"], w["submission_id"]) for w in waiting] == [(st.NAME, setup["submission_id"])]
    assert "次数已用完" in waiting[0]["reason"]


def test_after_an_undo_the_merchant_reads_that_the_platform_withdrew_it(
    db, jobs, audit_waiting, client
):
    setup_id = audit_waiting["id"]
    assert actions.request(db, setup_id, actions.UNDO, "staff")
    jobs.run_once()
    jobs.run_once()
    public_id = db.execute(
        "SELECT public_id FROM submissions WHERE id = ?", [audit_waiting["submission_id"]]
    ).fetchone()[0]
    page = client.get(f"/s/{public_id}/setup").get_data(as_text=True)
    assert "平台已撤回本次审核" in page and "微信审核未通过，原因" not in page
