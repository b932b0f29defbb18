"""The WeChat client: the only module that knows WeChat's URLs and JSON shapes.

A small class over an injected ``httpx.Client`` (base URL and timeouts set by whoever
builds it; tests hand it a transport to the sandbox). Every call is reported to
``on_call`` with its endpoint, errcode and latency, never a secret or a token; an
``on_call`` that fails (its database locked or full) is logged and never loses an answer.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from portal.wechat import codes
from portal.wechat.shapes import (
    Authorization,
    AuthorizerInfo,
    AuthorizerToken,
    CallRecord,
    ClassicApplication,
    ComponentToken,
    EnterpriseApplication,
    EnterpriseTask,
    ListedAuthorizer,
)

log = logging.getLogger(__name__)


class WeChatError(Exception):
    """WeChat answered with a non-zero errcode (or not at all: ``errcode`` is None)."""

    def __init__(self, endpoint: str, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"{endpoint}: errcode {errcode}: {errmsg}")
        self.endpoint = endpoint
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def entry(self) -> codes.Entry:
        return codes.api_entry(self.errcode, self.errmsg, call=self.endpoint)

    @property
    def kind(self) -> str:
        """fixable (merchant), transient (retry later) or operator."""
        return self.entry.kind


class WeChatUnavailable(WeChatError):
    """No usable answer: timeout, connection failure, 5xx or not JSON. Always transient."""

    @property
    def kind(self) -> str:
        return codes.TRANSIENT


TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
OK = frozenset({0})
JSON = {"Content-Type": "application/json; charset=utf-8"}


def encode_body(body: dict[str, Any]) -> bytes:
    """JSON with Chinese as raw UTF-8: WeChat refuses ``\\uXXXX`` escapes with 40033.

    (fastregisterweapp.rst: 中文无需转码. httpx's ``json=`` escapes them in some versions.)
    """
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s'\"]+")


def _describe(exc: Exception) -> str:
    """A loggable reason for a failed call; never the URL's token."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} from WeChat"
    return _TOKEN_IN_URL.sub(r"\1***", f"{type(exc).__name__}: {exc}")[:300]


#: api_get_authorizer_list answers at most this many rows a page (REFERENCE §6).
AUTHORIZER_PAGE = 500


def default_http(base_url: str, timeout: float) -> httpx.Client:
    """Build the httpx client the portal uses to reach WeChat."""
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        headers={"User-Agent": "fast-register-portal"},
    )


class WeChatClient:
    def __init__(
        self,
        http: httpx.Client,
        *,
        component_appid: str,
        component_appsecret: str,
        on_call: Callable[[CallRecord], None] | None = None,
    ) -> None:
        self.http = http
        self.component_appid = component_appid
        self.component_appsecret = component_appsecret
        self.on_call = on_call or (lambda record: None)

    def request(self, verb: str, path: str, endpoint: str, image: bool = False, **kw: Any) -> Any:
        """One reported call (httpx ``kw``): its JSON object, or if ``image`` an image's bytes."""
        start, status = time.perf_counter(), None
        try:
            response = self.http.request(verb, path, **kw)
            status = response.status_code
            response.raise_for_status()
            if image and response.headers.get("content-type", "").startswith("image/"):
                self._report(endpoint, status, 0, "", start)
                return response.content
            data = response.json()
            if not isinstance(data, dict):
                raise ValueError("answer is not a JSON object")
        except (httpx.HTTPError, ValueError) as exc:
            error = _describe(exc)
            self._report(endpoint, status, None, "", start, error)
            raise WeChatUnavailable(endpoint, None, error) from exc
        errcode, errmsg = int(data.get("errcode", 0) or 0), str(data.get("errmsg", ""))
        self._report(endpoint, status, errcode, errmsg, start)
        return data

    def _report(self, endpoint, status, errcode, errmsg, start, error="") -> None:
        latency = (time.perf_counter() - start) * 1000
        try:
            self.on_call(CallRecord(endpoint, status, errcode, errmsg, round(latency, 1), error))
        except Exception:  # the answer matters more than its log row (issue item 11)
            log.exception("recording the %s call failed (errcode %s)", endpoint, errcode)

    def _component(
        self, token: str | None, name: str, body: dict, allowed=OK, action="", under=""
    ) -> dict:
        """POST ``<under>/<name>`` with the component token (if any); raise unless allowed."""
        endpoint = f"{name}.{action}" if action else name
        params = {"action": action} if action else {}
        if token is not None:
            params["component_access_token"] = token
        path, content = f"{under or '/cgi-bin/component'}/{name}", encode_body(body)
        data = self.request("POST", path, endpoint, params=params, content=content, headers=JSON)
        errcode = int(data.get("errcode", 0) or 0)
        if errcode not in allowed:
            raise WeChatError(endpoint, errcode, str(data.get("errmsg", "")))
        return data

    def component_token(self, ticket: str) -> ComponentToken:
        """Get a component_access_token (REFERENCE §3)."""
        body = {
            "component_appid": self.component_appid,
            "component_appsecret": self.component_appsecret,
            "component_verify_ticket": ticket,
        }
        data = self._component(None, "api_component_token", body)
        if not data.get("component_access_token"):
            raise WeChatUnavailable("api_component_token", None, "no component_access_token")
        return ComponentToken(data["component_access_token"], int(data.get("expires_in", 7200)))

    def fastregister_create(self, token: str, app: ClassicApplication) -> int:
        """Start a fast-register task (fastregisterweapp.rst §一).

        Returns 0, or 89251/89252 when WeChat says a task for these facts already runs.
        """
        body = {
            "name": app.name,
            "code": app.code,
            "code_type": app.code_type,
            "legal_persona_wechat": app.legal_persona_wechat,
            "legal_persona_name": app.legal_persona_name,
            "component_phone": app.component_phone,
        }
        allowed = frozenset({0, 89251, 89252})
        data = self._component(token, "fastregisterweapp", body, allowed, action="create")
        return int(data.get("errcode", 0) or 0)

    def fastregister_search(self, token: str, name: str, wechat: str, legal_name: str) -> int:
        """Ask the state of the current task (fastregisterweapp.rst §二; REFERENCE §5).

        Returns 89252 (checking), 89251 (waiting for the legal person) or 89250 (none).
        """
        body = {"name": name, "legal_persona_wechat": wechat, "legal_persona_name": legal_name}
        allowed = frozenset({0, 89250, 89251, 89252})
        data = self._component(token, "fastregisterweapp", body, allowed, action="search")
        return int(data.get("errcode", 0) or 0)

    def _enterprise(self, token: str, action: str, body: dict[str, Any]) -> EnterpriseTask:
        name, sent = "fastregisterenterpriseweapp", {**body, "new_version": True}
        data = self._component(token, name, sent, action=action, under="/wxa/component")
        return EnterpriseTask(
            taskid=str(data.get("taskid") or body.get("taskid") or ""),
            authorize_url=str(data.get("authorize_url") or ""),
            status=_int_or_none(data.get("status")),
        )

    def enterprise_create(self, token: str, app: EnterpriseApplication) -> EnterpriseTask:
        """Start a task with the newer API; the answer carries the verification link (V2)."""
        body = {"name": app.name, "code": app.code, "component_phone": app.component_phone}
        return self._enterprise(token, "create", body)

    def enterprise_query(self, token: str, taskid: str) -> EnterpriseTask:
        """Ask the newer API about a task by its taskid (V2, unconfirmed)."""
        return self._enterprise(token, "query", {"taskid": taskid})

    def query_auth(self, token: str, auth_code: str) -> Authorization:
        """Exchange an auth_code for the authorizer's tokens (REFERENCE §6)."""
        body = {"component_appid": self.component_appid, "authorization_code": auth_code}
        data = self._component(token, "api_query_auth", body)
        info = data.get("authorization_info") or {}
        return Authorization(
            authorizer_appid=str(info.get("authorizer_appid", "")),
            access_token=str(info.get("authorizer_access_token", "")),
            expires_in=int(info.get("expires_in", 7200)),
            refresh_token=str(info.get("authorizer_refresh_token", "")),
            func_info=list(info.get("func_info") or []),
        )

    def authorizer_token(self, token: str, authorizer_appid: str, refresh: str) -> AuthorizerToken:
        """Refresh an authorizer's access token (REFERENCE §6)."""
        body = {
            "component_appid": self.component_appid,
            "authorizer_appid": authorizer_appid,
            "authorizer_refresh_token": refresh,
        }
        data = self._component(token, "api_authorizer_token", body)
        return AuthorizerToken(
            access_token=str(data.get("authorizer_access_token", "")),
            expires_in=int(data.get("expires_in", 7200)),
            refresh_token=str(data.get("authorizer_refresh_token", refresh)),
        )

    def authorizer_list(
        self, token: str, offset: int = 0, count: int = AUTHORIZER_PAGE
    ) -> tuple[int, list[ListedAuthorizer]]:
        """One page of everyone who authorized the platform: (total_count, rows) (REFERENCE §6)."""
        body = {"component_appid": self.component_appid, "offset": offset, "count": count}
        data = self._component(token, "api_get_authorizer_list", body)
        rows = [
            ListedAuthorizer(
                appid=str(row.get("authorizer_appid", "")),
                refresh_token=str(row.get("refresh_token", "")),
                auth_time=int(row.get("auth_time") or 0),
            )
            for row in data.get("list") or []
            if isinstance(row, dict)
        ]
        return int(data.get("total_count") or 0), rows

    def authorizers(self, token: str) -> Iterator[ListedAuthorizer]:
        """Everyone who authorized the platform, page after page, until the list ends."""
        offset = 0
        while True:
            total, rows = self.authorizer_list(token, offset)
            yield from rows
            offset += len(rows)
            if not rows or offset >= total:
                return

    def find_authorizer(self, token: str, appid: str) -> ListedAuthorizer | None:
        """Page through the authorizer list until ``appid`` turns up (its refresh token)."""
        return next((row for row in self.authorizers(token) if row.appid == appid), None)

    def authorizer_info(self, token: str, authorizer_appid: str) -> AuthorizerInfo:
        """Its company, names, status and permissions (getAuthorizerInfo; 61003: not ours)."""
        body = {"component_appid": self.component_appid, "authorizer_appid": authorizer_appid}
        data = self._component(token, "api_get_authorizer_info", body)
        info = data.get("authorizer_info") or {}
        auth = data.get("authorization_info") or {}
        return AuthorizerInfo(
            appid=str(auth.get("authorizer_appid") or authorizer_appid),
            principal_name=str(info.get("principal_name") or ""),
            nick_name=str(info.get("nick_name") or ""),
            user_name=str(info.get("user_name") or ""),
            account_status=_int_or_none(info.get("account_status")),
            is_mini_program=info.get("MiniProgramInfo") is not None,
            refresh_token=str(auth.get("authorizer_refresh_token") or ""),
            func_info=_func_ids(auth.get("func_info")),
        )


def _int_or_none(value: Any) -> int | None:
    """An integer WeChat sent as a number or digits (0 included); None for anything else."""
    text = str(value).strip() if isinstance(value, int | str) else ""
    return int(text) if text.lstrip("-").isdigit() else None


def _func_ids(rows: Any) -> list[int]:
    """The permission-set ids of ``func_info`` ([{"funcscope_category": {"id": N}}, ...])."""
    scopes = [row.get("funcscope_category") for row in rows or [] if isinstance(row, dict)]
    ids = [_int_or_none(scope.get("id")) for scope in scopes if isinstance(scope, dict)]
    return [found for found in ids if found is not None]
