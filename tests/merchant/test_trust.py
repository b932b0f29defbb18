"""What makes a merchant on a phone trust the portal: who is registering, honest words,
the right button, a success page that leads somewhere (issue 10's server-side half)."""

import time

import pytest

import portal
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.conftest import CREDENTIALS
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts

BRAND = {
    "PLATFORM_NAME": "云帆商户服务平台",
    "PLATFORM_SHORT_NAME": "云帆",
    "PLATFORM_TAGLINE": "帮门店开通小程序",
    "SUPPORT_PHONE": "400-123-4567",
    "SUPPORT_WECHAT": "yunfan_kefu",
    "SUPPORT_HOURS": "工作日 9:00–18:00",
}


@pytest.fixture
def branded(tmp_path):
    return portal.create_app(
        {**CREDENTIALS, **BRAND, "TESTING": True, "DATABASE": str(tmp_path / "b.sqlite")}
    )


def ended(db, state, **changes):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    subs.transition(db, sub["id"], state, "", expect=[subs.QUEUED], **changes)
    return subs.get(db, sub["id"])


@pytest.mark.parametrize("path", ["/", "/apply", "/guide"])
def test_every_merchant_page_names_the_platform_and_its_support(branded, path):
    page = branded.test_client().get(path).get_data(as_text=True)
    assert "云帆商户服务平台" in page and "· 云帆</title>" in page
    assert "客服电话 400-123-4567" in page and "客服微信 yunfan_kefu" in page


def test_the_guide_says_which_platform_registers_the_company(branded):
    from portal.db import connect

    db = connect(branded.config["DATABASE"])
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    page = branded.test_client().get(f"/s/{sub['public_id']}/guide").get_data(as_text=True)
    assert "「云帆商户服务平台」正在为" in page and "核实" in page


def test_check_config_warns_when_identity_is_unset_in_production():
    from portal import config

    production = {**config.DEFAULTS, "ENV": "production"}
    said = " ".join(config.warnings(production))
    assert "PORTAL_PLATFORM_NAME" in said and "PORTAL_SUPPORT_PHONE" in said
    assert not any("PLATFORM" in w for w in config.warnings({**production, **BRAND}))
    assert (
        "PORTAL_PLATFORM_LOGO"
        in config.problems({**config.DEFAULTS, "PLATFORM_LOGO": "/nope.png"})[0]
    )


def test_the_landing_makes_no_fee_claim_next_to_unverified(client):
    page = client.get("/").get_data(as_text=True)
    assert "300 元认证费" not in page and "不代收任何费用" in page


@pytest.mark.parametrize("status", [100003, 100001])
def test_nothing_to_fix_offers_a_one_tap_resubmit_with_the_same_facts(client, db, status):
    sub = ended(db, subs.EXPIRED, push_status=status)
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "信息无需修改，重新提交" in page and "修改信息并重新提交" not in page
    response = client.post(f"/s/{sub['public_id']}/resubmit", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    again = subs.get_by_public_id(db, response.headers["Location"].rsplit("/", 1)[1])
    assert again["previous_id"] == sub["id"] and again["state"] == subs.QUEUED
    assert (again["name"], again["legal_persona_wechat"]) == (
        sub["name"],
        sub["legal_persona_wechat"],
    )


def test_a_fixable_failure_still_opens_the_form_with_the_reason_and_focus(client, db):
    sub = ended(db, subs.FAILED, push_status=103)
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "修改信息并重新提交" in page
    form = client.get(f"/apply?from={sub['public_id']}").get_data(as_text=True)
    assert "上次未通过：法人姓名与工商登记不一致" in form
    assert (
        "autofocus"
        in form.split('name="legal_persona_name"')[0].rsplit("<input", 1)[-1]
        + form.split('name="legal_persona_name"')[1].split(">", 1)[0]
    )


def test_the_submitted_banner_never_sits_on_a_red_page(client, db):
    sub = ended(db, subs.REJECTED, errcode=86004)
    with client.session_transaction() as session:
        session["_flashes"] = [("ok", "已提交。请保存本页链接，随时回来查看进度。")]
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "已提交" not in page and "法人微信号无效" in page


def test_the_success_page_leads_somewhere(client, db):
    sub = ended(db, subs.AUTHORIZED, appid="wx1234567890abcdef")
    subs.add_event(db, sub["id"], subs.AUTHORIZED, "微信推送结果：小程序创建成功")
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert 'data-copy="#appid"' in page and 'value="wx1234567890abcdef"' in page
    assert "mp.weixin.qq.com" in page and "管理员是法定代表人的微信" in page
    assert "（0）" not in page


def test_after_ten_minutes_of_checking_the_merchant_is_told_to_nudge(client, db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    subs.transition(
        db, sub["id"], subs.CHECKING, "", expect=[subs.QUEUED], sent_at=time.time() - 60
    )
    url = f"/s/{sub['public_id']}"
    assert "提醒法定代表人" not in client.get(url).get_data(as_text=True)
    before = client.get(url + "/status.json").get_json()["version"]
    subs.update(db, sub["id"], sent_at=time.time() - 15 * 60)
    page = client.get(url).get_data(as_text=True)
    assert "已提交 15 分钟" in page and "公众平台安全助手" in page and "提醒法定代表人" in page
    assert client.get(url + "/status.json").get_json()["version"] != before  # the page refreshes


def test_the_sandbox_shows_v2_tasks_without_none_and_refuses_approval_while_checking(
    sandbox_app, sandbox_db
):
    from portal.db import insert, transaction

    with transaction(sandbox_db):
        insert(sandbox_db, "tasks", {"api": "v2", "name": "杭州沙箱测试有限公司", "code": "x",
                                     "state": "checking", "created_at": time.time(),
                                     "check_until": time.time() + 600, "taskid": "t1"})  # fmt: skip
    http = sandbox_app.test_client()
    index = http.get("/sandbox/").get_data(as_text=True)
    assert "None" not in index and "v2：验证时由本人确认" in index
    http.post("/sandbox/verify/t1", data={"choice": "approve"})
    assert sandbox_db.execute("SELECT state FROM tasks").fetchone()[0] == "checking"


def test_the_demo_says_it_is_a_sandbox_and_which_api(client, branded):
    page = client.get("/").get_data(as_text=True)  # WECHAT_API_BASE is the sandbox here
    assert "演示环境" in page and "classic" in page
    real = portal.create_app({**branded.config, "WECHAT_API_BASE": "https://api.weixin.qq.com"})
    assert "演示环境" not in real.test_client().get("/").get_data(as_text=True)


def test_the_status_page_says_how_to_keep_it_in_wechat(client, db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts())
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "收藏" in page and "浮窗" in page and "发送给朋友" in page
