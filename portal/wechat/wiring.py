"""Build the WeChat client (recording its calls) and the shared component-token store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import sqlite_utils

from portal.wechat.calllog import CallLog
from portal.wechat.client import WeChatClient, default_http
from portal.wechat.tokens import ComponentTokens


def connect(
    config: Mapping[str, Any], db: sqlite_utils.Database, http: httpx.Client | None = None
) -> tuple[WeChatClient, ComponentTokens]:
    """Build the client (recording its calls in ``db``) and the shared token store."""
    http = http or default_http(config["WECHAT_API_BASE"], float(config["WECHAT_TIMEOUT"]))
    client = WeChatClient(
        http,
        component_appid=config["WECHAT_COMPONENT_APPID"],
        component_appsecret=config["WECHAT_COMPONENT_APPSECRET"],
        on_call=CallLog(db),
    )
    tokens = ComponentTokens(
        db,
        client,
        refresh_ahead=float(config["TOKEN_REFRESH_AHEAD"]),
        backoff=max(float(config["SEND_RETRY_DELAY"]), 1.0),
    )
    return client, tokens
