"""The category picker and the category step, in-process against the sandbox: the
choices are what an enterprise may add (getcategoriesbytype, verify_type 1) without the
社交 categories that need a UGC declaration; every qualification group needs its own
photo, on the page and at WeChat; a category WeChat will not take (53303 retired, 53302
not for an enterprise) goes back to the merchant with the list fetched again."""

import json

import pytest

from portal.golive import category_rules as rules
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.sandbox.miniprograms import catalog
from portal.tasks import golive_common
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import run_until
from tests.merchant.test_setup import photo, post

setup = pipeline.setup  # the pipeline's fixtures (its fast sandbox: audits end at once)
fast_sandbox = pipeline.fast_sandbox
ALL, BY_TYPE = "cgi-bin.wxopen.getallcategories", "cgi-bin.wxopen.getcategoriesbytype"
ADD = "cgi-bin.wxopen.addcategory"
PHARMACY = (3, 303)  # 药店: two groups, 药品经营许可证 and 互联网药品信息服务资格证书


def category(db, setup_id) -> dict:
    return st.step(db, setup_id, st.CATEGORY)


def choices(db, setup_id) -> dict[int, dict]:
    return {c["second"]: c for c in category(db, setup_id)["result"]["choices"]}


def submission(db, setup) -> dict:
    return subs.get(db, setup["submission_id"])


def sandbox_certicates(sandbox_db, appid, second) -> list[dict]:
    sandbox_db.conn.commit()
    row = sandbox_db.execute(
        "SELECT certicates FROM mp_categories WHERE appid = ? AND second = ?", [appid, second]
    ).fetchone()
    return json.loads(row[0]) if row else []


def test_the_choices_are_an_enterprises_without_ugc_categories(db, setup):
    listed = choices(db, setup["id"])
    assert calls(db, BY_TYPE) == 1 and calls(db, ALL) == 0
    enterprise = {row[0] for row in catalog.SECOND if 1 in catalog.allowed_types(row)}
    assert set(listed) == enterprise - catalog.UGC
    assert 401 not in listed and 1901 not in listed  # government only, overseas only
    assert not catalog.UGC & set(listed)  # 社区/论坛, 笔记, 问答: 85094 at submit_audit
    pharmacy = listed[PHARMACY[1]]
    assert pharmacy["groups"] == [["药品经营许可证"], ["互联网药品信息服务资格证书"]]
    assert listed[101]["groups"] == [["快递业务经营许可证", "道路运输经营许可证"]]


def test_the_page_says_once_why_ugc_categories_are_not_offered(client, db, setup):
    page = client.get(f"/s/{submission(db, setup)['public_id']}/setup").get_data(as_text=True)
    assert page.count(rules.UGC_NOTE) == 1
    assert 'value="12:1201"' not in page and 'value="3:303"' in page


def test_a_two_group_category_needs_a_photo_of_each_and_wechat_approves_it(
    client, db, jobs, wechat_side, setup, sandbox_db
):
    sub = submission(db, setup)
    pair = f"{PHARMACY[0]}:{PHARMACY[1]}"
    one = post(client, sub, "category", {"category": pair}, **{"document-0": photo()})
    page = one.get_data(as_text=True)
    assert one.status_code == 422
    assert "请上传“互联网药品信息服务资格证书”的照片（第 2 项资质）" in page
    assert category(db, setup["id"])["state"] == st.TODO  # nothing stored
    assert 'name="document-1"' in page  # an upload for each group

    both = {"document-0": photo(), "document-1": photo((900, 700))}
    assert post(client, sub, "category", {"category": pair}, **both).status_code == 303
    given = category(db, setup["id"])
    assert given["state"] == st.GIVEN
    assert given["input"]["qualifications"] == ["药品经营许可证", "互联网药品信息服务资格证书"]
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    sent = sandbox_certicates(sandbox_db, setup["appid"], PHARMACY[1])
    assert [c["key"] for c in sent] == ["药品经营许可证", "互联网药品信息服务资格证书"]
    assert calls(db, ADD) == 1


def test_one_certicate_goes_for_each_group(db, jobs, wechat_side, setup, sandbox_db):
    """Photos of both alternatives of one group were kept (an API client sent both):
    WeChat gets one certicate for the group."""
    courier = choices(db, setup["id"])[101]
    names = courier["groups"][0]
    values = {k: courier[k] for k in ("first", "second", "first_name", "second_name")}
    files = [(f"qualification:{n}", "image/jpeg", pipeline.jpeg()) for n in names]
    st.give(db, setup["id"], st.CATEGORY, {**values, "qualifications": names}, files)
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    assert [c["key"] for c in sandbox_certicates(sandbox_db, setup["appid"], 101)] == [names[0]]


STALE = {
    53303: {"first": 10, "first_name": "工具", "second": 1006, "second_name": "企业管理"},
    53302: {"first": 4, "first_name": "政务民生", "second": 401, "second_name": "政务服务"},
}


def offer_stale(db, setup_id, errcode) -> dict:
    """A choice stored earlier that WeChat no longer takes: retired since the list was
    fetched (53303), or listed by getallcategories for every subject (53302)."""
    stale = {**STALE[errcode], "sensitive": False, "groups": [], "qualifications": []}
    listed = [*category(db, setup_id)["result"]["choices"], stale]
    db.execute(
        "UPDATE setup_steps SET result = json_set(result, '$.choices', json(?)) WHERE id = ?",
        [json.dumps(listed, ensure_ascii=False), category(db, setup_id)["id"]],
    )
    db.conn.commit()
    st.give(db, setup_id, st.CATEGORY, {k: stale[k] for k in STALE[errcode]})
    return stale


@pytest.mark.parametrize("errcode", [53303, 53302])
def test_a_category_wechat_refuses_goes_back_to_the_merchant_with_a_fresh_list(
    client, db, jobs, wechat_side, setup, errcode
):
    stale = offer_stale(db, setup["id"], errcode)
    jobs.run_once()
    step = category(db, setup["id"])
    assert (step["state"], step["errcode"]) == (st.NEEDS_MERCHANT, errcode)
    assert "这个类目已被微信调整或不适用于企业主体，请重新选择" in step["reason"]
    assert stale["second"] not in choices(db, setup["id"])  # fetched again
    assert calls(db, BY_TYPE) == 2
    page = client.get(f"/s/{submission(db, setup)['public_id']}/setup").get_data(as_text=True)
    public_id = submission(db, setup)["public_id"]
    assert f'action="/s/{public_id}/setup/category"' in page  # the picker is open again

    plain = next(c for c in choices(db, setup["id"]).values() if not c["groups"])
    st.give(db, setup["id"], st.CATEGORY, {k: plain[k] for k in STALE[errcode]})
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip


def test_a_list_that_cannot_be_fetched_again_is_fetched_by_golive_open(
    db, jobs, setup, monkeypatch
):
    offer_stale(db, setup["id"], 53303)
    fetch = golive_common.choices

    def unreachable(ctx, found):
        monkeypatch.setattr(golive_common, "choices", fetch)  # the next fetch works
        raise golive_common.WeChatError("cgi-bin.wxopen.getcategoriesbytype", -1, "busy")

    monkeypatch.setattr(golive_common, "choices", unreachable)
    jobs.run_once()
    step = category(db, setup["id"])
    assert step["state"] == st.NEEDS_MERCHANT and step["result"]["choices"] is None
    jobs.run_once()  # golive.open: a category step back with the merchant, without choices
    step = category(db, setup["id"])
    assert step["state"] == st.NEEDS_MERCHANT and 1006 not in choices(db, setup["id"])
    assert PHARMACY[1] in choices(db, setup["id"])
