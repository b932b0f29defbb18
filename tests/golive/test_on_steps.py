"""portal.golive.steps.on_steps: the row of the step each asked-for submission is on,
for a partner's merchant list; nothing of a submission that was not asked for."""

import pytest

from portal import accounts
from portal.golive import actions, outcomes
from portal.golive import steps as st
from portal.registration import reports
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts


def _merchant(db, partner_id, name, appid):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), partner_id=partner_id)
    return sub, st.open_setup(db, sub["id"], appid)


@pytest.fixture
def two_partners(db):
    """Partners A and B, each a merchant whose name step WeChat refused; A one more
    merchant without a mini program."""
    a = accounts.create_partner(db, "甲代理")
    b = accounts.create_partner(db, "乙代理")
    sub_a, setup_a = _merchant(db, a, "甲客户科技有限公司", "wx" + "a" * 16)
    sub_b, setup_b = _merchant(db, b, "乙客户科技有限公司", "wx" + "b" * 16)
    outcomes.needs_merchant(db, setup_a["id"], st.NAME, 91001, "请补充商标证明", "名称需证明")
    outcomes.needs_merchant(db, setup_b["id"], st.NAME, 91002, "乙的原因", "名称需证明")
    plain, _ = subs.submit(db, FLAVORS["classic"], facts("甲未上线科技有限公司"), partner_id=a)
    return {"a": a, "b": b, "sub_a": sub_a, "sub_b": sub_b, "plain": plain}


def test_a_partner_gets_only_their_own_merchants_steps(db, two_partners):
    found, _ = reports.partner_merchants(db, two_partners["a"])
    ids = {sub["id"] for sub in found}
    assert ids == {two_partners["sub_a"]["id"], two_partners["plain"]["id"]}
    wanted = {i: g["step"] for i, g in actions.standing(db, ids).items()}
    rows = st.on_steps(db, wanted)
    sub_a = two_partners["sub_a"]["id"]
    assert list(rows) == [sub_a]  # not B's merchant, nor the one without a setup
    assert {k: rows[sub_a][k] for k in ("submission_id", "step", "state", "errcode", "reason")} == {
        "submission_id": sub_a,
        "step": st.NAME,
        "state": st.NEEDS_MERCHANT,
        "errcode": 91001,
        "reason": "请补充商标证明",
    }


def test_each_submission_gives_the_step_asked_for(db, two_partners):
    sub_a, sub_b = two_partners["sub_a"]["id"], two_partners["sub_b"]["id"]
    rows = st.on_steps(db, {sub_a: st.AVATAR, sub_b: st.NAME})
    assert rows[sub_a]["step"] == st.AVATAR and rows[sub_a]["state"] == st.TODO
    assert rows[sub_b]["step"] == st.NAME and rows[sub_b]["reason"] == "乙的原因"
    assert st.on_steps(db, {two_partners["plain"]["id"]: st.NAME}) == {}
    assert st.on_steps(db, {}) == {}
