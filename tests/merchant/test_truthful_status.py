"""The status page tells the truth (issue 21): a refusal is not a timeout, a resubmit
WeChat would refuse is disabled and refused, a failure shows what was sent and leads
with what is true, and retries say when the next one is."""

import html
import re
import time

import pytest

from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.registration.status_steps import clock
from portal.timefmt import beijing
from tests.consoles.conftest import csrf_from
from tests.registration.facts import code_for, facts


def company(flavor, name):
    return {"name": name, "code": code_for(name)} if flavor == "v2" else facts(name)


def page_for(client, sub):
    return html.unescape(client.get(f"/s/{sub['public_id']}").get_data(as_text=True))


def classic_waiting(db, jobs, wechat_side, sandbox_http, name):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), component_phone="020-12345678")
    jobs.run_once()
    wechat_side()
    task = next(
        t for t in sandbox_http.get("/sandbox/tasks").json() if t["state"] == "legal_person"
    )
    return sub, task


def test_a_classic_refusal_reads_as_a_refusal(client, db, jobs, wechat_side, sandbox_http):
    sub, task = classic_waiting(db, jobs, wechat_side, sandbox_http, "拒绝测试科技有限公司")
    sandbox_http.post(f"/sandbox/legal-person/{task['id']}", data={"choice": "refuse"})
    wechat_side()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.EXPIRED, 100003)
    page = page_for(client, sub)
    assert (
        "法定代表人已拒绝" in page
        and "<strong>法定代表人拒绝了申请</strong>（代码 100003）" in page
    )
    assert "请先与法定代表人沟通" in page
    assert "微信推送结果：法定代表人拒绝了申请（100003）" in page.split("进度记录")[1]
    assert "24 小时内确认" not in page and "已过期" not in page
    # Resubmitting is there, but second: a secondary button after the conversation.
    button = re.search(r'<button class="btn block secondary" type="submit">([^<]+)</button>', page)
    assert button and button.group(1) == "已与法定代表人确认，重新提交"
    assert "信息无需修改，重新提交" not in page
    poll = client.get(f"/s/{row['public_id']}/status.json").get_json()
    assert poll["label"] == "法定代表人已拒绝" and not poll["live"]  # the poll agrees


def test_a_24_hour_expiry_still_reads_as_a_timeout(client, db, jobs, wechat_side, sandbox_http):
    sub, task = classic_waiting(db, jobs, wechat_side, sandbox_http, "超时测试科技有限公司")
    sandbox_http.post(f"/sandbox/legal-person/{task['id']}", data={"choice": "expire_100003"})
    wechat_side()
    page = page_for(client, sub)
    assert "法人未在 24 小时内确认" in page and "已过期" in page
    assert "拒绝" not in page.split("进度记录")[0]
    public_id = subs.get(db, sub["id"])["public_id"]
    assert client.get(f"/s/{public_id}/status.json").get_json()["label"] == "已过期"


def test_a_v2_refusal_leads_with_talking_to_the_legal_person(client, db):
    sub, _ = subs.submit(db, FLAVORS["v2"], company("v2", "新版拒绝科技有限公司"))
    subs.transition(db, sub["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=3)
    page = page_for(client, sub)
    assert "法定代表人已拒绝" in page and "请先与法定代表人沟通" in page
    assert "已与法定代表人确认，重新提交" in page


@pytest.mark.parametrize("flavor", sorted(FLAVORS))
def test_89249_disables_resubmit_until_wechat_allows_it(client, db, jobs, flavor):
    sub, _ = subs.submit(db, FLAVORS[flavor], company(flavor, "沙箱E89249科技有限公司"),
                         component_phone="020-12345678")  # fmt: skip
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["errcode"]) == (subs.REJECTED, 89249)
    allowed = status_view.resubmit_allowed_at(db, row)
    assert allowed == pytest.approx(row["sent_at"] + 86400)
    page = page_for(client, sub)
    when = beijing(allowed, "%m月%d日 %H:%M")
    assert f"{beijing(allowed)} 之后再次提交" in page
    assert re.search(rf"<button [^>]*disabled[^>]*>{when} 之后可重新提交</button>", page)
    # The server refuses an early resubmit with the same words, and sends nothing.
    token = csrf_from(client.get(f"/s/{sub['public_id']}").get_data(as_text=True))
    answer = client.post(f"/s/{sub['public_id']}/resubmit", data={"csrf_token": token})
    assert answer.status_code == 302
    again = html.unescape(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert re.search(r'class="notice error"[^>]*data-flash>[^<]*之后再次提交', again)
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_89249_counts_from_the_companys_previous_task(db):
    first, _ = subs.submit(db, FLAVORS["classic"], facts("前任科技有限公司"))
    subs.update(db, first["id"], sent_at=time.time() - 3600, state=subs.EXPIRED)
    later, _ = subs.submit(
        db, FLAVORS["classic"], facts("前任科技有限公司", legal_persona_wechat="lisi_1234")
    )
    subs.update(db, later["id"], state=subs.REJECTED, errcode=89249, sent_at=time.time())
    row = subs.get(db, later["id"])
    assert status_view.resubmit_allowed_at(db, row) == pytest.approx(
        time.time() - 3600 + 86400, abs=5
    )
    assert "上一个任务提交于" in status_view.view(db, row).retry_hint


def test_89249_counts_from_the_previous_task_under_the_companys_older_code(db):
    """The same company by name (``same_company``): its previous task was sent under its
    old registration number, this one under its credit code."""
    first, _ = subs.submit(
        db, FLAVORS["classic"], facts("换码科技有限公司", code="440301000123456")
    )
    subs.update(db, first["id"], sent_at=time.time() - 7200, state=subs.EXPIRED)
    later, _ = subs.submit(
        db, FLAVORS["classic"], facts("换码科技有限公司", legal_persona_wechat="lisi_1234")
    )
    subs.update(db, later["id"], state=subs.REJECTED, errcode=89249, sent_at=time.time())
    row = subs.get(db, later["id"])
    assert row["code"] != first["code"]
    assert status_view.resubmit_allowed_at(db, row) == pytest.approx(
        time.time() - 7200 + 86400, abs=5
    )
    assert "上一个任务提交于" in status_view.view(db, row).retry_hint


def test_a_failure_shows_what_was_sent_masked(client, db):
    sub, _ = subs.submit(
        db, FLAVORS["classic"], facts("姓名不符科技有限公司", legal_persona_name="欧阳娜娜")
    )
    subs.transition(db, sub["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=103)
    page = page_for(client, sub)
    sent = page.split("本次提交给微信的信息")[1].split("</div>")[0]
    assert "法人姓名" in sent and "欧*" in sent and "欧阳娜娜" not in page
    assert "修改信息并重新提交" in page


@pytest.mark.parametrize(
    "flavor, status, state", [("classic", 101, subs.FAILED), ("v2", 86021, subs.REJECTED)]
)
def test_a_company_not_operating_leads_with_the_registry(client, db, flavor, status, state):
    sub, _ = subs.submit(db, FLAVORS[flavor], company(flavor, "不在营科技有限公司"))
    column = "push_status" if state == subs.FAILED else "errcode"
    subs.transition(db, sub["id"], state, "", expect=[subs.QUEUED], **{column: status})
    page = page_for(client, sub)
    assert "重新提交不会改变结果" in page and "市场监督管理部门" in page
    assert "本次提交给微信的信息" in page and sub["name"] in page.split("本次提交给微信的信息")[1]
    assert re.search(r'class="btn block secondary"[^>]*>填错了企业？修改信息后重新提交', page)
    assert ">修改信息并重新提交<" not in page


def test_a_transient_retry_says_when_and_folds_the_repeats(client, db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("重试测试科技有限公司"))
    for _ in range(3):
        subs.transition(db, sub["id"], subs.SENDING, "", expect=[subs.QUEUED])
        subs.transition(db, sub["id"], subs.QUEUED, "暂未提交：微信系统繁忙，稍后自动重试",
                        expect=[subs.SENDING], errcode=-1, errmsg="busy",
                        next_attempt_at=time.time() + 600)  # fmt: skip
    page = page_for(client, sub)
    at = clock(subs.get(db, sub["id"])["next_attempt_at"])
    assert f"将于 {at} 重试" in page
    timeline = page.split("进度记录")[1]
    assert timeline.count("暂未提交：微信系统繁忙") == 1 and "共 3 次" in timeline
    assert timeline.count("正在提交给微信") == 1


def test_folding_keeps_different_reasons_apart():
    events = [
        {"at": 1, "from_state": None, "to_state": "queued", "detail": "资料已保存"},
        {"at": 2, "from_state": "queued", "to_state": "sending", "detail": ""},
        {"at": 3, "from_state": "sending", "to_state": "queued", "detail": "暂未提交：甲"},
        {"at": 4, "from_state": "queued", "to_state": "sending", "detail": ""},
        {"at": 5, "from_state": "sending", "to_state": "queued", "detail": "暂未提交：乙"},
    ]
    lines = status_view.fold_timeline(events)
    assert [(line["text"], line["count"]) for line in lines] == [
        ("资料已保存", 1), ("正在提交给微信", 1), ("暂未提交：甲", 1),
        ("正在提交给微信", 1), ("暂未提交：乙", 1),
    ]  # fmt: skip
