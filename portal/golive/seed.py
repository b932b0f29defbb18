"""A ready operator's setup for the sandbox (``make demo``, benchmarks): the sandbox's
demo template added to the library and chosen, domains set directly, privacy defaults,
one audit page and automatic release. Never used against WeChat's own host."""

from __future__ import annotations

import sqlite_utils

from portal.golive import platform

#: The sandbox's demo draft: four pages, Location/PhoneNumber/Album, calls getLocation.
DEMO_DRAFT = 2
DEMO_EXT_JSON = (
    '{"extAppid": "{appid}", "ext": {"company": "{company}", "name": "{nickname}"}, '
    '"requiredPrivateInfos": ["getLocation"]}'
)


def ask(db: sqlite_utils.Database) -> None:
    """Ask the worker to add the demo draft to the template library and fetch the list."""
    if platform.get(db).template_id is None:
        platform.request(db, platform.ADD_DRAFT, str(DEMO_DRAFT), by="demo")
        platform.request(db, platform.TEMPLATES, by="demo")


def finish(db: sqlite_utils.Database, support_phone: str) -> bool:
    """Choose the fetched demo template and save the rest; False until it was fetched."""
    if platform.get(db).template_id is not None:
        return True
    listed = [t for t in platform.templates(db) if str(t.get("draft_id")) == str(DEMO_DRAFT)]
    if not listed:
        return False
    platform.save(
        db,
        template_id=listed[0]["template_id"],
        ext_json_template=DEMO_EXT_JSON,
        domain_way="direct",
        server_domains={"requestdomain": ("https://api.demo-shop.example.com",)},
        privacy_contact={"contact_phone": support_phone or "400-000-0000"},
        privacy_notice_method="弹窗",
        privacy_purposes={
            "Location": "展示离你最近的门店",
            "PhoneNumber": "联系你确认订单",
            "Album": "上传评价图片",
        },
        audit_items=({"address": "pages/index/index", "tag": "门店 点单", "title": "首页"},),
        release_policy="auto",
    )
    return True
