"""The checklist's audit card, on the Flask test client without WeChat: the speed-up the
merchant may ask for (and why not), the steps reopened after a rejection, and the
events an undo and a rejection make."""

import pytest

from portal import accounts
from portal.golive import actions, audits, outcomes, quota, screenshots
from portal.golive import steps as st
from portal.registration import outbox, webhooks
from portal.wechat.authorizers import Vault
from portal.wechat.miniprogram.quota import Quota
from tests.consoles.conftest import PASSWORD, login
from tests.merchant.test_setup import authorized, post, url, with_choices

PNG = b"\x89PNG\r\n\x1a\n" + b"shot"


@pytest.fixture
def sub(db):
    return authorized(db)


@pytest.fixture
def setup(db, sub):
    found = with_choices(db, sub)
    for name in st.MERCHANT_STEPS:
        st.give(
            db,
            found["id"],
            name,
            {"signature": "本店提供餐饮外卖服务"} if name == st.INTRO else {"x": 1},
        )
        outcomes.done(db, found["id"], name, {}, f"{name} 已设置")
    outcomes.done(db, found["id"], st.DEPLOY, {"auditid": 42}, "已提交微信审核")
    audits.submitted(db, found["id"], 42)
    return found


def page(client, sub) -> str:
    return client.get(url(sub)).get_data(as_text=True)


def test_the_merchant_may_ask_for_a_speedup_with_the_quota_left(client, db, sub, setup):
    quota.remember(db, Quota(rest=18, limit=20, speedup_rest=2, speedup_limit=3), sub["appid"])
    shown = page(client, sub)
    assert (
        "本月平台还能加急 <strong>2</strong> / 3 次" in shown and "申请加急审核</button>" in shown
    )
    assert post(client, sub, "speedup").status_code == 303
    [asked] = actions.history(db, setup["id"])
    assert (asked["action"], asked["requested_by"], asked["auditid"]) == (
        actions.SPEEDUP, actions.MERCHANT, 42,
    )  # fmt: skip
    assert db.execute("SELECT count(*) FROM api_calls").fetchone()[0] == 0  # the worker calls
    assert "商户请求加急审核" in st.timeline(db, setup["id"])[-1]["detail"]
    shown = page(client, sub)
    assert "已申请加急，平台正在向微信提交" in shown and "申请加急审核</button>" not in shown
    post(client, sub, "speedup")
    assert len(actions.history(db, setup["id"])) == 1  # one open request at a time


def test_no_speedup_without_a_known_quota_or_with_none_left(client, db, sub, setup):
    shown = page(client, sub)
    assert "暂时不能加急：平台还没有查到本月还能加急几次" in shown
    assert "申请加急审核</button>" not in shown
    post(client, sub, "speedup")
    assert actions.history(db, setup["id"]) == []
    quota.remember(db, Quota(rest=18, limit=20, speedup_rest=0, speedup_limit=3), sub["appid"])
    shown = page(client, sub)
    assert "本月平台的加急次数已用完（共 3 次）" in shown and "无需您操作" in shown
    post(client, sub, "speedup")
    assert actions.history(db, setup["id"]) == []


def test_after_a_rejection_the_four_steps_reopen_and_the_plan_is_shown(client, db, sub, setup):
    shown = page(client, sub)
    assert (
        'action="/s/{}/setup/intro"'.format(sub["public_id"]) not in shown
    )  # closed while audited
    audits.apply(db, setup["id"], audits.REJECTED, "简介与服务不符", (), auto_release=True)
    shown = page(client, sub)
    assert 'action="/s/{}/setup/intro"'.format(sub["public_id"]) in shown
    assert "您还没有修改任何一项" in shown and "同一版本" in shown
    assert "加急审核" not in shown  # only while WeChat audits
    same = post(client, sub, "intro", {"signature": "本店提供餐饮外卖服务"})
    assert st.step(db, setup["id"], st.INTRO)["state"] == st.DONE  # nothing changed
    assert "“简介”没有改动" in client.get(same.location).get_data(as_text=True)
    response = post(client, sub, "intro", {"signature": "本店提供手工面条的外卖服务"})
    assert response.status_code == 303 and response.location.endswith("#step-audit")
    assert st.step(db, setup["id"], st.INTRO)["state"] == st.GIVEN
    assert st.timeline(db, setup["id"])[-1]["detail"] == st.REOPENED
    assert "您已修改：<strong>简介</strong>" in page(client, sub)


def test_an_undo_is_announced_as_a_withdrawal_and_a_rejection_as_failed(db, sub, setup):
    kinds = [t for t in outbox.EVENT_TYPES if t.startswith("miniprogram.audit_")]
    webhooks.create_endpoint(db, Vault(), "https://hooks.example.com/x", kinds)
    assert actions.request(db, setup["id"], actions.UNDO, "staff")
    actions.undone(db, actions.history(db, setup["id"])[0]["id"], "微信已撤回这次审核")
    audits.resubmit(db, setup["id"], "")
    audits.submitted(db, setup["id"], 43)
    audits.apply(db, setup["id"], audits.REJECTED, "内容不完整", (), auto_release=True)
    types = [r[0] for r in db.execute("SELECT type FROM webhook_events ORDER BY id").fetchall()]
    assert types == [
        "miniprogram.audit_withdrawn",
        "miniprogram.audit_submitted",
        "miniprogram.audit_failed",
    ]


def test_staff_see_a_rejections_screenshots_on_the_setup_timeline(client, db, sub, setup):
    accounts.create_user(db, "staff", PASSWORD, "staff")
    audits.apply(db, setup["id"], audits.REJECTED, "内容不完整", ("m1",), auto_release=True)
    want = screenshots.wanted(db, setup["id"])
    screenshots.keep(db, setup["id"], want.auditid, 0, PNG)
    screenshots.record(db, setup["id"], want, [0], {}, False)
    assert login(client, "staff").status_code == 302
    shown = client.get(f"/staff/submissions/{sub['id']}").get_data(as_text=True)
    image = f"/s/{sub['public_id']}/setup/screenshots/42/0"
    assert "审核截图" in shown and f'src="{image}"' in shown
    assert "已取回微信的 1 张问题截图" in shown
    assert client.get(image).mimetype == "image/png"
