"""Settings: safe defaults, then ``PORTAL_`` environment variables, then overrides.

Every key here is documented in the README; ``tests/test_config.py`` fails when one
is not. ``problems()`` explains every missing or malformed setting in one line each,
for ``flask check-config`` and for refusing to start in production.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlparse

from portal import brand
from portal.notify import settings as sms
from portal.wechat.authorizers import key_problem


class ConfigError(RuntimeError):
    """The app refuses to start: the message lists every problem."""


PREFIX = "PORTAL_"
DEV_SECRET_KEY = "dev-only-not-secret"

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATABASE": "",  # empty: instance/portal.sqlite inside the project
    "WECHAT_API_BASE": "https://api.weixin.qq.com",
    "WECHAT_COMPONENT_APPID": "",
    "WECHAT_COMPONENT_APPSECRET": "",
    "WECHAT_TOKEN": "",
    "WECHAT_ENCODING_AES_KEY": "",
    "WECHAT_COMPONENT_PHONE": "",
    "WECHAT_REGISTER_API": "",  # empty: v2 against WeChat's own host, classic otherwise
    "WECHAT_TIMEOUT": 10.0,
    "TOKEN_REFRESH_AHEAD": 600,
    "WORKER_INTERVAL": 2.0,
    "SEND_RETRY_DELAY": 60,
    "CREATE_SETTLE": 300,
    "SEARCH_SCHEDULE": "600,1800,3600,14400,43200,86400,90000",
    "SEARCH_DAILY_BUDGET": 200,
    "SEARCH_TAIL": 3600.0,  # seconds between searches once the schedule is used up
    "LEGAL_PERSON_WINDOW": 86400.0,  # WeChat's 24 hours for the legal person
    "SILENCE_GRACE": 3600.0,  # after the deadline, before a silent task is looked into
    "PUSH_MAX_BYTES": 64 * 1024,
    "TOKEN_KEY": "",
    "SUBMISSIONS_PER_HOUR": 10,
    "SESSION_HOURS": 8.0,
    "TRUSTED_PROXIES": 0,
    "PERSONAL_DATA_DAYS": 180,
    "PLATFORM_NAME": "",
    "PLATFORM_SHORT_NAME": "",
    "PLATFORM_TAGLINE": "",
    "PLATFORM_LOGO": "",
    "SUPPORT_PHONE": "",
    "SUPPORT_WECHAT": "",
    "SUPPORT_HOURS": "",
    "PUBLIC_URL": "",
    "WEBHOOK_TIMEOUT": 10.0,
    "WEBHOOK_RETRY_DELAY": 30,
    "WEBHOOK_RETRY_HOURS": 24.0,
    "WEBHOOK_ALLOW_PRIVATE": False,
    "SHED_AFTER": 1.0,
    **sms.DEFAULTS,  # PORTAL_SMS_*: SMS notifications and operator alerts (portal/notify/)
    # Continuous replication with Litestream (portal/litestream.py, deploy/litestream.yml)
    "LITESTREAM_REPLICA_URL": "",  # empty: not replicated
    "LITESTREAM_SYNC_INTERVAL": 1.0,  # seconds between uploads: the RPO
    "LITESTREAM_SNAPSHOT_HOURS": 24.0,
    "LITESTREAM_RETENTION_HOURS": 72.0,
    "LITESTREAM_ADDR": "127.0.0.1:9090",  # its metrics, read by the health page
    "LITESTREAM_LAG_ALERT": 60.0,  # seconds behind before the health page warns
    "LITESTREAM_S3_ENDPOINT": "",
    "LITESTREAM_S3_REGION": "",
    "LITESTREAM_S3_FORCE_PATH_STYLE": "",  # true, false, or empty: Litestream's default
    "LITESTREAM_CONFIG": "",  # empty: deploy/litestream.yml
}

#: Keys whose values are numbers; environment strings are converted.
_NUMERIC = {
    k: type(v)
    for k, v in DEFAULTS.items()
    if isinstance(v, int | float) and not isinstance(v, bool)
}
_BOOLEAN = {k for k, v in DEFAULTS.items() if isinstance(v, bool)}
TRUE = ("1", "true", "yes", "on")

REGISTER_APIS = ("classic", "v2")
RETIRED_HOST = "api.weixin.qq.com"
APPID_RE = re.compile(r"^wx[0-9a-f]{16}$")
AES_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{43}$")


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings found in ``PORTAL_``-prefixed environment variables."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(PREFIX):
            continue
        key = name[len(PREFIX) :]
        if key in _BOOLEAN:
            found[key] = value.strip().lower() in TRUE
        elif key in _NUMERIC:
            try:
                found[key] = _NUMERIC[key](value)
            except ValueError:
                found[key] = value  # reported by problems()
        else:
            found[key] = value
    return found


def register_api(config: dict[str, Any]) -> tuple[str, str]:
    """The API new submissions use, and why (for check-config).

    Unset, it is the one that works against the configured host: v2 against WeChat's
    own (the classic create answers -1 there since 2026-04-30), classic against the
    sandbox, whose demo shows the seed's flow.
    """
    chosen = str(config.get("WECHAT_REGISTER_API") or "")
    if chosen:
        return chosen, f"new submissions use the {chosen} API (PORTAL_WECHAT_REGISTER_API)."
    host = urlparse(str(config.get("WECHAT_API_BASE", ""))).hostname or ""
    if host == RETIRED_HOST:
        return "v2", (
            "new submissions use the v2 API (fastregisterenterpriseweapp): "
            "PORTAL_WECHAT_REGISTER_API is unset and the API base is WeChat's own, "
            "where the classic API was retired on 2026-04-30."
        )
    return "classic", (
        "new submissions use the classic API: PORTAL_WECHAT_REGISTER_API is unset and "
        f"the API base ({host or '?'}) is not WeChat's own (the sandbox's demo default)."
    )


#: The two URLs WeChat's platform page asks for (开放平台 → 第三方平台 → 开发配置).
EVENT_PATH = "/wechat/events"
MESSAGE_PATH = "/wechat/messages/$APPID$"  # WeChat fills $APPID$ with the mini program's


def platform_page(config: dict[str, Any]) -> list[str]:
    """What to enter on WeChat's platform page, one line each (for check-config)."""
    public = urlparse(str(config.get("PUBLIC_URL") or ""))
    host = f"{public.scheme}://{public.netloc}" if public.netloc else "https://<your host>"
    return [
        f"on WeChat's platform page (开放平台 → 第三方平台 → 开发配置), set 授权事件接收URL to "
        f"{host}{EVENT_PATH} (tickets, authorizations, fast-register results).",
        f"set 消息与事件接收URL to {host}{MESSAGE_PATH}, with $APPID$ typed as it is "
        "(WeChat puts each mini program's appid there): code-audit results "
        "(weapp_audit_success/fail/delay) and name and category audits arrive only there.",
        "set 消息校验Token to PORTAL_WECHAT_TOKEN, 消息加解密Key to "
        "PORTAL_WECHAT_ENCODING_AES_KEY, and 消息加解密方式 to 安全模式 (encrypted XML).",
    ]


def warnings(config: dict[str, Any]) -> list[str]:
    """Settings that work but deserve the operator's attention, one line each."""
    out = brand.warnings(config) + sms.warnings(config)
    host = urlparse(str(config.get("WECHAT_API_BASE", ""))).hostname or ""
    if config.get("ENV") == "production" and not config.get("TOKEN_KEY"):
        out.append(
            "PORTAL_TOKEN_KEY is not set: new mini programs' refresh tokens are stored "
            "unencrypted; set it to a Fernet key (python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())')."
        )
    if config.get("ENV") == "production" and not config.get("PUBLIC_URL"):
        out.append(
            "PORTAL_PUBLIC_URL is not set: webhook payloads carry status links as paths "
            "(/s/...) instead of full addresses."
        )
    if config.get("WECHAT_REGISTER_API") == "classic" and host == RETIRED_HOST:
        out.append(
            "PORTAL_WECHAT_REGISTER_API=classic talks to WeChat's fastregisterweapp, which WeChat "
            "retired on 2026-04-30 (create answers errcode -1); set it to v2 for the real API."
        )
    return out


def problems(config: dict[str, Any]) -> list[str]:
    """Explain every missing or malformed setting, one line each."""
    out: list[str] = brand.problems(config) + sms.problems(config)
    appid = config.get("WECHAT_COMPONENT_APPID", "")
    if not appid:
        out.append(
            "PORTAL_WECHAT_COMPONENT_APPID is missing: set the platform's appid (wx + 16 hex)."
        )
    elif not APPID_RE.match(appid):
        out.append(
            f"PORTAL_WECHAT_COMPONENT_APPID {appid!r} does not look like an appid: "
            "expected 'wx' followed by 16 lowercase hex characters."
        )
    if not config.get("WECHAT_COMPONENT_APPSECRET"):
        out.append(
            "PORTAL_WECHAT_COMPONENT_APPSECRET is missing: copy it from the platform console."
        )
    if not config.get("WECHAT_TOKEN"):
        out.append(
            "PORTAL_WECHAT_TOKEN is missing: the message-verification token of the platform."
        )
    aes = config.get("WECHAT_ENCODING_AES_KEY", "")
    if not aes:
        out.append("PORTAL_WECHAT_ENCODING_AES_KEY is missing: 43 base64 characters.")
    elif not AES_KEY_RE.match(aes):
        out.append(
            f"PORTAL_WECHAT_ENCODING_AES_KEY must be exactly 43 base64 characters "
            f"(A-Z a-z 0-9 + /), got {len(aes)} characters."
        )
    base = urlparse(str(config.get("WECHAT_API_BASE", "")))
    if base.scheme not in ("http", "https") or not base.netloc:
        out.append(
            f"PORTAL_WECHAT_API_BASE {config.get('WECHAT_API_BASE')!r} is not a URL: "
            "expected e.g. https://api.weixin.qq.com."
        )
    for key, kind in _NUMERIC.items():
        value = config.get(key)
        if not isinstance(value, int | float) or value < 0:
            out.append(f"PORTAL_{key} must be a non-negative {kind.__name__}, got {value!r}.")
    token_key = str(config.get("TOKEN_KEY") or "")
    if token_key and (problem := key_problem(token_key)):
        out.append(f"PORTAL_TOKEN_KEY {problem}.")
    if config.get("WECHAT_REGISTER_API") not in ("", *REGISTER_APIS):
        out.append(
            f"PORTAL_WECHAT_REGISTER_API must be one of {', '.join(REGISTER_APIS)}, "
            f"got {config.get('WECHAT_REGISTER_API')!r}."
        )
    if register_api(config)[0] == "v2" and not config.get("WECHAT_COMPONENT_PHONE"):
        out.append("PORTAL_WECHAT_COMPONENT_PHONE is required by the v2 API (component_phone).")
    schedule = str(config.get("SEARCH_SCHEDULE", ""))
    if not re.fullmatch(r"\s*(\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*)?", schedule):
        out.append(
            f"PORTAL_SEARCH_SCHEDULE must be comma-separated seconds (e.g. 600,3600), got {schedule!r}."
        )
    public = urlparse(str(config.get("PUBLIC_URL") or ""))
    if config.get("PUBLIC_URL") and (public.scheme not in ("http", "https") or not public.netloc):
        out.append(
            f"PORTAL_PUBLIC_URL {config.get('PUBLIC_URL')!r} is not a URL: expected the "
            "portal's address as merchants open it, e.g. https://register.example.com."
        )
    if config.get("ENV") == "production":
        secret = str(config.get("SECRET_KEY", ""))
        if secret == DEV_SECRET_KEY or len(secret) < 32:
            out.append(
                "PORTAL_SECRET_KEY must be a random value of at least 32 characters in "
                "production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if base.scheme != "https":
            out.append("PORTAL_WECHAT_API_BASE must use https in production.")
    return out
