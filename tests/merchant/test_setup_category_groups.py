"""A category's qualification groups on the checklist (no WeChat): every group needs a
photo, a group's documents are alternatives the merchant names with a select, and the
rules read choices stored with only a flat list as one group."""

import pytest

from portal.golive import rules
from portal.golive import steps as st
from tests.merchant.test_setup import authorized, photo, post, setup_of, url, with_choices

PHARMACY = {"first": 3, "first_name": "医疗", "second": 303, "second_name": "药店",
            "sensitive": True, "groups": [["药品经营许可证"], ["互联网药品信息服务资格证书"]],
            "qualifications": ["药品经营许可证", "互联网药品信息服务资格证书"]}  # fmt: skip
COURIER = {"first": 1, "first_name": "快递业与邮政", "second": 101, "second_name": "快递、物流",
           "sensitive": True, "groups": [["快递业务经营许可证", "道路运输经营许可证"]],
           "qualifications": ["快递业务经营许可证", "道路运输经营许可证"]}  # fmt: skip
OLD = {"first": 6, "first_name": "餐饮", "second": 604, "second_name": "外卖平台", "sensitive": True,
       "qualifications": ["食品经营许可证", "网络食品交易第三方平台备案凭证"]}  # fmt: skip


@pytest.fixture
def sub(db):
    return authorized(db)


def test_groups_are_read_from_new_and_old_choices():
    assert rules.document_groups(PHARMACY) == PHARMACY["groups"]
    assert rules.document_groups(OLD) == [OLD["qualifications"]]  # flat: one group
    assert rules.document_groups({"groups": [[], ["甲", "甲", 3]], "qualifications": ["乙"]}) == [
        ["甲"]
    ]
    assert rules.needed_documents(PHARMACY) == PHARMACY["qualifications"]
    assert rules.document_groups(None) == [] and rules.needed_documents({}) == []


def test_each_group_needs_one_photo():
    assert rules.missing_documents(PHARMACY, ["药品经营许可证"]) == (
        "“药店”需要 2 项资质，每项一张照片："
        "请上传“互联网药品信息服务资格证书”的照片（第 2 项资质）。"
    )
    both = ["药品经营许可证", "互联网药品信息服务资格证书"]
    assert rules.missing_documents(PHARMACY, both) is None
    assert rules.missing_documents(COURIER, ["道路运输经营许可证"]) is None
    assert rules.missing_documents(COURIER, []) == (
        "“快递、物流”需要资质照片：请上传“快递业务经营许可证”或“道路运输经营许可证”的照片。"
    )
    assert rules.missing_documents(OLD, ["网络食品交易第三方平台备案凭证"]) is None


def test_one_document_is_chosen_per_group():
    have = ["快递业务经营许可证", "道路运输经营许可证"]
    assert rules.chosen_documents(COURIER, have) == ["快递业务经营许可证"]
    assert rules.chosen_documents(COURIER, have, ["道路运输经营许可证"]) == ["道路运输经营许可证"]
    assert rules.chosen_documents(PHARMACY, ["互联网药品信息服务资格证书"]) == [
        "互联网药品信息服务资格证书"
    ]


def test_ugc_categories_are_named_by_their_names():
    assert rules.needs_ugc_declaration("社交", "笔记")
    assert not rules.needs_ugc_declaration("社交", "直播")


def test_the_page_offers_one_upload_per_group(client, db, sub):
    with_choices(db, sub, [PHARMACY, COURIER])
    page = post(client, sub, "category", {"category": "3:303"}).get_data(as_text=True)
    assert 'name="document-0"' in page and 'name="document-1"' in page
    assert 'name="document-2"' not in page and "需要 2 项资质，每项上传一张照片" in page
    assert "第 1 项资质）" in page and "（第 2 项资质）" in page


def test_an_alternative_is_named_with_its_select(client, db, sub):
    setup = with_choices(db, sub, [PHARMACY, COURIER])
    page = post(client, sub, "category", {"category": "1:101"}).get_data(as_text=True)
    assert 'name="document-0-kind"' in page and 'name="document-1"' not in page
    wrong = {"category": "1:101", "document-0-kind": "营业执照"}
    refused = post(client, sub, "category", wrong, **{"document-0": photo()})
    assert refused.status_code == 422
    assert "请选择这张照片是快递业务经营许可证还是道路运输经营许可证" in refused.get_data(
        as_text=True
    )
    assert st.files(db, setup["id"], st.CATEGORY) == []
    right = {"category": "1:101", "document-0-kind": "道路运输经营许可证"}
    assert post(client, sub, "category", right, **{"document-0": photo()}).status_code == 303
    step = st.step(db, setup["id"], st.CATEGORY)
    assert step["input"]["qualifications"] == ["道路运输经营许可证"]
    [kept] = st.files(db, setup["id"], st.CATEGORY)
    assert kept["role"] == "qualification:道路运输经营许可证"
    page = client.get(url(sub)).get_data(as_text=True)
    assert "✓ 已上传“道路运输经营许可证”" in page


def test_a_stored_photo_counts_for_its_group(client, db, sub):
    """The first group's permit is kept from an earlier save: the second's photo is enough."""
    setup = with_choices(db, sub, [PHARMACY, COURIER])
    st.give_file(
        db, setup["id"], st.CATEGORY, "qualification:药品经营许可证", "image/jpeg", photo()
    )
    response = post(client, sub, "category", {"category": "3:303"}, **{"document-1": photo()})
    assert response.status_code == 303
    step = st.step(db, setup_of(db, sub)["id"], st.CATEGORY)
    assert step["input"]["qualifications"] == ["药品经营许可证", "互联网药品信息服务资格证书"]
