"""The shapes of what goes to WeChat and what comes back, as plain records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CallRecord:
    endpoint: str
    http_status: int | None
    errcode: int | None
    errmsg: str
    latency_ms: float
    error: str = ""


@dataclass(frozen=True)
class ComponentToken:
    token: str
    expires_in: int


@dataclass(frozen=True)
class ClassicApplication:
    """The six fields of the seed's create call (fastregisterweapp.rst §一)."""

    name: str
    code: str
    code_type: int
    legal_persona_wechat: str
    legal_persona_name: str
    component_phone: str = ""


@dataclass(frozen=True)
class EnterpriseApplication:
    """The fields of the newer create call (V2 notes: name, 18-char code, phone)."""

    name: str
    code: str
    component_phone: str


@dataclass(frozen=True)
class EnterpriseTask:
    """The newer API's answer to create and query (shape from SDK code, unconfirmed)."""

    taskid: str
    authorize_url: str
    status: int | None


@dataclass(frozen=True)
class Authorization:
    authorizer_appid: str
    access_token: str
    expires_in: int
    refresh_token: str
    func_info: list[Any]


@dataclass(frozen=True)
class AuthorizerToken:
    access_token: str
    expires_in: int
    refresh_token: str


@dataclass(frozen=True)
class ListedAuthorizer:
    """One row of ``api_get_authorizer_list``."""

    appid: str
    refresh_token: str
    auth_time: int


@dataclass(frozen=True)
class AuthorizerInfo:
    """What ``api_get_authorizer_info`` says about one authorizer (getAuthorizerInfo).

    ``account_status``: 1 normal, 14 cancelled, 16 banned, 18 warned, 19 frozen (None
    when WeChat left it out). ``func_info`` holds the permission-set ids granted.
    """

    appid: str
    principal_name: str
    nick_name: str
    user_name: str
    account_status: int | None
    is_mini_program: bool
    refresh_token: str
    func_info: list[int]
