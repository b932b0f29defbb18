"""The platform's identity on every merchant page: name, logo, support contact.

A legal person asked to scan their face for a company they do not recognise is right to
be wary: every page says who is registering and how to reach a person. Set with
``PORTAL_PLATFORM_*`` and ``PORTAL_SUPPORT_*``; check-config warns in production when
the name or every support contact is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, send_file, url_for
from flask.typing import ResponseReturnValue

DEFAULT_NAME = "小程序快速注册"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml", ".webp": "image/webp"}  # fmt: skip


@dataclass(frozen=True)
class Brand:
    name: str
    short_name: str
    tagline: str
    logo_url: str
    support_phone: str
    support_wechat: str
    support_hours: str

    @property
    def has_support(self) -> bool:
        return bool(self.support_phone or self.support_wechat)

    @property
    def support_line(self) -> str:
        """客服电话 …、客服微信 …（hours）, or '' when no contact is set."""
        parts = []
        if self.support_phone:
            parts.append(f"客服电话 {self.support_phone}")
        if self.support_wechat:
            parts.append(f"客服微信 {self.support_wechat}")
        hours = f"（{self.support_hours}）" if self.support_hours and parts else ""
        return "、".join(parts) + hours


def from_config(config: Mapping[str, Any], logo_url: str = "") -> Brand:
    name = str(config.get("PLATFORM_NAME") or "").strip()
    return Brand(
        name=name or DEFAULT_NAME,
        short_name=str(config.get("PLATFORM_SHORT_NAME") or "").strip() or name or DEFAULT_NAME,
        tagline=str(config.get("PLATFORM_TAGLINE") or "").strip(),
        logo_url=logo_url,
        support_phone=str(config.get("SUPPORT_PHONE") or "").strip(),
        support_wechat=str(config.get("SUPPORT_WECHAT") or "").strip(),
        support_hours=str(config.get("SUPPORT_HOURS") or "").strip(),
    )


def problems(config: Mapping[str, Any]) -> list[str]:
    """What check-config says about the identity settings (a logo that is not there)."""
    logo = str(config.get("PLATFORM_LOGO") or "")
    if logo and (not Path(logo).is_file() or Path(logo).suffix.lower() not in LOGO_TYPES):
        return [f"PORTAL_PLATFORM_LOGO {logo!r} is not a PNG, JPEG, SVG or WebP file."]
    return []


def warnings(config: Mapping[str, Any]) -> list[str]:
    """Unset identity in production: merchants would not know who is registering them."""
    if config.get("ENV") != "production":
        return []
    out = []
    if not config.get("PLATFORM_NAME"):
        out.append(
            "PORTAL_PLATFORM_NAME is not set: merchant pages and the legal person's "
            "guide cannot say which platform is registering the company."
        )
    if not (config.get("SUPPORT_PHONE") or config.get("SUPPORT_WECHAT")):
        out.append(
            "PORTAL_SUPPORT_PHONE and PORTAL_SUPPORT_WECHAT are not set: merchant pages "
            "show no way to reach a person."
        )
    return out


def logo() -> ResponseReturnValue:
    path = str(current_app.config.get("PLATFORM_LOGO") or "")
    if not path or not Path(path).is_file() or Path(path).suffix.lower() not in LOGO_TYPES:
        abort(404)
    return send_file(path, mimetype=LOGO_TYPES[Path(path).suffix.lower()], max_age=3600)


def init_app(app: Flask) -> None:
    app.add_url_rule("/brand/logo", "brand_logo", logo)

    @app.context_processor
    def inject_brand() -> dict[str, Brand]:
        has_logo = bool(app.config.get("PLATFORM_LOGO"))
        return {"brand": from_config(app.config, url_for("brand_logo") if has_logo else "")}
