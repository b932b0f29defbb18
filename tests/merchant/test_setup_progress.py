"""The checklist after the merchant's part: the worker's deploy, WeChat's audit (its
reason, screenshots and a resubmit), the release, the codes, testers and the poll."""

import pytest

from portal.golive import audits, icp, outcomes, platform, screenshots
from portal.golive import steps as st
from tests.merchant.test_setup import authorized, photo, post, url, with_choices

PNG = b"\x89PNG\r\n\x1a\n" + b"code"
JPEG = photo((300, 300))


@pytest.fixture
def sub(db):
    return authorized(db)


@pytest.fixture
def setup(db, sub):
    return with_choices(db, sub)


def page(client, sub) -> str:
    return client.get(url(sub)).get_data(as_text=True)


def finish_merchant_steps(db, setup):
    for name in st.MERCHANT_STEPS:
        st.give(db, setup["id"], name, {"x": 1})
        outcomes.done(db, setup["id"], name, {}, f"{name} 已设置")


def audit_waiting(db, setup):
    finish_merchant_steps(db, setup)
    outcomes.done(db, setup["id"], st.DEPLOY, {"auditid": 42}, "已提交微信审核")
    audits.submitted(db, setup["id"], 42)


def test_the_deploy_shows_each_phase_as_it_happens(client, db, sub, setup):
    finish_merchant_steps(db, setup)
    outcomes.working(db, setup["id"], st.DEPLOY, 60, phase="privacy")
    outcomes.progress(db, setup["id"], st.DEPLOY, "privacy", {}, "代码已上传，微信正在做隐私检测")
    shown = page(client, sub)
    assert '<li class="done">配置小程序的服务器域名' in shown
    assert '<li class="done">上传小程序代码' in shown
    assert '<li class="now">等待微信的隐私检测' in shown
    assert "最新进展：代码已上传，微信正在做隐私检测" in shown


def test_a_held_deploy_says_the_platform_is_on_it(client, db, sub, setup):
    finish_merchant_steps(db, setup)
    db.execute(
        "UPDATE setup_steps SET state = 'held', reason = '本月提交审核次数已用完' "
        "WHERE setup_id = ? AND step = 'deploy'",
        [setup["id"]],
    )
    db.conn.commit()
    shown = page(client, sub)
    assert "平台处理中" in shown and "本月提交审核次数已用完" in shown and "无需您操作" in shown


def test_an_audit_under_way_shows_the_expected_time(client, db, sub, setup):
    audit_waiting(db, setup)
    assert audits.EXPECTED in page(client, sub)


def test_a_rejected_audit_shows_the_reason_and_screenshots_and_resubmits(client, db, sub, setup):
    audit_waiting(db, setup)
    reason = "1.小程序页面存在功能不完整的情况。2.服务类目与实际服务不符。<br><a href='x'>详情</a>"
    audits.apply(db, setup["id"], audits.REJECTED, reason, ("m1", "m2"), auto_release=True)
    want = screenshots.wanted(db, setup["id"])  # what the worker fetches, then records
    screenshots.keep(db, setup["id"], want.auditid, 0, PNG)
    screenshots.record(db, setup["id"], want, [0], {1: "截图已失效（40007）"}, False)
    shown = page(client, sub)
    assert "微信审核未通过" in shown and "<a href='x'>" not in shown
    assert "1.小程序页面存在功能不完整的情况。\n2.服务类目与实际服务不符。\n详情" in shown
    assert url(sub, "/screenshots/42/0") in shown and "重新提交审核</button>" in shown
    assert "截图 2：微信的截图无法加载（截图已失效（40007））" in shown
    shot = client.get(url(sub, "/screenshots/42/0"))
    assert shot.status_code == 200 and shot.mimetype == "image/png"
    response = post(client, sub, "resubmit", {"feedback_info": "已补充 商品详情页"})
    assert response.status_code == 303
    deploy = st.step(db, setup["id"], st.DEPLOY)
    assert deploy["state"] == st.GIVEN and deploy["input"] == {"feedback_info": "已补充 商品详情页"}
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.TODO


def test_a_resubmit_with_absurd_feedback_is_refused(client, db, sub, setup):
    audit_waiting(db, setup)
    audits.apply(db, setup["id"], audits.REJECTED, "内容不完整", (), auto_release=True)
    response = post(client, sub, "resubmit", {"feedback_info": "改" * 201})
    assert response.status_code == 422 and "说明最多 200 个字" in response.get_data(as_text=True)
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.NEEDS_MERCHANT


def test_a_resubmit_when_nothing_was_rejected_changes_nothing(client, db, sub, setup):
    audit_waiting(db, setup)
    post(client, sub, "resubmit", {"feedback_info": ""})
    assert "只有审核未通过时才能重新提交" in page(client, sub)
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.WAITING


def test_with_policy_confirm_the_merchant_releases(client, db, sub, setup):
    platform.save(db, release_policy="confirm")
    audit_waiting(db, setup)
    audits.apply(db, setup["id"], audits.PASSED, auto_release=False)
    shown = page(client, sub)
    assert "确认发布后" in shown and ">发布</button>" in shown
    assert post(client, sub, "release").status_code == 303
    release = st.step(db, setup["id"], st.RELEASE)
    assert release["state"] == st.GIVEN and release["input"] == {"confirmed": True}


def test_with_policy_auto_there_is_no_release_button(client, db, sub, setup):
    platform.save(db, release_policy="auto")
    audit_waiting(db, setup)
    audits.apply(db, setup["id"], audits.PASSED, auto_release=True)
    assert ">发布</button>" not in page(client, sub)
    post(client, sub, "release")
    assert st.step(db, setup["id"], st.RELEASE)["input"] == {}


def test_before_release_the_trial_qr_and_testers(client, db, sub, setup):
    assert "代码上传后，这里会显示体验版二维码" in page(client, sub)
    st.give_file(db, setup["id"], st.RELEASE, "trial_qr", "image/jpeg", JPEG)
    assert url(sub, "/trial-qr.jpg") in page(client, sub)
    qr = client.get(url(sub, "/trial-qr.jpg"))
    assert qr.status_code == 200 and qr.mimetype == "image/jpeg" and qr.data == JPEG
    response = post(client, sub, "testers", {"wechat_ids": "zhangsan_88\nlisi-2024"})
    assert response.status_code == 303
    testers = st.step(db, setup["id"], st.TESTERS)
    assert testers["state"] == st.GIVEN
    assert testers["input"] == {"wechat_ids": ["zhangsan_88", "lisi-2024"]}
    assert "已提交的体验者：zhangsan_88、lisi-2024" in page(client, sub)


def test_a_phone_number_is_not_a_testers_wechat_id(client, db, sub, setup):
    response = post(client, sub, "testers", {"wechat_ids": "13800138000"})
    assert response.status_code == 422 and "这是手机号" in response.get_data(as_text=True)
    assert st.step(db, setup["id"], st.TESTERS)["state"] == st.TODO


def test_after_release_the_mini_program_code_to_long_press(client, db, sub, setup):
    assert client.get(url(sub, "/wxacode.png")).status_code == 404
    st.give(db, setup["id"], st.RELEASE, {"confirmed": True})
    st.give_file(db, setup["id"], st.RELEASE, "wxacode", "image/png", PNG)
    outcomes.done(db, setup["id"], st.RELEASE, {}, "小程序码已生成，可长按保存分享")
    shown = page(client, sub)
    assert (
        "小程序已发布上线" in shown
        and url(sub, "/wxacode.png") in shown
        and "长按小程序码" in shown
    )
    code = client.get(url(sub, "/wxacode.png"))
    assert code.status_code == 200 and code.mimetype == "image/png" and code.data == PNG
    again = client.get(url(sub, "/wxacode.png"), headers={"If-None-Match": code.headers["ETag"]})
    assert again.status_code == 304


def test_a_stored_file_is_typed_by_its_bytes_never_served_as_a_page(client, db, sub, setup):
    st.give_file(db, setup["id"], st.RELEASE, "wxacode", "text/html", b"<script>alert(1)</script>")
    assert client.get(url(sub, "/wxacode.png")).status_code == 404


def test_the_icp_state_shows_when_known(client, db, sub, setup):
    assert "尚未查询" in page(client, sub)
    icp.record(db, setup["id"], 6, [])
    assert "已备案" in page(client, sub)


def test_the_poll_changes_when_a_step_does_and_is_cheap_when_not(client, db, sub, setup):
    first = client.get(url(sub, ".json"))
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    data = first.get_json()
    assert data["live"] is True and data["steps"]["name"] == {
        "state": "todo", "label": "待填写", "tone": "todo", "version": data["steps"]["name"]["version"]
    }  # fmt: skip
    unchanged = client.get(url(sub, ".json"), headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
    outcomes.working(db, setup["id"], st.NAME, 60)
    changed = client.get(url(sub, ".json"), headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.get_json()["steps"]["name"]["label"] == "正在提交给微信"
    assert f'data-version="{changed.get_json()["version"]}"' in page(client, sub)


def test_the_poll_stops_once_released(client, db, sub, setup):
    st.give(db, setup["id"], st.RELEASE, {"confirmed": True})
    outcomes.done(db, setup["id"], st.RELEASE, {}, "已发布")
    assert client.get(url(sub, ".json")).get_json()["live"] is False
    assert 'data-live="false"' in page(client, sub)


def test_without_a_script_the_page_refreshes_itself_only_when_nothing_is_being_typed(
    client, db, sub, setup
):
    assert 'http-equiv="refresh"' not in page(client, sub)
    finish_merchant_steps(db, setup)
    assert 'http-equiv="refresh"' in page(client, sub)
