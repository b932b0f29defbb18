"""Domains: the platform's own lists (C-token) and each mini program's (A-token).

Two ways, never mixed (WeChat staff: "不要混用"):

* **Way 1:** register the domains on the platform (``modify_wxa_server_domain``,
  ``modify_wxa_jump_domain``: bare host names, no protocol, joined by ";"), then push
  them to the mini program (``modify_domain``, ``set_webview_domain``). A domain not on
  the platform's list gives 85017, and one missing from it at release is removed.
* **Way 2:** ``modify_domain_directly``, ``set_webview_domain_directly``: nothing on the
  platform; the values take effect after the next commit or release
  (``get_effective_domain`` says what will be live).

``action`` is one of add, delete, set, get; ``get`` sends the action alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from portal.wechat.miniprogram.wire import Area, lists, obj, strings, text

SERVER_DOMAIN = "/cgi-bin/component/modify_wxa_server_domain"
JUMP_DOMAIN = "/cgi-bin/component/modify_wxa_jump_domain"
DOMAIN_CONFIRMFILE = "/cgi-bin/component/get_domain_confirmfile"
MODIFY_DOMAIN = "/wxa/modify_domain"
MODIFY_DOMAIN_DIRECTLY = "/wxa/modify_domain_directly"
WEBVIEW_DOMAIN = "/wxa/setwebviewdomain"
WEBVIEW_DOMAIN_DIRECTLY = "/wxa/setwebviewdomain_directly"
WEBVIEW_CONFIRMFILE = "/wxa/get_webviewdomain_confirmfile"
EFFECTIVE_DOMAIN = "/wxa/get_effective_domain"
EFFECTIVE_WEBVIEW_DOMAIN = "/wxa/get_effective_webviewdomain"

PATHS = (
    SERVER_DOMAIN,
    JUMP_DOMAIN,
    DOMAIN_CONFIRMFILE,
    MODIFY_DOMAIN,
    MODIFY_DOMAIN_DIRECTLY,
    WEBVIEW_DOMAIN,
    WEBVIEW_DOMAIN_DIRECTLY,
    WEBVIEW_CONFIRMFILE,
    EFFECTIVE_DOMAIN,
    EFFECTIVE_WEBVIEW_DOMAIN,
)

GET = "get"


@dataclass(frozen=True)
class ServerDomains:
    """A mini program's server domains, one list per kind (as WeChat names them)."""

    requestdomain: tuple[str, ...] = ()
    wsrequestdomain: tuple[str, ...] = ()
    uploaddomain: tuple[str, ...] = ()
    downloaddomain: tuple[str, ...] = ()
    udpdomain: tuple[str, ...] = ()
    tcpdomain: tuple[str, ...] = ()

    def body(self) -> dict[str, list[str]]:
        return {f.name: lists(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def read(cls, data: object, prefix: str = "") -> ServerDomains:
        return cls(**{f.name: strings(data, prefix + f.name) for f in fields(cls)})


@dataclass(frozen=True)
class DomainAnswer:
    """modify_domain(_directly): the lists now set, and those WeChat refused."""

    domains: ServerDomains
    invalid: ServerDomains


@dataclass(frozen=True)
class PlatformDomains:
    """The platform's list: on its published copy, its test copy, and refused."""

    published: tuple[str, ...]
    testing: tuple[str, ...]
    invalid: tuple[str, ...]


@dataclass(frozen=True)
class ConfirmFile:
    """A verification file to serve unchanged at the domain's root (86103 otherwise)."""

    file_name: str
    file_content: str


@dataclass(frozen=True)
class EffectiveDomains:
    """get_effective_domain: set on mp.weixin, by the platform (Way 1), directly
    (Way 2), and what will be live."""

    mp_domain: ServerDomains
    third_domain: ServerDomains
    direct_domain: ServerDomains
    effective_domain: ServerDomains


@dataclass(frozen=True)
class EffectiveWebviewDomains:
    mp_webviewdomain: tuple[str, ...]
    third_webviewdomain: tuple[str, ...]
    direct_webviewdomain: tuple[str, ...]
    effective_webviewdomain: tuple[str, ...]


def _platform(data: dict, kind: str) -> PlatformDomains:
    return PlatformDomains(
        published=strings(data, f"published_{kind}", sep=";"),
        testing=strings(data, f"testing_{kind}", sep=";"),
        invalid=strings(data, f"invalid_{kind}", sep=";"),
    )


def _confirmfile(data: dict) -> ConfirmFile:
    return ConfirmFile(file_name=text(data, "file_name"), file_content=text(data, "file_content"))


class DomainsApi(Area):
    def _platform_call(
        self, path: str, token: str, kind: str, action: str, hosts: Sequence[str], together: bool
    ) -> PlatformDomains:
        body: dict = {"action": action}
        if action != GET:
            body[kind] = ";".join(hosts)
            body["is_modify_published_together"] = together
        return _platform(self._post(path, token, body), kind)

    def modify_wxa_server_domain(
        self,
        component_token: str,
        action: str,
        wxa_server_domain: Sequence[str] = (),
        is_modify_published_together: bool = False,
    ) -> PlatformDomains:
        """The platform's server domains (C-token; 50 changes a month). ``False`` changes
        the test copy only."""
        return self._platform_call(
            SERVER_DOMAIN,
            component_token,
            "wxa_server_domain",
            action,
            wxa_server_domain,
            is_modify_published_together,
        )

    def modify_wxa_jump_domain(
        self,
        component_token: str,
        action: str,
        wxa_jump_h5_domain: Sequence[str] = (),
        is_modify_published_together: bool = False,
    ) -> PlatformDomains:
        """The platform's 业务域名 for web-view (C-token)."""
        return self._platform_call(
            JUMP_DOMAIN,
            component_token,
            "wxa_jump_h5_domain",
            action,
            wxa_jump_h5_domain,
            is_modify_published_together,
        )

    def get_domain_confirmfile(self, component_token: str) -> ConfirmFile:
        """The file proving the platform owns its 业务域名 (C-token), POST ``{}``."""
        return _confirmfile(self._post(DOMAIN_CONFIRMFILE, component_token, {}))

    def _server(
        self, path: str, token: str, action: str, domains: ServerDomains | None
    ) -> DomainAnswer:
        body: dict = {"action": action}
        if action != GET:
            body.update((domains or ServerDomains()).body())
        data = self._post(path, token, body)
        return DomainAnswer(ServerDomains.read(data), ServerDomains.read(data, "invalid_"))

    def modify_domain(
        self, authorizer_token: str, action: str, domains: ServerDomains | None = None
    ) -> DomainAnswer:
        """Way 1: the mini program's server domains, from the platform's list (50/month)."""
        return self._server(MODIFY_DOMAIN, authorizer_token, action, domains)

    def modify_domain_directly(
        self, authorizer_token: str, action: str, domains: ServerDomains | None = None
    ) -> DomainAnswer:
        """Way 2: the server domains set directly (effective after commit or release)."""
        return self._server(MODIFY_DOMAIN_DIRECTLY, authorizer_token, action, domains)

    def _webview(
        self, path: str, token: str, action: str, webviewdomain: Sequence[str]
    ) -> tuple[str, ...]:
        body: dict = {"action": action}
        if action != GET:
            body["webviewdomain"] = lists(webviewdomain)
        return strings(self._post(path, token, body), "webviewdomain")

    def set_webview_domain(
        self, authorizer_token: str, action: str, webviewdomain: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """Way 1: the web-view domains (each a platform 业务域名 or under one)."""
        return self._webview(WEBVIEW_DOMAIN, authorizer_token, action, webviewdomain)

    def set_webview_domain_directly(
        self, authorizer_token: str, action: str, webviewdomain: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """Way 2: the web-view domains set directly (set once, then ``add``)."""
        return self._webview(WEBVIEW_DOMAIN_DIRECTLY, authorizer_token, action, webviewdomain)

    def get_webviewdomain_confirmfile(self, authorizer_token: str) -> ConfirmFile:
        """The file for a directly set web-view domain's root, POST ``{}``."""
        return _confirmfile(self._post(WEBVIEW_CONFIRMFILE, authorizer_token, {}))

    def get_effective_domain(self, authorizer_token: str) -> EffectiveDomains:
        """What each way set, and what will be live after release, POST ``{}``."""
        data = self._post(EFFECTIVE_DOMAIN, authorizer_token, {})
        return EffectiveDomains(
            mp_domain=ServerDomains.read(obj(data, "mp_domain")),
            third_domain=ServerDomains.read(obj(data, "third_domain")),
            direct_domain=ServerDomains.read(obj(data, "direct_domain")),
            effective_domain=ServerDomains.read(obj(data, "effective_domain")),
        )

    def get_effective_webviewdomain(self, authorizer_token: str) -> EffectiveWebviewDomains:
        """The web-view domains of each way and the effective ones, POST ``{}``."""
        data = self._post(EFFECTIVE_WEBVIEW_DOMAIN, authorizer_token, {})
        return EffectiveWebviewDomains(
            mp_webviewdomain=strings(data, "mp_webviewdomain"),
            third_webviewdomain=strings(data, "third_webviewdomain"),
            direct_webviewdomain=strings(data, "direct_webviewdomain"),
            effective_webviewdomain=strings(data, "effective_webviewdomain"),
        )
