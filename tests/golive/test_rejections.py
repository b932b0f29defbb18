"""After WeChat rejects an audit, in-process against the sandbox: its screenshots fetched
once by the worker and shown, the merchant changing a step and resubmitting (a new
version only when ext_json changes), and staff's undo announced as a withdrawal."""

import json

import pytest

from portal.golive import actions, audits, platform, screenshots
from portal.golive import steps as st
from portal.registration import submissions as subs
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import give_all, run_until

setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox
MATERIAL = "cgi-bin.material.get_material"
PNG = b"\x89PNG\r\n\x1a\n"


def audit(db, setup_id) -> dict:
    return st.step(db, setup_id, st.AUDIT)


def rejected(db, jobs, wechat_side, setup_id, nickname="沙箱A1小店") -> dict:
    """The four steps given, the code submitted and rejected by the sandbox (A1)."""
    give_all(db, setup_id, nickname=nickname)
    run_until(
        jobs, wechat_side, db, setup_id, lambda: audit(db, setup_id)["state"] == st.NEEDS_MERCHANT
    )
    return audit(db, setup_id)


def shots_fetched(db, setup_id) -> bool:
    return bool(audit(db, setup_id)["result"].get("shots"))


def page_of(client, db, setup) -> str:
    public_id = subs.get(db, setup["submission_id"])["public_id"]
    return client.get(f"/s/{public_id}/setup").get_data(as_text=True), public_id


def sandbox_audits(sandbox_db, appid) -> list[tuple[int, int]]:
    sandbox_db.conn.commit()
    sql = "SELECT version_id, status FROM audits WHERE appid = ? ORDER BY auditid"
    return [tuple(r) for r in sandbox_db.execute(sql, [appid]).fetchall()]


def test_a_rejections_screenshots_are_fetched_once_and_shown(
    db, jobs, wechat_side, setup, client, sandbox_db
):
    found = rejected(db, jobs, wechat_side, setup["id"])
    assert len(found["result"]["screenshots"]) == 2
    run_until(jobs, wechat_side, db, setup["id"], lambda: shots_fetched(db, setup["id"]))
    assert calls(db, MATERIAL) == 2
    auditid = found["result"]["auditid"]
    kept = {f["role"]: f["content"] for f in st.files(db, setup["id"], st.AUDIT)}
    assert set(kept) == {f"screenshot:{auditid}:0", f"screenshot:{auditid}:1"}
    assert all(content.startswith(PNG) for content in kept.values())
    for _ in range(3):
        jobs.run_once()
    assert calls(db, MATERIAL) == 2  # once per audit, never again
    shown, public_id = page_of(client, db, setup)
    image = f"/s/{public_id}/setup/screenshots/{auditid}/1"
    assert image in shown and "点图片可看大图" in shown
    served = client.get(image)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert client.get(f"/s/{public_id}/setup/screenshots/{auditid}/2").status_code == 404
    assert any("已取回微信的 2 张问题截图" in e["detail"] for e in st.timeline(db, setup["id"]))
    history = actions.timeline(db, st.get(db, setup["id"]))
    assert [i["shots"] for i in history if i["kind"] == "shots"] == [[0, 1]]


def test_a_screenshot_wechat_refuses_is_said_and_blocks_nothing(
    db, jobs, wechat_side, setup, client, sandbox_http
):
    # WeChat answers the second fetch 40007 (invalid media id), the first one 5xx once
    fault = {"errcode": {"count": 1, "errcode": 40007, "match": "get_material"}}
    assert sandbox_http.post("/sandbox/faults", json=fault).status_code == 200
    rejected(db, jobs, wechat_side, setup["id"])
    run_until(jobs, wechat_side, db, setup["id"], lambda: shots_fetched(db, setup["id"]))
    shots = audit(db, setup["id"])["result"]["shots"]
    assert shots["stored"] == [1] and "40007" in shots["failed"]["0"] and not shots["retry_at"]
    shown, _ = page_of(client, db, setup)
    assert "截图 1：微信的截图无法加载（微信的问题截图暂时无法查看（40007））" in shown
    assert "重新提交审核</button>" in shown
    for _ in range(2):
        jobs.run_once()
    assert calls(db, MATERIAL) == 2  # a refused id is not asked again
    assert audits.resubmit(db, setup["id"], "已补充页面内容")  # nothing waits for images


def test_an_unanswered_fetch_is_tried_again(db, jobs, wechat_side, setup, sandbox_http):
    fault = {"http_500": {"count": 1, "match": "get_material"}}
    assert sandbox_http.post("/sandbox/faults", json=fault).status_code == 200
    rejected(db, jobs, wechat_side, setup["id"])
    run_until(jobs, wechat_side, db, setup["id"], lambda: shots_fetched(db, setup["id"]))
    shots = audit(db, setup["id"])["result"]["shots"]
    assert shots["stored"] == [1] and shots["retry_at"] and shots["tries"] == 1
    db.execute(
        "UPDATE setup_steps SET result = json_set(result, '$.shots.retry_at', 0) "
        "WHERE setup_id = ? AND step = 'audit'",
        [setup["id"]],
    )
    db.conn.commit()
    jobs.run_once()
    shots = audit(db, setup["id"])["result"]["shots"]
    assert shots["stored"] == [0, 1] and shots["failed"] == {} and shots["retry_at"] is None
    assert calls(db, MATERIAL) == 3


def test_the_sandbox_serves_screenshots_only_to_their_own_mini_program(sandbox_http, sandbox_db):
    answer = sandbox_http.post(
        "/cgi-bin/material/get_material", params={"access_token": "nope"}, json={"media_id": "x"}
    )
    assert answer.json()["errcode"] == 40001


def test_changing_the_intro_resubmits_the_same_version_after_setting_it(
    db, jobs, wechat_side, setup, sandbox_db
):
    rejected(db, jobs, wechat_side, setup["id"])
    unchanged = st.give(db, setup["id"], st.INTRO, {"signature": "本店提供餐饮外卖和到店服务"})
    assert unchanged["state"] == st.DONE  # the same input again changes nothing
    st.give(db, setup["id"], st.INTRO, {"signature": "本店提供手工面条的外卖和到店服务"})
    assert st.step(db, setup["id"], st.INTRO)["state"] == st.GIVEN
    with pytest.raises(st.StepClosed):  # only the merchant's four steps reopen
        st.give(db, setup["id"], st.DEPLOY, {})
    assert audits.resubmit(db, setup["id"], "")
    deploy = st.step(db, setup["id"], st.DEPLOY)
    assert (deploy["state"], deploy["phase"]) == (st.TODO, "submit")  # waits for the intro
    run_until(
        jobs, wechat_side, db, setup["id"], lambda: audit(db, setup["id"])["state"] != st.TODO
    )
    [first, second] = sandbox_audits(sandbox_db, setup["appid"])
    assert first[0] == second[0]  # the same version again
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert "商户已修改简介，等简介设置好后重新提交审核（同一版本）" in lines
    assert calls(db, "cgi-bin.account.modifysignature") == 2


def test_a_new_name_commits_a_new_version_that_passes(db, jobs, wechat_side, setup, sandbox_db):
    named = '{"extAppid": "{appid}", "ext": {"name": "{nickname}"}, '
    platform.save(db, ext_json_template=named + '"requiredPrivateInfos": ["getLocation"]}')
    rejected(db, jobs, wechat_side, setup["id"])  # the A1 name: WeChat rejects every audit
    st.give(db, setup["id"], st.NAME, {"nickname": "沙箱面馆小店"})
    run_until(
        jobs,
        wechat_side,
        db,
        setup["id"],
        lambda: st.step(db, setup["id"], st.NAME)["state"] == st.DONE,
    )
    assert audits.resubmit(db, setup["id"], "已修改名称")
    deploy = st.step(db, setup["id"], st.DEPLOY)
    assert (deploy["state"], deploy["phase"]) == (st.GIVEN, "commit")
    run_until(jobs, wechat_side, db, setup["id"], lambda: st.live(db, setup["id"]))
    [first, second] = sandbox_audits(sandbox_db, setup["appid"])
    assert first[0] != second[0] and second[1] == audits.PASSED  # a new version passed
    sandbox_db.conn.commit()
    ext_json = sandbox_db.execute(
        "SELECT ext_json FROM versions WHERE id = ?", [second[0]]
    ).fetchone()[0]
    assert json.loads(ext_json)["ext"] == {"name": "沙箱面馆小店"}  # the new name is in the code
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert "商户已修改名称并补充了说明，重新上传代码（新版本）后重新提交审核" in lines


def test_a_note_alone_resubmits_the_same_version_with_it(db, jobs, wechat_side, setup, sandbox_db):
    rejected(db, jobs, wechat_side, setup["id"])
    assert audits.resubmit(db, setup["id"], "已补充首页内容")
    deploy = st.step(db, setup["id"], st.DEPLOY)
    assert (deploy["state"], deploy["phase"], deploy["input"]) == (
        st.GIVEN, "submit", {"feedback_info": "已补充首页内容"},
    )  # fmt: skip
    run_until(
        jobs, wechat_side, db, setup["id"], lambda: audit(db, setup["id"])["state"] != st.TODO
    )
    [first, second] = sandbox_audits(sandbox_db, setup["appid"])
    assert first[0] == second[0]
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert "商户补充了说明，重新提交审核（同一版本）" in lines
    assert not any(line.startswith("商户已修改") for line in lines)


def test_screenshots_are_looked_up_by_their_audit(db, setup):
    """A resubmission's audit starts fresh: the older audit's files are not its own."""
    audits.submitted(db, setup["id"], 7)
    audits.apply(db, setup["id"], audits.REJECTED, "内容不完整", ("a", "b"), auto_release=True)
    want = screenshots.wanted(db, setup["id"])
    assert (want.auditid, want.media_ids, want.tries) == (7, ("a", "b"), 0)
    screenshots.record(db, setup["id"], want, [], {0: "微信没有答复", 1: "微信没有答复"}, True)
    assert screenshots.wanted(db, setup["id"]) is None  # tried again only after RETRY
    _auditid, shots, fetching = screenshots.shown(audit(db, setup["id"])["result"])
    assert fetching and [s.stored for s in shots] == [False, False]
    audits.submitted(db, setup["id"], 8)
    assert screenshots.shown(audit(db, setup["id"])["result"]) == (8, [], False)
