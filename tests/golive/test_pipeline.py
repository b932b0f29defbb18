"""The go-live steps end to end in-process: the worker's go-live kinds against the
sandbox's model, from an authorized submission to a released mini program."""

import io
import time

import pytest
from PIL import Image

from portal.golive import audits, platform
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts


def jpeg(color=(200, 80, 40), size=(300, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def fast_sandbox(sandbox_app):
    sandbox_app.config.update(
        SANDBOX_PRIVACY_SCAN=0, SANDBOX_AUDIT_DELAY=0, SANDBOX_NAME_AUDIT_DELAY=0,
        SANDBOX_CATEGORY_AUDIT_DELAY=0, SANDBOX_ICP_FILED_AFTER=0,
    )  # fmt: skip
    return sandbox_app


def template_id(jobs) -> int:
    ctx = jobs.ctx
    drafts = ctx.call(None, ctx.mp.templates.get_template_draft_list)
    demo = max(drafts, key=lambda d: d.draft_id)
    ctx.call(None, lambda token: ctx.mp.templates.add_to_template(token, demo.draft_id))
    listed = ctx.call(None, ctx.mp.templates.get_template_list)
    return max(t.template_id for t in listed)


@pytest.fixture
def setup(db, jobs, wechat_side, fast_sandbox):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0上线科技有限公司"))
    for _ in range(2):
        jobs.run_once()
        wechat_side()
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert row["state"] == subs.AUTHORIZED
    platform.save(
        db,
        template_id=template_id(jobs),
        template_version="1.0.0",
        privacy_contact={"contact_phone": "020-12345678"},
        privacy_notice_method="弹窗",
        release_policy="auto",
        domain_way="direct",
        # the demo template calls getLocation: WeChat wants it declared (61040 otherwise)
        ext_json_template='{"extAppid": "{appid}", "ext": {"company": "{company}"}, '
        '"requiredPrivateInfos": ["getLocation"]}',
        server_domains={"requestdomain": ("https://api.shop.example.com",)},
        audit_items=({"address": "pages/index/index", "tag": "餐饮 外卖", "title": "首页"},),
    )
    jobs.run_once()  # the setup opens and fetches the categories
    found = st.for_submission(db, sub["id"])
    assert found is not None
    return found


def give_all(db, setup_id, nickname="沙箱上线小店"):
    st.give(db, setup_id, st.NAME, {"nickname": nickname}, [("licence", "image/jpeg", jpeg())])
    st.give(db, setup_id, st.AVATAR, {}, [("avatar", "image/jpeg", jpeg((10, 120, 200)))])
    st.give(db, setup_id, st.INTRO, {"signature": "本店提供餐饮外卖和到店服务"})
    choices = st.step(db, setup_id, st.CATEGORY)["result"]["choices"]
    plain = next(c for c in choices if not c["sensitive"])
    st.give(
        db,
        setup_id,
        st.CATEGORY,
        {k: plain[k] for k in ("first", "second", "first_name", "second_name")},
    )


def run_until(jobs, wechat_side, db, setup_id, done, rounds=40):
    for _ in range(rounds):
        db.execute(
            "UPDATE setup_steps SET due_at = 0 WHERE setup_id = ? AND due_at IS NOT NULL",
            [setup_id],
        )
        db.conn.commit()
        jobs.run_once()
        wechat_side()
        if done():
            return
        time.sleep(0.05)
    raise AssertionError(
        {name: (s["state"], s["phase"], s["reason"]) for name, s in st.steps(db, setup_id).items()}
    )


def test_an_authorized_mini_program_goes_live(db, jobs, wechat_side, setup, sandbox_db, client):
    give_all(db, setup["id"])
    run_until(jobs, wechat_side, db, setup["id"], lambda: st.live(db, setup["id"]))
    steps = st.steps(db, setup["id"])
    assert all(steps[name]["state"] == st.DONE for name in st.STEPS if name != st.TESTERS)
    roles = {f["role"] for f in st.files(db, setup["id"], st.RELEASE)}
    assert {"trial_qr", "wxacode"} <= roles
    audits_at_wechat = sandbox_db.execute("SELECT count(*) FROM audits").fetchone()[0]
    assert audits_at_wechat == 1  # one audit for the version
    public_id = subs.get(db, setup["submission_id"])["public_id"]
    page = client.get(f"/s/{public_id}").get_data(as_text=True)
    assert "小程序已上线" in page and "开始上线设置" not in page  # the saved link tells the truth


def test_a_rejected_audit_asks_the_merchant_then_resubmits(db, jobs, wechat_side, setup):
    give_all(db, setup["id"], nickname="沙箱A1小店")  # the sandbox rejects this audit
    audit = lambda: st.step(db, setup["id"], st.AUDIT)  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], lambda: audit()["state"] == st.NEEDS_MERCHANT)
    assert audit()["reason"] and audit()["result"]["screenshots"]
    assert audits.resubmit(db, setup["id"], "已按要求修改")
    run_until(
        jobs,
        wechat_side,
        db,
        setup["id"],
        lambda: (
            audit()["state"] != st.TODO and st.step(db, setup["id"], st.DEPLOY)["state"] == st.DONE
        ),
    )


def test_testers_are_bound_and_an_unknown_wechat_id_is_the_merchants_to_fix(db, jobs, setup):
    st.give(db, setup["id"], st.TESTERS, {"wechat_ids": ["tester_one", "nosuch_person"]})
    db.execute("UPDATE setup_steps SET due_at = 0 WHERE setup_id = ?", [setup["id"]])
    db.conn.commit()
    jobs.run_once()
    testers = st.step(db, setup["id"], st.TESTERS)
    assert testers["state"] == st.NEEDS_MERCHANT and testers["result"]["bound"] == ["tester_one"]
    st.give(db, setup["id"], st.TESTERS, {"wechat_ids": ["tester_one", "tester_two"]})
    jobs.run_once()
    assert st.step(db, setup["id"], st.TESTERS)["state"] == st.DONE
