"""退回商户修改: staff give a held go-live step back to the merchant with a reason
(portal/staff/golive.py). A held deploy (85094 on submit_audit: the category needs a UGC
declaration the portal does not make) gives any merchant step back and waits for it; a
held merchant step gives itself back. Bad input, a missing CSRF token and other roles
change nothing."""

from types import SimpleNamespace

import pytest

from portal import accounts
from portal.golive import outcomes, reopen
from portal.golive import steps as st
from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks import golive_open
from portal.wechat.client import WeChatError
from tests.consoles.conftest import PASSWORD, csrf_from, login
from tests.registration.facts import facts

APPID = "wx5a5b5c5d5e5f5a5b"
UGC = {"first": 7, "first_name": "社交", "second": 703, "second_name": "笔记"}
CHOICES = [
    {**UGC, "sensitive": False, "groups": [], "qualifications": []},
    {"first": 8, "first_name": "生活服务", "second": 801, "second_name": "家政服务",
     "sensitive": False, "groups": [], "qualifications": []},
]  # fmt: skip
INPUTS = {
    st.NAME: {"nickname": "沙箱退回小店"},
    st.AVATAR: {},
    st.INTRO: {"signature": "沙箱退回小店的简介"},
    st.CATEGORY: UGC,
}
REASON = "所选类目“笔记”需要声明用户生成内容，请改选其他类目后重新保存。"
STAFF_NAME = "kefu_wang"  # never on a merchant page


@pytest.fixture
def sub(db, people):
    accounts.create_user(db, STAFF_NAME, PASSWORD, "staff")
    made, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱退回科技有限公司"))
    subs.transition(db, made["id"], subs.AUTHORIZED, "", expect=[subs.QUEUED], appid=APPID)
    return subs.get(db, made["id"])


@pytest.fixture
def setup(db, sub):
    found = st.open_setup(db, sub["id"], APPID)
    outcomes.progress(db, found["id"], st.CATEGORY, "choices", {"choices": CHOICES}, "")
    return found


def _hold(db, setup_id: int, name: str, endpoint: str, errcode: int) -> None:
    refused = WeChatError(endpoint, errcode, "refused")
    outcomes.failed_try(db, setup_id, name, retry.OPERATOR, refused, 0)
    assert st.step(db, setup_id, name)["state"] == st.HELD


@pytest.fixture
def held_deploy(db, setup):
    """The four steps done, then submit_audit answered 85094: the deploy held for staff."""
    for name in st.MERCHANT_STEPS:
        st.give(db, setup["id"], name, INPUTS[name])
        outcomes.done(db, setup["id"], name, {}, "已设置")
    assert st.step(db, setup["id"], st.DEPLOY)["state"] == st.GIVEN
    outcomes.working(db, setup["id"], st.DEPLOY, 60.0, "submit")
    _hold(db, setup["id"], st.DEPLOY, "wxa.submit_audit", 85094)
    return setup


def url(setup) -> str:
    return f"/staff/submissions/{setup['submission_id']}"


def as_staff(client) -> str:
    """Log in as a staff member; the CSRF token of the submission page's forms."""
    assert login(client, STAFF_NAME).status_code == 302
    return csrf_from(client.get("/staff/").get_data(as_text=True))


def give_back(client, setup, token, step=st.CATEGORY, reason=REASON, follow=False):
    data = {"csrf_token": token, "step": step, "reason": reason}
    return client.post(url(setup) + "/golive/give-back", data=data, follow_redirects=follow)


def snapshot(db, setup_id: int):
    """Everything a refused give-back must leave as it was."""
    rows = st.steps(db, setup_id)
    kept = {n: (r["state"], r["reason"], r["result"], r["updated_at"]) for n, r in rows.items()}
    events = db.execute("SELECT count(*) FROM setup_events").fetchone()[0]
    logged = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'give back golive step'"
    ).fetchone()[0]
    return kept, events, logged


def details(db, setup_id: int) -> list[str]:
    return [event["detail"] for event in st.timeline(db, setup_id)]


def test_staff_give_the_category_of_a_held_85094_deploy_back(client, db, sub, held_deploy):
    token = as_staff(client)
    page = client.get(url(held_deploy)).get_data(as_text=True)
    form = page[page.index('id="give-back"') :]
    assert "退回商户修改" in form and 'action="' + url(held_deploy) + '/golive/give-back"' in form
    for title in ("名称", "头像", "简介"):
        assert f">{title}</option>" in form
    assert '<option selected value="category">类目</option>' in form

    answer = give_back(client, held_deploy, token)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#golive")
    category = st.step(db, held_deploy["id"], st.CATEGORY)
    assert category["state"] == st.NEEDS_MERCHANT
    assert category["reason"] == f"平台客服：{REASON}" and category["errcode"] is None
    assert category["result"]["choices"] is None  # golive.open fetches a fresh list
    assert golive_open.due(SimpleNamespace(db=db), 2e9) == [{"setup_id": held_deploy["id"]}]
    deploy = st.step(db, held_deploy["id"], st.DEPLOY)
    assert (deploy["state"], deploy["phase"], deploy["errcode"]) == (st.TODO, "submit", None)
    assert "平台客服已退回，请商户修改后重新保存" in details(db, held_deploy["id"])
    assert reopen.waiting_line(st.CATEGORY) in details(db, held_deploy["id"])
    logged = db.execute(
        "SELECT username, target, detail FROM audit_log WHERE action = 'give back golive step'"
    ).fetchall()
    assert logged == [(STAFF_NAME, f"submission {sub['id']}", f"category：{REASON}")]

    after = client.get(url(held_deploy)).get_data(as_text=True)
    assert "已把“类目”退回商户修改" in after
    assert 'id="give-back"' not in after  # nothing is held any more

    merchant = client.get(f"/s/{sub['public_id']}/setup").get_data(as_text=True)
    assert "平台客服退回了这一步" in merchant and REASON in merchant
    assert "平台客服已退回，请商户修改后重新保存" in merchant  # the timeline line
    assert STAFF_NAME not in merchant

    # the merchant's new pick set again: the deploy goes on by itself
    st.give(db, held_deploy["id"], st.CATEGORY, {k: CHOICES[1][k] for k in UGC})
    outcomes.done(db, held_deploy["id"], st.CATEGORY, {}, "类目已通过")
    deploy = st.step(db, held_deploy["id"], st.DEPLOY)
    assert (deploy["state"], deploy["phase"]) == (st.GIVEN, "submit")
    assert deploy["due_at"] is not None


def test_staff_give_the_name_back_from_a_held_deploy(client, db, sub, held_deploy):
    token = as_staff(client)
    assert give_back(client, held_deploy, token, st.NAME, "名称含有品牌词，请换一个名称。")
    name = st.step(db, held_deploy["id"], st.NAME)
    assert name["state"] == st.NEEDS_MERCHANT and name["reason"].endswith("请换一个名称。")
    assert st.step(db, held_deploy["id"], st.CATEGORY)["state"] == st.DONE
    assert st.step(db, held_deploy["id"], st.CATEGORY)["result"]["choices"] == CHOICES
    assert st.step(db, held_deploy["id"], st.DEPLOY)["state"] == st.TODO


def test_a_held_merchant_step_is_given_back_itself(client, db, setup):
    st.give(db, setup["id"], st.INTRO, INPUTS[st.INTRO])
    _hold(db, setup["id"], st.INTRO, "wxa.modifysignature", 61007)
    token = as_staff(client)
    form = client.get(url(setup)).get_data(as_text=True)
    form = form[form.index('id="give-back"') :]
    assert '<option value="intro">简介</option>' in form and ">类目</option>" not in form

    before = snapshot(db, setup["id"])
    refused = give_back(client, setup, token, st.CATEGORY, follow=True)  # not held: no
    assert "这一步现在不能退回" in refused.get_data(as_text=True)
    assert snapshot(db, setup["id"]) == before

    done = give_back(client, setup, token, st.INTRO, "简介里有联系方式，请删去后重新保存。", True)
    assert "已把“简介”退回商户修改" in done.get_data(as_text=True)
    intro = st.step(db, setup["id"], st.INTRO)
    assert intro["state"] == st.NEEDS_MERCHANT and intro["reason"].startswith("平台客服：")
    assert st.step(db, setup["id"], st.DEPLOY)["state"] == st.TODO
    assert reopen.waiting_line(st.INTRO) not in details(db, setup["id"])  # no deploy line


def test_nothing_to_give_back_without_a_held_step(client, db, setup):
    token = as_staff(client)
    assert 'id="give-back"' not in client.get(url(setup)).get_data(as_text=True)
    before = snapshot(db, setup["id"])
    refused = give_back(client, setup, token, follow=True)
    assert "这一步现在不能退回" in refused.get_data(as_text=True)
    assert snapshot(db, setup["id"]) == before


@pytest.mark.parametrize(
    ("step", "reason", "said"),
    [
        (st.CATEGORY, "", "请填写退回原因"),
        (st.CATEGORY, "   ", "请填写退回原因"),
        (st.CATEGORY, "改类目", "4 到 200 个字"),
        (st.CATEGORY, "改" * 201, "4 到 200 个字"),
        (st.CATEGORY, "请改选类目\u0000。", "控制字符"),
        ("", REASON, "请选择要退回的步骤"),
        ("deploy", REASON, "只能退回名称、头像、简介或类目"),
        ("nonsense", REASON, "只能退回名称、头像、简介或类目"),
    ],
)
def test_bad_input_changes_nothing(client, db, held_deploy, step, reason, said):
    token = as_staff(client)
    before = snapshot(db, held_deploy["id"])
    answer = give_back(client, held_deploy, token, step, reason, follow=True)
    assert said in answer.get_data(as_text=True)
    assert snapshot(db, held_deploy["id"]) == before


def test_without_csrf_nothing_changes(client, db, held_deploy):
    as_staff(client)
    before = snapshot(db, held_deploy["id"])
    data = {"step": st.CATEGORY, "reason": REASON}
    assert client.post(url(held_deploy) + "/golive/give-back", data=data).status_code == 400
    assert snapshot(db, held_deploy["id"]) == before


def test_a_partner_or_a_merchant_cannot_give_back(client, db, as_role, sub, held_deploy):
    before = snapshot(db, held_deploy["id"])
    merchant = csrf_from(client.get(f"/s/{sub['public_id']}/setup").get_data(as_text=True))
    anonymous = give_back(client, held_deploy, merchant)  # the merchant has no login
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    as_role("partner_a")
    token = csrf_from(client.get("/partner/").get_data(as_text=True))
    assert give_back(client, held_deploy, token).status_code == 403
    assert snapshot(db, held_deploy["id"]) == before


def test_admins_may_give_back_too(client, db, as_role, held_deploy):
    as_role("admin")
    token = csrf_from(client.get(url(held_deploy)).get_data(as_text=True))
    assert give_back(client, held_deploy, token).status_code == 302
    assert st.step(db, held_deploy["id"], st.CATEGORY)["state"] == st.NEEDS_MERCHANT


def test_a_submit_never_answered_is_looked_for_after_a_give_back(client, db, sub, setup):
    """Held while a submit_audit went unanswered (``submit_started`` set): giving a step
    back keeps the mark, so the deploy asks WeChat for that audit before sending another."""
    for name in st.MERCHANT_STEPS:
        st.give(db, setup["id"], name, INPUTS[name])
        outcomes.done(db, setup["id"], name, {}, "已设置")
    outcomes.working(db, setup["id"], st.DEPLOY, 60.0, "submit")
    outcomes.progress(db, setup["id"], st.DEPLOY, "submit", {"submit_started": 1234.5}, "")
    _hold(db, setup["id"], st.DEPLOY, "wxa.get_latest_auditstatus", 40001)
    give_back(client, setup, as_staff(client))
    deploy = st.step(db, setup["id"], st.DEPLOY)
    assert deploy["state"] == st.TODO and deploy["result"]["submit_started"] == 1234.5
