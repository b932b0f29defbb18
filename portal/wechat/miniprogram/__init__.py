"""WeChat's go-live APIs: everything a platform calls to take a fast-registered mini
program from "AppID created" to a released version (basic info, categories, privacy,
domains, code templates, code and its audit, quota and the code image, testers,
the ICP filing state).

``MiniProgramClient`` composes one object per area over an existing ``WeChatClient``
and reuses its transport (the injected ``httpx.Client``), its call log (``on_call``
gets a ``CallRecord`` per call: endpoint, errcode, latency, never a token) and its
raw-UTF-8 JSON (``encode_body``)::

    mp = MiniProgramClient(client)
    mp.code.commit(authorizer_token, template_id, {"extAppid": appid}, "1.0.0", "首版")

**Tokens.** Every method takes its token first: ``authorizer_token`` (the mini
program's ``authorizer_access_token``, "A-token") or ``component_token`` (the
platform's ``component_access_token``, "C-token": the platform's own domains, its
confirm file and the code templates). Both are sent as ``?access_token=``.

**Answers.** Small frozen dataclasses read tolerantly: a missing or mistyped field
gives a default (``""``, ``0``, ``None``, ``()``), never an exception. An image answer
(``get_qrcode``, ``get_wxacode_unlimit``, ``get_material``) is its bytes when its
Content-Type is an image; otherwise the answer is JSON (application/json or text/plain).

**Errors.** A non-zero errcode raises ``WeChatError(endpoint, errcode, errmsg)``; no
usable answer (timeout, 5xx, not JSON, an image call answering no image) raises
``WeChatUnavailable``. Nothing is retried here.

**Expired tokens.** An A-token WeChat calls invalid or expired (40001, 42001; also
40014) is raised as ``WeChatError`` with that errcode, unchanged. The policy of
refreshing it once and retrying the call once belongs to the caller: the worker's
``Context.call_authorizer(subject, appid, fn)`` runs ``fn(authorizer_token)`` that way.

**Endpoint names** in the call log are the path with dots (``/wxa/commit`` is
``wxa.commit``), plus a query ``action`` where the path alone is ambiguous; all are in
``ENDPOINTS``.
"""

from __future__ import annotations

from portal.wechat.client import WeChatClient
from portal.wechat.miniprogram import (
    audit,
    basic,
    categories,
    code,
    domains,
    icp,
    privacy,
    quota,
    templates,
    testers,
)
from portal.wechat.miniprogram.audit import AuditApi
from portal.wechat.miniprogram.basic import BasicInfoApi
from portal.wechat.miniprogram.categories import CategoriesApi
from portal.wechat.miniprogram.code import CodeApi
from portal.wechat.miniprogram.domains import DomainsApi
from portal.wechat.miniprogram.icp import IcpApi
from portal.wechat.miniprogram.privacy import PrivacyApi
from portal.wechat.miniprogram.quota import QuotaApi
from portal.wechat.miniprogram.templates import TemplatesApi
from portal.wechat.miniprogram.testers import MembersApi
from portal.wechat.miniprogram.wire import endpoint_of

#: Every call's endpoint name in the call log, area by area.
ENDPOINTS: tuple[str, ...] = (
    # basic info (A-token)
    "cgi-bin.account.getaccountbasicinfo",
    "cgi-bin.wxverify.checkwxverifynickname",
    "wxa.setnickname",
    "wxa.api_wxa_querynickname",
    "cgi-bin.media.upload",
    "cgi-bin.account.modifyheadimage",
    "cgi-bin.account.modifysignature",
    # categories (A-token)
    "cgi-bin.wxopen.getallcategories",
    "cgi-bin.wxopen.getcategoriesbytype",
    "cgi-bin.wxopen.addcategory",
    "cgi-bin.wxopen.getcategory",
    "cgi-bin.wxopen.deletecategory",
    "cgi-bin.wxopen.modifycategory",
    "wxa.get_category",
    # privacy (A-token)
    "cgi-bin.component.getprivacysetting",
    "cgi-bin.component.setprivacysetting",
    "wxa.security.get_code_privacy_info",
    # domains: the platform's (C-token), then the mini program's (A-token)
    "cgi-bin.component.modify_wxa_server_domain",
    "cgi-bin.component.modify_wxa_jump_domain",
    "cgi-bin.component.get_domain_confirmfile",
    "wxa.modify_domain",
    "wxa.modify_domain_directly",
    "wxa.setwebviewdomain",
    "wxa.setwebviewdomain_directly",
    "wxa.get_webviewdomain_confirmfile",
    "wxa.get_effective_domain",
    "wxa.get_effective_webviewdomain",
    # code templates (C-token)
    "wxa.gettemplatedraftlist",
    "wxa.addtotemplate",
    "wxa.gettemplatelist",
    "wxa.deletetemplate",
    # code (A-token)
    "wxa.commit",
    "wxa.get_page",
    "wxa.get_qrcode",
    "wxa.release",
    "wxa.revertcoderelease",
    "wxa.revertcoderelease.get_history_version",
    "wxa.getversioninfo",
    # audit (A-token)
    "wxa.uploadmedia",
    "wxa.submit_audit",
    "wxa.get_auditstatus",
    "wxa.get_latest_auditstatus",
    "wxa.undocodeaudit",
    "wxa.speedupaudit",
    "cgi-bin.material.get_material",
    # quota and the code image (A-token)
    "wxa.queryquota",
    "wxa.getwxacodeunlimit",
    # testers (A-token)
    "wxa.bind_tester",
    "wxa.unbind_tester",
    "wxa.memberauth",
    # ICP filing state (A-token)
    "wxa.icp.get_icp_entrance_info",
)

#: Every path the package calls.
PATHS: tuple[str, ...] = (
    *basic.PATHS,
    *categories.PATHS,
    *privacy.PATHS,
    *domains.PATHS,
    *templates.PATHS,
    *code.PATHS,
    *audit.PATHS,
    *quota.PATHS,
    *testers.PATHS,
    *icp.PATHS,
)

#: The calls made with the component token; every other one takes the A-token.
COMPONENT_TOKEN_ENDPOINTS = frozenset(
    endpoint_of(path)
    for path in (
        domains.SERVER_DOMAIN,
        domains.JUMP_DOMAIN,
        domains.DOMAIN_CONFIRMFILE,
        *templates.PATHS,
    )
)


class MiniProgramClient:
    """The go-live calls, one attribute per area, over a shared ``WeChatClient``."""

    def __init__(self, client: WeChatClient) -> None:
        self.client = client
        self.basic = BasicInfoApi(client)
        self.categories = CategoriesApi(client)
        self.privacy = PrivacyApi(client)
        self.domains = DomainsApi(client)
        self.templates = TemplatesApi(client)
        self.code = CodeApi(client)
        self.audit = AuditApi(client)
        self.quota = QuotaApi(client)
        self.testers = MembersApi(client)
        self.icp = IcpApi(client)


__all__ = ["COMPONENT_TOKEN_ENDPOINTS", "ENDPOINTS", "PATHS", "MiniProgramClient"]
