"""Masking of personal data for partner views and logs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the masks are pure; only init_app meets Flask
    from flask import Flask


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the first character only."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def mask_wechat(wechat: str | None) -> str:
    """zhangsan_88 → zh*******88: enough to recognise, not to contact."""
    if not wechat:
        return ""
    if len(wechat) <= 4:
        return wechat[0] + "*" * (len(wechat) - 1)
    return wechat[:2] + "*" * (len(wechat) - 4) + wechat[-2:]


def init_app(app: Flask) -> None:
    app.add_template_filter(mask_name)
    app.add_template_filter(mask_wechat)
