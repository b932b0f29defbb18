"""ICP filing (备案): WeChat's status in the merchant's words, the worker's budget for
reading it (``golive.icp``), the timeline line on a change, the page's step 8 and the
API's ``icp``. The worker's reads use a fake WeChat here (the sandbox's side of the call
is in tests/sandbox/golive/test_icp.py and the contract journey)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from portal.api import setup_object
from portal.golive import icp, outcomes
from portal.golive import steps as st
from portal.tasks import golive_icp
from portal.tasks.context import PlatformWaiting
from portal.wechat.client import WeChatError, WeChatUnavailable
from portal.wechat.miniprogram.icp import IcpEntrance, IcpRejection
from tests.golive import test_pipeline as pipeline
from tests.merchant.test_setup import authorized, url, with_choices

REASON = "主体负责人证件照片不清晰"
pipeline_setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox


@pytest.fixture
def sub(db):
    return authorized(db)


@pytest.fixture
def setup(db, sub):
    return with_choices(db, sub)


class FakeWeChat:
    """get_icp_entrance_info answering each of ``answers`` in turn (an exception raises)."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.calls = 0
        self.icp = self

    def get_icp_entrance_info(self, token: str):
        assert token == "A-TOKEN"
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def ctx_of(db, wechat: FakeWeChat):
    timing = SimpleNamespace(lease=60.0, retry_delay=5.0)
    return SimpleNamespace(
        db=db, mp=wechat, timing=timing, call_authorizer=lambda sub_id, appid, fn: fn("A-TOKEN")
    )


def at_audit(db, setup) -> None:
    """The four merchant steps done (as the worker's outcomes record them), the code
    audit under way."""
    for name in st.MERCHANT_STEPS:
        outcomes.done(db, setup["id"], name, {}, "已设置")
    db.execute(
        "UPDATE setup_steps SET state = ? WHERE setup_id = ? AND step = ?",
        [st.WAITING, setup["id"], st.AUDIT],
    )
    db.conn.commit()


def round_(ctx, now: float | None = None) -> int:
    """One worker round of the kind; how many setups it read."""
    now = time.time() if now is None else now
    done = 0
    for item in golive_icp.due(ctx, now):
        claimed = golive_icp.claim(ctx, item, now)
        if claimed is not None:
            golive_icp.run(ctx, claimed)
            done += 1
    return done


def icp_events(db, setup) -> list[dict]:
    return [e for e in st.timeline(db, setup["id"]) if e["step"] == icp.STEP]


@pytest.mark.parametrize(
    "status, label, actor, tone, words",
    [
        (None, "尚未查询", icp.NOBODY, "todo", "以后台显示为准"),
        (2, "微信初审中", icp.WECHAT, "progress", "无需操作"),
        (3, "微信初审未通过", icp.MERCHANT, "error", "重新提交"),
        (4, "管局审核中", icp.WECHAT, "progress", "核验短信"),
        (5, "管局审核未通过", icp.MERCHANT, "error", "重新提交"),
        (6, "已备案", icp.NOBODY, "ok", "上架"),
        (1024, "未备案", icp.MERCHANT, "todo", "mp.weixin.qq.com"),
        (4242, "备案状态 4242", icp.MERCHANT, "todo", "以 mp.weixin.qq.com"),
    ],
)
def test_each_status_says_what_it_is_who_acts_and_what_to_do(status, label, actor, tone, words):
    found_label, found_actor, todo, found_tone, _missing = icp.describe(status)
    assert (found_label, found_actor, found_tone) == (label, actor, tone)
    assert words in todo


def test_not_filed_names_what_is_missing_first():
    *_, todo, _tone, missing = icp.describe(1027)  # basic information and category
    assert len(missing) == 2 and "名称、头像、简介" in todo and "服务类目" in todo
    assert "微信认证" in icp.describe(1028)[2] and icp.describe(1024)[4] == ()


def test_nothing_is_read_before_the_audit_then_at_once(db, setup):
    ctx = ctx_of(db, FakeWeChat(IcpEntrance(1024)))
    assert round_(ctx) == 0  # the merchant's steps: no read yet
    at_audit(db, setup)
    assert round_(ctx) == 1 and ctx.mp.calls == 1
    assert icp.filing(db, setup["id"]).status == 1024


def test_reads_come_every_few_hours_until_filed_then_never(db, setup):
    at_audit(db, setup)
    ctx = ctx_of(db, FakeWeChat(IcpEntrance(1024), IcpEntrance(2), IcpEntrance(6)))
    now = time.time()
    assert round_(ctx, now) == 1
    assert round_(ctx, now + 60) == 0  # not due again soon
    assert round_(ctx, now + icp.INTERVAL - 60) == 0
    assert round_(ctx, now + icp.INTERVAL + 1) == 1
    assert round_(ctx, now + 2 * icp.INTERVAL + 2) == 1  # filed
    assert round_(ctx, now + 100 * icp.INTERVAL) == 0 and ctx.mp.calls == 3
    assert icp.filing(db, setup["id"]).filed


def test_a_timeline_line_only_when_the_status_changes(db, setup):
    at_audit(db, setup)
    rejected = IcpEntrance(3, audit_data=(IcpRejection("主体负责人", REASON, "请重新上传"),))
    ctx = ctx_of(db, FakeWeChat(IcpEntrance(1024), IcpEntrance(1024), rejected))
    now = time.time()
    for n in range(3):
        assert round_(ctx, now + n * (icp.INTERVAL + 1)) == 1
    lines = [e["detail"] for e in icp_events(db, setup)]
    assert lines == ["ICP 备案：未备案", f"ICP 备案：微信初审未通过，{REASON}"]
    found = icp.filing(db, setup["id"])
    assert found.rejections == (
        {"key_name": "主体负责人", "error": REASON, "suggest": "请重新上传"},
    )


def test_a_refused_read_is_tried_again_later_doubling_with_no_timeline_line(db, setup):
    at_audit(db, setup)
    refused = WeChatError("wxa.icp.get_icp_entrance_info", 61007, "api is unauthorized")
    ctx = ctx_of(db, FakeWeChat(refused, WeChatUnavailable("x", None, "timeout"), IcpEntrance(6)))
    now = time.time()
    assert round_(ctx, now) == 1
    row = icp.row(db, setup["id"])
    assert (row["tries"], row["errcode"], row["status"]) == (1, 61007, None)
    assert row["next_at"] == pytest.approx(now + icp.RETRY, abs=5)
    assert "61007" in icp.filing(db, setup["id"]).problem
    assert round_(ctx, now + icp.RETRY + 10) == 1
    row = icp.row(db, setup["id"])
    assert row["tries"] == 2 and row["error"] == "微信没有答复"
    assert row["next_at"] == pytest.approx(time.time() + 2 * icp.RETRY, abs=5)  # doubled
    assert icp_events(db, setup) == []
    assert round_(ctx, now + icp.INTERVAL) == 1
    assert icp.row(db, setup["id"])["tries"] == 0 and icp.filing(db, setup["id"]).problem == ""


def test_waiting_for_the_platform_spends_nothing(db, setup):
    at_audit(db, setup)
    ctx = ctx_of(db, FakeWeChat(PlatformWaiting("no ticket yet")))
    assert round_(ctx) == 1
    row = icp.row(db, setup["id"])
    assert (row["tries"], row["error"], row["status"]) == (0, None, None)


def test_a_setup_under_another_lease_is_left_alone(db, setup):
    at_audit(db, setup)
    db.execute("UPDATE setups SET claimed_until = ? WHERE id = ?", [time.time() + 60, setup["id"]])
    db.conn.commit()
    ctx = ctx_of(db, FakeWeChat(IcpEntrance(6)))
    assert round_(ctx) == 0 and ctx.mp.calls == 0


def test_the_page_shows_the_filing_who_acts_and_what_to_do(client, db, sub, setup):
    shown = client.get(url(sub)).get_data(as_text=True)
    assert 'id="step-icp"' in shown and "尚未查询" in shown and "发布前须知" in shown
    icp.record(db, setup["id"], 3, [{"key_name": "主体负责人", "error": REASON, "suggest": "重拍"}])
    shown = client.get(url(sub)).get_data(as_text=True)
    assert "微信初审未通过" in shown and "需要您办理" in shown
    assert REASON in shown and "建议：重拍" in shown and "mp.weixin.qq.com" in shown
    icp.record(db, setup["id"], 4, [])
    shown = client.get(url(sub)).get_data(as_text=True)
    assert "管局审核中" in shown and "无需操作" in shown and "驳回原因" not in shown
    icp.record(db, setup["id"], 6, [])
    shown = client.get(url(sub)).get_data(as_text=True)
    assert "已备案" in shown and "发布前须知" not in shown


def test_the_pages_poll_changes_when_the_filing_does(client, db, sub, setup):
    """The page swaps the filing's card in without a reload: the poll's version moves."""
    poll = url(sub).replace("/setup", "/setup.json")
    before = client.get(poll).get_json()["version"]
    assert client.get(poll).get_json()["version"] == before
    icp.record(db, setup["id"], 4, [])
    after = client.get(poll).get_json()["version"]
    assert after != before
    page = client.get(url(sub)).get_data(as_text=True)
    assert f'data-version="{after}"' in page  # the page and its poll agree


def test_the_api_setup_object_has_the_filing(app, db, sub, setup):
    with app.test_request_context():
        assert setup_object.represent(db, sub, False)["icp"]["status"] is None
        icp.record(db, setup["id"], 5, [{"key_name": "网站", "error": REASON, "suggest": ""}])
        shown = setup_object.represent(db, sub, False)["icp"]
    assert (shown["status"], shown["label"], shown["actor"], shown["filed"]) == (
        5, "管局审核未通过", "merchant", False,
    )  # fmt: skip
    assert shown["rejections"][0]["error"] == REASON and shown["checked_at"] > 0


def test_an_authority_sms_check_that_timed_out_is_the_merchants_to_redo(db, setup):
    icp.record(db, setup["id"], 4, [], sms_verify_status=1)
    assert icp.filing(db, setup["id"]).actor == icp.WECHAT
    icp.record(db, setup["id"], 4, [], sms_verify_status=3)
    found = icp.filing(db, setup["id"])
    assert (found.actor, found.tone) == (icp.MERCHANT, "error") and "短信核验" in found.todo


def test_the_worker_reads_the_sandboxs_filing_once_the_audit_begins(
    db, jobs, wechat_side, pipeline_setup, sandbox_http, sandbox_app
):
    """In-process, the worker's kinds against the sandbox: not filed (1024: the four steps
    are done) after the submit, and the control's "filed" read on the next due round."""
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = None  # the merchant does not file alone
    setup_id = pipeline_setup["id"]
    assert icp.row(db, setup_id) is None
    pipeline.give_all(db, setup_id)
    pipeline.run_until(jobs, wechat_side, db, setup_id, lambda: icp.row(db, setup_id))
    assert icp.filing(db, setup_id).status == 1024
    appid = pipeline_setup["appid"]
    sandbox_http.post(f"/sandbox/miniprograms/{appid}/icp", data={"status": "6"})
    db.execute("UPDATE setup_icp SET next_at = 0 WHERE setup_id = ?", [setup_id])
    db.conn.commit()
    jobs.run_once()
    assert icp.filing(db, setup_id).filed
    assert [e["to_state"] for e in icp_events(db, pipeline_setup)] == ["1024", "6"]


def test_the_due_list_reads_the_filing_index_not_every_setup(db):
    """The worker asks every round: its cost must not grow with the setups ever made."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        icp.due(db, time.time())
    finally:
        db.conn.set_trace_callback(None)
    (query,) = [sql for sql in seen if "setup_icp" in sql]
    details = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + query))
    assert "setup_icp_due" in details and "SCAN u" not in details, details
