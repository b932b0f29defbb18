"""Categories: the tree, the categories set and the shape submit_audit needs."""

from __future__ import annotations

from portal.wechat.miniprogram.audit import AuditItem
from portal.wechat.miniprogram.categories import (
    AuditCategory,
    CategoryNode,
    Qualify,
    QualifyItem,
    SetCategories,
    SetCategory,
)
from tests.wechat.miniprogram.fake import A_TOKEN, Fake

TREE = {
    "errcode": 0,
    "errmsg": "ok",
    "categories_list": {
        "categories": [
            {"id": 0, "name": "", "level": 0, "father": 0, "children": [304], "sensitive_type": 0},
            {
                "id": 304,
                "name": "餐饮服务",
                "level": 1,
                "father": 0,
                "children": [309, 310],
                "sensitive_type": 0,
                "qualify": {"exter_list": [], "remark": ""},
            },
            {
                "id": 309,
                "name": "点餐平台",
                "level": 2,
                "father": 304,
                "children": [],
                "sensitive_type": 1,
                "qualify": {
                    "exter_list": [
                        {
                            "inner_list": [
                                {"name": "食品经营许可证", "url": "https://mp.weixin.qq.com/q1"}
                            ]
                        },
                        {"inner_list": [{"name": "餐饮服务许可证", "url": ""}]},
                    ],
                    "remark": "二选一",
                },
            },
        ]
    },
}


def test_the_category_tree_reads_every_node_and_its_qualifications():
    nodes = Fake(TREE).mp.categories.get_all_categories(A_TOKEN)
    assert [node.id for node in nodes] == [0, 304, 309]
    assert nodes[1] == CategoryNode(304, "餐饮服务", 1, 0, (309, 310), 0, Qualify((), ""))
    assert nodes[2].sensitive_type == 1 and nodes[2].qualify == Qualify(
        (
            (QualifyItem("食品经营许可证", "https://mp.weixin.qq.com/q1"),),
            (QualifyItem("餐饮服务许可证", ""),),
        ),
        "二选一",
    )


def test_the_tree_by_subject_type_has_the_same_shape():
    nodes = Fake(TREE).mp.categories.get_categories_by_type(A_TOKEN, 1)
    assert [node.name for node in nodes] == ["", "餐饮服务", "点餐平台"]


def test_the_categories_set_read_their_audit_state_and_the_quotas():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "categories": [
            {
                "first": 304,
                "first_name": "餐饮服务",
                "second": 309,
                "second_name": "点餐平台",
                "audit_status": 2,
                "audit_reason": "资质不清晰",
            },
            {"first": 7, "first_name": "工具", "second": 8, "second_name": "信息查询"},
        ],
        "limit": 5,
        "quota": 3,
        "category_limit": 20,
    }
    assert Fake(answer).mp.categories.get_category(A_TOKEN) == SetCategories(
        categories=(
            SetCategory(304, "餐饮服务", 309, "点餐平台", 2, "资质不清晰"),
            SetCategory(7, "工具", 8, "信息查询", None, ""),
        ),
        limit=5,
        quota=3,
        category_limit=20,
    )


def test_the_audit_categories_feed_submit_audit_items():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "category_list": [
            {
                "first_class": "餐饮服务",
                "second_class": "点餐平台",
                "first_id": 304,
                "second_id": 309,
            },
            {
                "first_class": "工具",
                "second_class": "信息查询",
                "third_class": "天气",
                "first_id": 7,
                "second_id": 8,
                "third_id": 9,
            },
        ],
    }
    found = Fake(answer).mp.categories.get_audit_category(A_TOKEN)
    assert found[0] == AuditCategory("餐饮服务", "点餐平台", "", 304, 309, None)
    assert found[1].third_class == "天气" and found[1].third_id == 9
    item = AuditItem.of(found[0], address="pages/index/index", tag="点餐", title="首页")
    assert item.body() == {
        "address": "pages/index/index",
        "tag": "点餐",
        "title": "首页",
        "first_class": "餐饮服务",
        "second_class": "点餐平台",
        "first_id": 304,
        "second_id": 309,
    }
