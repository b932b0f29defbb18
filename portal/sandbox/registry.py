"""The sandbox's business registry (工商数据): a few made-up companies to check against.

WeChat compares the four facts with the national registry. The sandbox does the same
for these companies, so a demo or test can meet 101/102/103 by typing, not by magic:
a known code with another company name → 102, with another legal person → 103, a
cancelled company → 101. Codes not listed here pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Company:
    name: str
    legal_person: str
    cancelled: bool = False


COMPANIES = {
    "91440101MA5CWT8Q1H": Company("广州市沙箱餐饮管理有限公司", "王小明"),
    "91440300MA5DRX2K04": Company("深圳市沙箱科技有限公司", "李四"),
    "91330106MA27YQ7L53": Company("杭州沙箱网络有限公司", "赵六", cancelled=True),
}


def check_v2(name: str, code: str) -> int:
    """The errcode the newer create answers for a known company (0: passes)."""
    company = COMPANIES.get(code.upper())
    if company is None:
        return 0
    if company.cancelled:
        return 86021
    return 86022 if company.name != name else 0


def check(name: str, code: str, legal_person: str) -> int | None:
    """The push status the company check ends with, or None when it passes."""
    company = COMPANIES.get(code.replace("-", "").upper())
    if company is None:
        return None
    if company.cancelled:
        return 101
    if company.name != name:
        return 102
    if company.legal_person != legal_person:
        return 103
    return None
