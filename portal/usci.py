"""The structure of a unified social credit code (统一社会信用代码) beyond its check character.

GB 32100-2015《法人和其他组织统一社会信用代码编码规则》§4: position 1 is the register
authority (登记管理部门代码), 2 the organisation type (机构类别代码) within it, 3–8 the
issuing registry's division (登记管理机关行政区划码, GB/T 2260), 9–17 the organisation
code (GB 11714), 18 the check character. ``static/js/validation.js`` mirrors this module.

How sure each finding is (a real code must never be blocked):
- the check character catches every single mistyped character and every swap of two
  neighbours (weights mod 31 are distinct and non-zero), so a structural problem in a
  code whose check character holds is two mistakes or a made-up code;
- an authority outside the table, or a division that is no province's, exists on no
  licence: an error;
- an organisation type the table does not list is only a question: the table is kept by
  the code centre outside the standard and has grown (A and N came after 2015);
- a division missing from our list under a known province is only a question too (a
  division created after the list's date, or one we lack).
"""

from __future__ import annotations

from portal import divisions

#: GB 32100-2015 §4.1–4.2 and 表1, with the codes the 全国组织机构统一社会信用代码数据服务中心
#: assigned since (A 中央军委改革和编制办公室, N 农业): authority → (name, {type: name}).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                       "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
                   "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管（工商）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}  # fmt: skip


def problems(code: str) -> tuple[str | None, str | None]:
    """(error, question) about positions 1–8 of an 18-character code in the USCI alphabet."""
    authority, kind, division = code[0], code[1], code[2:8]
    if authority not in AUTHORITIES:
        return (
            f"第 1 位“{authority}”不是登记管理部门代码（只有 1–9、A、N、Y，企业和个体工商户是 9）"
        ), None
    if not division.isdigit():
        letters = "、".join(sorted({c for c in division if not c.isdigit()}))
        return f"第 3–8 位是登记机关的行政区划代码，只有数字，这里有字母 {letters}", None
    if not divisions.province_known(division):
        return f"第 3–8 位“{division}”不是行政区划代码（前两位应为省份代码，如广东 44）", None
    name, kinds = AUTHORITIES[authority]
    if kind not in kinds:
        listed = "、".join(f"{k} {v}" for k, v in kinds.items())
        return None, (
            f"第 2 位“{kind}”不是{name}部门登记的机构类别（第 1 位是 {authority}，"
            f"第 2 位应为 {listed}）"
        )
    if not divisions.known(division):
        return None, f"第 3–8 位“{division}”不在现行和历年的行政区划代码里"
    return None, None
