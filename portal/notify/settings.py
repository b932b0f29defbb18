"""The ``PORTAL_SMS_*`` settings: defaults, the provider in use and why, and what
check-config says (problems, warnings, and each template's text to submit to Tencent).

The SecretId and SecretKey come from the environment file (mode 640, docs/operations.md)
and are never logged, printed or stored: check-config says only whether they are set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from portal.notify import moments
from portal.notify.phones import e164, mask

DEFAULTS: dict[str, Any] = {
    "SMS_PROVIDER": "",  # empty: sandbox outside WeChat's own host, off against it
    "SMS_SECRET_ID": "",
    "SMS_SECRET_KEY": "",
    "SMS_SDK_APP_ID": "",
    "SMS_SIGN_NAME": "",  # empty: the platform's short name
    "SMS_TEMPLATES": "",  # JSON: moment → Tencent template id
    "SMS_REGION": "ap-guangzhou",
    "SMS_ENDPOINT": "",  # empty: Tencent's sms.tencentcloudapi.com, or the sandbox's /sandbox/sms
    "SMS_TIMEOUT": 10.0,
    "SMS_PER_HOUR": 5,
    "SMS_PER_DAY": 10,
    "SMS_RETRY_DELAY": 60,
    "SMS_MAX_TRIES": 5,
    "SMS_MAX_AGE": 21600.0,
    "SMS_OPERATOR_PHONES": "",
    "SMS_ALERT_INTERVAL": 60.0,
}
PROVIDERS = ("sandbox", "tencent", "off")
WECHAT_HOST = "api.weixin.qq.com"
TENCENT_ENDPOINT = "sms.tencentcloudapi.com"
SDK_APP_ID = re.compile(r"^\d{10}$")


def provider(config: Mapping[str, Any]) -> tuple[str, str]:
    """The provider in use, and why (for check-config)."""
    chosen = str(config.get("SMS_PROVIDER") or "")
    if chosen:
        return chosen, f"SMS go through {chosen} (PORTAL_SMS_PROVIDER)."
    host = urlparse(str(config.get("WECHAT_API_BASE", ""))).hostname or ""
    if host == WECHAT_HOST:
        return "off", "SMS are off: PORTAL_SMS_PROVIDER is unset and the API base is WeChat's own."
    return "sandbox", (
        "SMS go to the sandbox's phone page (/sandbox/sms): PORTAL_SMS_PROVIDER is unset "
        "and the API base is not WeChat's own."
    )


def sign_name(config: Mapping[str, Any]) -> str:
    """The signature, without 【】: the setting, else the platform's short name or name."""
    name = str(config.get("SMS_SIGN_NAME") or "").strip()
    short = str(config.get("PLATFORM_SHORT_NAME") or "").strip()
    return name or short or platform_name(config)


def platform_name(config: Mapping[str, Any]) -> str:
    from_config = str(config.get("PLATFORM_NAME") or "").strip()
    return from_config or "小程序快速注册"


def templates(config: Mapping[str, Any]) -> dict[str, str]:
    """Moment → template id (PORTAL_SMS_TEMPLATES); {} when unset or malformed."""
    try:
        found = json.loads(str(config.get("SMS_TEMPLATES") or "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def operator_phones(config: Mapping[str, Any]) -> list[str]:
    raw = str(config.get("SMS_OPERATOR_PHONES") or "")
    return [p.strip() for p in raw.split(",") if p.strip()]


def endpoint(config: Mapping[str, Any], chosen: str) -> str:
    """Where the provider sends: the setting, or the provider's own address."""
    configured = str(config.get("SMS_ENDPOINT") or "").rstrip("/")
    if configured:
        return configured
    if chosen == "tencent":
        return f"https://{TENCENT_ENDPOINT}"
    return str(config.get("WECHAT_API_BASE", "")).rstrip("/") + "/sandbox/sms"


def _template_problems(config: Mapping[str, Any], chosen: str) -> list[str]:
    raw = str(config.get("SMS_TEMPLATES") or "")
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        found = None
    if not isinstance(found, dict):
        return [
            "PORTAL_SMS_TEMPLATES must be a JSON object of moment → template id, e.g. "
            '{"legal_person": "1234567"}.'
        ]
    out = []
    unknown = sorted(set(found) - set(moments.MOMENTS))
    if unknown:
        out.append(
            f"PORTAL_SMS_TEMPLATES names unknown moments {', '.join(unknown)}; "
            f"the moments are {', '.join(moments.MOMENTS)}."
        )
    missing = [m for m in moments.MOMENTS if not str(found.get(m) or "").isdigit()]
    if chosen == "tencent" and missing:
        out.append(
            f"PORTAL_SMS_TEMPLATES lacks a Tencent template id (digits) for {', '.join(missing)}: "
            "submit each text check-config prints for approval, then set its id."
        )
    return out


def problems(config: Mapping[str, Any]) -> list[str]:
    """Every missing or malformed SMS setting, one line each."""
    chosen = provider(config)[0]
    if chosen not in PROVIDERS:
        return [f"PORTAL_SMS_PROVIDER must be one of {', '.join(PROVIDERS)}, got {chosen!r}."]
    out = _template_problems(config, chosen)
    bad = [p for p in operator_phones(config) if e164(p) is None]
    if bad:
        out.append(
            f"PORTAL_SMS_OPERATOR_PHONES has {len(bad)} entry(ies) that are not mainland mobile "
            "numbers: list 11-digit mobiles separated by commas."
        )
    url = urlparse(str(config.get("SMS_ENDPOINT") or ""))
    if config.get("SMS_ENDPOINT") and (url.scheme not in ("http", "https") or not url.netloc):
        out.append(
            f"PORTAL_SMS_ENDPOINT {config.get('SMS_ENDPOINT')!r} is not a URL: expected e.g. "
            f"https://{TENCENT_ENDPOINT}."
        )
    if chosen != "tencent":
        return out
    for key, what in (
        ("SMS_SECRET_ID", "the API key's SecretId (访问管理 → API 密钥)"),
        ("SMS_SECRET_KEY", "the API key's SecretKey, in the 640 environment file only"),
    ):
        if not config.get(key):
            out.append(f"PORTAL_{key} is missing: {what}.")
    if not SDK_APP_ID.match(str(config.get("SMS_SDK_APP_ID") or "")):
        out.append(
            "PORTAL_SMS_SDK_APP_ID must be the SMS application's SdkAppId "
            "(10 digits, 短信控制台 → 应用管理)."
        )
    if not str(config.get("SMS_SIGN_NAME") or "").strip():
        out.append(
            "PORTAL_SMS_SIGN_NAME is missing: Tencent sends only with an approved signature; "
            "set it as approved (短信控制台 → 签名管理), without 【】."
        )
    return out


def warnings(config: Mapping[str, Any]) -> list[str]:
    chosen = provider(config)[0]
    out = []
    if chosen == "off" and operator_phones(config):
        out.append("PORTAL_SMS_OPERATOR_PHONES is set but SMS are off: alerts go by webhook only.")
    if chosen == "sandbox" and config.get("ENV") == "production":
        out.append(
            "PORTAL_SMS_PROVIDER is sandbox in production: merchants' texts go to the "
            "sandbox, not to their phones; set it to tencent (or off)."
        )
    if chosen == "tencent" and not config.get("PUBLIC_URL"):
        out.append("PORTAL_PUBLIC_URL is not set: merchants' texts carry no link to the find page.")
    return out


def lines(config: Mapping[str, Any]) -> list[str]:
    """What check-config prints about SMS: the provider, limits, and each template."""
    chosen, why = provider(config)
    if chosen not in PROVIDERS:
        return []
    out = [f"· {why}"]
    if chosen == "off":
        return out
    ids = templates(config)
    phones = ", ".join(mask(p) for p in operator_phones(config)) or "none"
    secret = "set" if config.get("SMS_SECRET_KEY") else "not set"
    out.append(
        f"· SMS: sign 【{sign_name(config)}】, endpoint {endpoint(config, chosen)}, "
        f"region {config.get('SMS_REGION')}, SecretKey {secret}; at most "
        f"{config.get('SMS_PER_HOUR')} an hour and {config.get('SMS_PER_DAY')} a day per phone; "
        f"operator phones: {phones}."
    )
    link = moments.link_line(config)
    for key, moment in moments.MOMENTS.items():
        text = moments.approved_text(key, platform_name(config), link, sign_name(config))
        values = f" ({{1}}: {' / '.join(moment.values)})" if moment.values else ""
        out.append(f"· SMS template {key} (id {ids.get(key) or 'unset'}): 「{text}」{values}")
    return out
