"""The sandbox's category tree (服务类目), in the shape of getallcategories (SETUP §2).

Two levels under root 0. A second-level category lists the qualifications it needs
(each inner list: any one of those documents; every group is needed); those are
``sensitive_type`` 1 and go to audit. Flags: ``gov`` (government subjects only), ``org``
(public institutions: government or other organisations), ``overseas`` (overseas
subjects only: never for a fast-registered MP), ``ugc`` (submit_audit then needs
``ugc_declare``), ``retired`` (no longer listed; adding it answers 53303, as 工具-企业管理
did after it moved to 商业服务-企业管理). The ids are the sandbox's own.
"""

from __future__ import annotations

from typing import Any

Q = list[list[str]]
#: verify_type (getcategoriesbytype): 0 personal, 1 enterprise, 2 government, 3 media,
#: 4 other organisation. Fast-registered MPs are enterprises.
VERIFY_TYPES = (0, 1, 2, 3, 4)
ENTERPRISE = 1

FIRST: dict[int, str] = {
    1: "快递业与邮政",
    2: "教育",
    3: "医疗",
    4: "政务民生",
    5: "金融业",
    6: "餐饮",
    7: "旅游",
    8: "生活服务",
    9: "商业服务",
    10: "工具",
    11: "商家自营",
    12: "社交",
    13: "出行与交通",
    14: "体育",
    15: "文娱",
    16: "汽车服务",
    17: "房地产",
    18: "IT科技",
    19: "境外服务",
}
SECOND: list[tuple[int, int, str, Q, str]] = [
    (101, 1, "快递、物流", [["快递业务经营许可证", "道路运输经营许可证"]], ""),
    (102, 1, "邮政", [["邮政企业相关证明"]], "org"),
    (103, 1, "装卸搬运", [], ""),
    (201, 2, "学历教育（学校）", [["办学许可证", "事业单位法人证书"]], ""),
    (202, 2, "培训机构", [], ""),
    (203, 2, "教育信息服务", [], ""),
    (204, 2, "在线教育", [["互联网文化经营许可证", "办学许可证"]], ""),
    (205, 2, "公立学校", [["事业单位法人证书"]], "org"),
    (301, 3, "公立医疗机构", [["医疗机构执业许可证"]], "org"),
    (302, 3, "私立医疗机构", [["医疗机构执业许可证"]], ""),
    (303, 3, "药店", [["药品经营许可证"], ["互联网药品信息服务资格证书"]], ""),
    (304, 3, "医疗器械", [["医疗器械经营许可证", "第二类医疗器械经营备案凭证"]], ""),
    (305, 3, "健康管理", [], ""),
    (401, 4, "政务服务", [], "gov"),
    (402, 4, "公共事业", [["相关主管部门证明"]], "org"),
    (403, 4, "生活缴费", [], ""),
    (501, 5, "银行", [["金融许可证"]], ""),
    (502, 5, "保险", [["经营保险业务许可证", "保险代理业务许可证"]], ""),
    (503, 5, "证券、期货", [["经营证券期货业务许可证"]], ""),
    (504, 5, "金融信息服务", [], ""),
    (601, 6, "餐饮服务场所/餐饮服务管理企业", [["食品经营许可证"]], ""),
    (602, 6, "点评与推荐", [], ""),
    (603, 6, "菜谱", [], ""),
    (604, 6, "外卖平台", [["食品经营许可证", "网络食品交易第三方平台备案凭证"]], ""),
    (701, 7, "旅游线路", [["旅行社业务经营许可证"]], ""),
    (702, 7, "景区服务", [], ""),
    (703, 7, "住宿服务", [], ""),
    (704, 7, "出境游", [["旅行社业务经营许可证（出境旅游业务）"]], ""),
    (801, 8, "家政服务", [], ""),
    (802, 8, "婚庆服务", [], ""),
    (803, 8, "丽人", [], ""),
    (804, 8, "宠物（非医院类）", [], ""),
    (805, 8, "宠物医院/兽医", [["动物诊疗许可证"]], ""),
    (806, 8, "洗浴保健", [], ""),
    (807, 8, "票务", [], ""),
    (901, 9, "企业管理", [], ""),
    (902, 9, "会展服务", [], ""),
    (903, 9, "法律服务", [["律师事务所执业许可证", "司法鉴定许可证"]], ""),
    (904, 9, "广告/设计", [], ""),
    (905, 9, "人力资源服务", [["人力资源服务许可证"]], ""),
    (1001, 10, "信息查询", [], ""),
    (1002, 10, "办公", [], ""),
    (1003, 10, "效率", [], ""),
    (1004, 10, "天气", [], ""),
    (1005, 10, "计算类", [], ""),
    (1006, 10, "企业管理", [], "retired"),
    (1101, 11, "服装/鞋/箱包", [], ""),
    (1102, 11, "食品", [["食品经营许可证", "食品生产许可证"]], ""),
    (1103, 11, "美妆/洗护", [], ""),
    (1104, 11, "家居家纺", [], ""),
    (1105, 11, "数码家电", [], ""),
    (1106, 11, "酒/盐", [["酒类流通备案登记表", "食盐定点批发企业证书"]], ""),
    (1201, 12, "社区/论坛", [], "ugc"),
    (1202, 12, "笔记", [], "ugc"),
    (1203, 12, "问答", [], "ugc"),
    (1204, 12, "直播", [["网络文化经营许可证"]], ""),
    (1301, 13, "出租车", [["网络预约出租汽车经营许可证"]], ""),
    (1302, 13, "共享单车", [], ""),
    (1303, 13, "停车", [], ""),
    (1304, 13, "加油/充电", [], ""),
    (1401, 14, "体育场馆服务", [], ""),
    (1402, 14, "在线健身", [], ""),
    (1501, 15, "资讯", [["互联网新闻信息服务许可证"]], ""),
    (1502, 15, "小说", [["网络出版服务许可证"]], ""),
    (1503, 15, "视频", [["信息网络传播视听节目许可证"]], ""),
    (1504, 15, "音乐", [], ""),
    (1601, 16, "汽车养护", [], ""),
    (1602, 16, "汽车经销商/4S店", [], ""),
    (1603, 16, "二手车", [["二手车交易市场经营者备案证明"]], ""),
    (1701, 17, "房地产开发商", [], ""),
    (1702, 17, "房产中介", [], ""),
    (1801, 18, "软件服务提供商", [], ""),
    (1802, 18, "硬件与设备", [], ""),
    (1901, 19, "境外生活服务", [], "overseas"),
    (1902, 19, "境外商品", [], "overseas"),
]
BY_ID: dict[int, tuple[int, int, str, Q, str]] = {row[0]: row for row in SECOND}
UGC = {row[0] for row in SECOND if row[4] == "ugc"}


def allowed_types(row: tuple[int, int, str, Q, str]) -> tuple[int, ...]:
    """The subject types (verify_type) that may set a second-level category."""
    flags, sensitive = row[4], bool(row[3])
    if flags == "gov":
        return (2,)
    if flags == "org":
        return (2, 4)
    if flags in ("overseas", "retired"):
        return ()
    return (1, 2, 3, 4) if sensitive else VERIFY_TYPES


def _qualify(groups: Q) -> dict[str, Any]:
    exter = [{"inner_list": [{"name": name, "url": ""} for name in group]} for group in groups]
    remark = "请上传以下资质的清晰照片（每组任选其一）" if groups else ""
    return {"exter_list": exter, "remark": remark}


def tree(verify_type: int | None = None) -> list[dict[str, Any]]:
    """The list getallcategories answers (every listed category) or, for a verify_type,
    the ones that subject type may set (getcategoriesbytype)."""
    rows = [r for r in SECOND if r[4] != "retired"]
    if verify_type is not None:
        rows = [r for r in rows if verify_type in allowed_types(r)]
    firsts = [f for f in FIRST if any(r[1] == f for r in rows)]
    nodes: list[dict[str, Any]] = [
        {"id": 0, "name": "", "level": 0, "father": -1, "children": firsts, "sensitive_type": 0}
    ]
    for first in firsts:
        children = [r[0] for r in rows if r[1] == first]
        nodes.append(
            {"id": first, "name": FIRST[first], "level": 1, "father": 0, "children": children}
        )
        nodes[-1].update(sensitive_type=0, qualify=_qualify([]))
    for second, father, name, groups, _flags in rows:
        node = {"id": second, "name": name, "level": 2, "father": father, "children": []}
        node.update(sensitive_type=1 if groups else 0, qualify=_qualify(groups))
        nodes.append(node)
    return nodes


def names(first: int, second: int) -> tuple[str, str]:
    return FIRST.get(first, ""), BY_ID[second][2] if second in BY_ID else ""
