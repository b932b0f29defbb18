"""The go-live in the consoles: staff's setup timeline and actions (carried out by the
worker against the in-process sandbox), the partner's funnel and steps, admin health."""

import html

from portal.golive import actions, outcomes, quota
from portal.golive import steps as st
from portal.registration import retry
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.quota import Quota
from tests.consoles.conftest import csrf_from, login
from tests.golive import audit_waiting as waiting
from tests.golive.audit_waiting import calls

# The fixtures of a submission taken to a waiting audit (tests/golive/audit_waiting.py).
audit_waiting = waiting.audit_waiting
fast_sandbox = waiting.fast_sandbox
setup = waiting.setup


def staff_url(setup_row) -> str:
    return f"/staff/submissions/{setup_row['submission_id']}"


def audit_actions(db):
    return [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]


def hold(db, setup_row, step=st.NAME):
    st.give(db, setup_row["id"], step, {"nickname": "沙箱暂停小店"})
    missing = WeChatError("wxa.setnickname", 61004, "access clientip is not registered")
    outcomes.failed_try(db, setup_row["id"], step, retry.OPERATOR, missing, 0)
    assert st.step(db, setup_row["id"], step)["state"] == st.HELD


def for_partner(db, people, setup_row):
    db.execute(
        "UPDATE submissions SET partner_id = ?, link_id = ? WHERE id = ?",
        [people["partner_a"], people["link_a"]["id"], setup_row["submission_id"]],
    )
    db.conn.commit()


def delay_push(sandbox_http, wechat_side, setup_row) -> None:
    """WeChat delays the audit: its weapp_audit_delay push reaches the message URL."""
    decided = sandbox_http.post(
        f"/sandbox/miniprograms/{setup_row['appid']}/decide",
        data={"kind": "code", "choice": "delay", "key": setup_row["auditid"]},
    )
    assert decided.status_code == 302
    wechat_side()


def test_staff_see_the_setup_beside_the_registration(
    client, people, as_role, db, audit_waiting, sandbox_http, wechat_side
):
    appid, auditid = audit_waiting["appid"], audit_waiting["auditid"]
    delay_push(sandbox_http, wechat_side, audit_waiting)
    as_role("staff")
    page = client.get(staff_url(audit_waiting)).get_data(as_text=True)
    assert "上线进度" in page and "注册记录" in page and "上线记录" in page
    assert '上线进度 <span class="badge progress">微信审核中</span>' in page
    assert f"审核单 {auditid}" in page
    split = page.index('id="setup-history"')
    registration, setup_part = page[:split], page[split:]
    assert "fastregisterweapp.create" in registration and "wxa.commit" not in registration
    for endpoint in ("wxa.commit", "wxa.submit_audit", "wxa.queryquota", "setnickname"):
        assert endpoint in setup_part
    assert "weapp_audit_delay" in setup_part and "已提交微信审核" in setup_part
    assert "撤回审核" in page and "加急审核" in page and "本月加急还剩" in page
    push_id = db.execute("SELECT id FROM message_pushes WHERE appid = ?", [appid]).fetchone()[0]
    xml = client.get(f"/staff/message-pushes/{push_id}").get_data(as_text=True)
    assert "weapp_audit_delay" in html.unescape(xml) and "返回申请" in xml
    assert "view message push xml" in audit_actions(db)


def test_staff_undo_is_stored_then_carried_out_by_the_worker(
    client, people, as_role, db, jobs, audit_waiting
):
    as_role("staff")
    url = staff_url(audit_waiting)
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url + "/golive/undo").status_code == 400  # no CSRF token
    assert actions.history(db, audit_waiting["id"]) == []
    asked = client.post(url + "/golive/undo", data={"csrf_token": token}, follow_redirects=True)
    page = asked.get_data(as_text=True)
    assert "已请求撤回审核" in page and "处理中" in page
    assert calls(db, "wxa.undocodeaudit") == 0  # the page called nothing
    assert "undo code audit" in audit_actions(db)
    again = client.post(url + "/golive/undo", data={"csrf_token": token}, follow_redirects=True)
    assert "还在处理中" in again.get_data(as_text=True)
    jobs.run_once()
    page = client.get(url).get_data(as_text=True)
    assert "撤回审核已完成" in page and "需要修改" in page
    assert calls(db, "wxa.undocodeaudit") == 1
    assert st.step(db, audit_waiting["id"], st.AUDIT)["state"] == st.NEEDS_MERCHANT


def test_staff_speed_up_an_audit_with_the_quota_shown(
    client, people, as_role, db, jobs, audit_waiting
):
    as_role("admin")  # admins have the staff console too
    url = staff_url(audit_waiting)
    token = csrf_from(client.get(url).get_data(as_text=True))
    client.post(url + "/golive/speedup", data={"csrf_token": token})
    jobs.run_once()
    page = client.get(url).get_data(as_text=True)
    assert "加急审核已完成" in page and "已完成" in page
    assert "加急审核</button>" not in page  # once per audit
    assert "撤回审核</button>" in page
    assert calls(db, "wxa.speedupaudit") == 1
    assert "speedup code audit" in audit_actions(db)


def test_staff_retry_a_held_step(client, people, as_role, db, jobs, setup):
    hold(db, setup)
    as_role("staff")
    url = staff_url(setup)
    page = client.get(url).get_data(as_text=True)
    assert "平台处理中" in page and "61004" in page and "重试</button>" in page
    token = csrf_from(page)
    done = client.post(
        url + "/golive/retry/name", data={"csrf_token": token}, follow_redirects=True
    )
    assert "已重试“名称”" in done.get_data(as_text=True)
    assert st.step(db, setup["id"], st.NAME)["state"] == st.GIVEN
    assert "retry golive step" in audit_actions(db)
    again = client.post(
        url + "/golive/retry/name", data={"csrf_token": token}, follow_redirects=True
    )
    assert "没有暂停" in again.get_data(as_text=True)
    assert (
        client.post(url + "/golive/retry/nonsense", data={"csrf_token": token}).status_code == 404
    )
    jobs.run_once()
    assert st.step(db, setup["id"], st.NAME)["state"] != st.HELD


def test_staff_page_without_a_mini_program_is_as_before(client, people, as_role):
    as_role("staff")
    page = client.get(f"/staff/submissions/{people['sub_a']['id']}").get_data(as_text=True)
    assert "完整记录" in page and "上线进度" not in page
    url = f"/staff/submissions/{people['sub_a']['id']}/golive/undo"
    assert client.post(url, data={"csrf_token": csrf_from(page)}).status_code == 404


def test_a_partner_sees_the_step_and_released_but_cannot_act(
    client, people, as_role, db, audit_waiting
):
    for_partner(db, people, audit_waiting)
    as_role("partner_a")
    page = client.get("/partner/").get_data(as_text=True)
    assert "已上线" in page and "上线进度" in page
    assert '<span class="badge progress">微信审核中</span>' in page
    assert "zhangsan_88" not in page and "张三" not in page and "张*" in page
    assert audit_waiting["appid"] not in page  # the step, not the mini program's details
    url = staff_url(audit_waiting)
    token = csrf_from(page)
    for path in ("/golive/undo", "/golive/speedup", "/golive/retry/audit"):
        assert client.post(url + path, data={"csrf_token": token}).status_code == 403
    assert client.get(url).status_code == 403
    assert actions.history(db, audit_waiting["id"]) == []


def test_the_funnel_counts_the_released(client, people, as_role, db, audit_waiting):
    for_partner(db, people, audit_waiting)
    outcomes.done(db, audit_waiting["id"], st.AUDIT, {}, "微信审核通过")
    outcomes.done(db, audit_waiting["id"], st.RELEASE, {}, "小程序已发布上线")
    as_role("partner_a")
    page = client.get("/partner/").get_data(as_text=True)
    assert '<div class="muted">已上线</div><div class="n">1</div>' in page
    assert '<span class="badge ok">已上线</span>' in page
    links_page = client.get("/partner/links").get_data(as_text=True)
    assert '<td data-label="已上线">1</td>' in links_page
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    as_role("partner_b")
    other = client.get("/partner/").get_data(as_text=True)
    assert '<div class="muted">已上线</div><div class="n">0</div>' in other
    assert "沙箱S0上线" not in other


def test_admin_health_shows_the_quota_and_setups_waiting_on_the_platform(
    client, people, as_role, db, setup
):
    hold(db, setup)
    as_role("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "本月提审额度" in page and "20 / 20" in page and "加急 3 / 3" in page
    assert "等待平台处理的小程序上线" in page and "名称：平台处理中" in page
    assert f"/staff/submissions/{setup['submission_id']}#golive" in page
    quota.remember(db, Quota(0, 20, 0, 3), setup["appid"])
    page = client.get("/admin/").get_data(as_text=True)
    assert "本月提审次数已用完" in page


def test_admin_health_before_any_quota_was_read(client, people, as_role):
    as_role("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "尚未查询" in page and "没有等待平台处理的小程序上线步骤" in page


def test_audit_log_reads_the_new_actions_in_chinese(client, people, as_role, db, audit_waiting):
    as_role("staff")
    url = staff_url(audit_waiting)
    token = csrf_from(client.get(url).get_data(as_text=True))
    client.post(url + "/golive/speedup", data={"csrf_token": token})
    client.post("/logout", data={"csrf_token": token})
    as_role("admin")
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "请求加急代码审核" in log and "speedup code audit" not in log


def test_who_may_open_and_press_what(app, people, db, audit_waiting, sandbox_http, wechat_side):
    delay_push(sandbox_http, wechat_side, audit_waiting)
    push_id = db.execute("SELECT max(id) FROM message_pushes").fetchone()[0]
    url = staff_url(audit_waiting)
    get_paths = [url, f"/staff/message-pushes/{push_id}"]
    expected = {None: 302, "admin": 200, "staff": 200, "partner_a": 403}
    for role, status in expected.items():
        client = app.test_client()
        if role:
            assert login(client, role).status_code == 302
        for path in get_paths:
            assert client.get(path).status_code == status, (role, path)
        if role is None:
            for action in ("undo", "speedup"):
                assert client.post(f"{url}/golive/{action}").status_code in (302, 400)
    assert actions.history(db, audit_waiting["id"]) == []
