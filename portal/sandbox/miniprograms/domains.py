"""A mini program's domains (SETUP §4 A–E, I, J), A-token.

Way 1 (modify_domain, setwebviewdomain) takes only domains the platform registered and
published (modify_wxa_server_domain / modify_wxa_jump_domain): the rest are filtered
out, and a call left with nothing to change answers 85017 (add: none new; delete: none
held); a web-view domain must be a platform 业务域名 or under one (89021; 89020 while the
platform has none). Way 2 (the ``_directly`` calls) skips the platform's lists and takes
effect with the next commit. WeChat staff say never mix them: once a mini program has
used one way, the other answers 85017 (SETUP names no errcode for mixing; 85017 is the
one a domain change that does not fit the platform's configuration meets).

Both ways: ``action`` add, delete, set or get (40097 otherwise); each server domain with
its protocol (https for request/upload/download, wss for socket, udp, tcp) and a
registrable host, never an IP or api.weixin.qq.com (filtered, listed in
``invalid_…``); ≤ 200 per kind (85016) and 100 web-view domains (89029); 50 changes a
month (45104). Under Way 1, release removes every domain the platform's published list
no longer has.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from flask import Response, g

from portal.sandbox.miniprograms import limits, model, platform_domains
from portal.sandbox.miniprograms.calls import POST, a_call, answer

SERVER_KINDS = {
    "requestdomain": "https",
    "wsrequestdomain": "wss",
    "uploaddomain": "https",
    "downloaddomain": "https",
    "udpdomain": "udp",
    "tcpdomain": "tcp",
}
WEBVIEW = "webviewdomain"
ACTIONS = platform_domains.ACTIONS
WAYS = {"platform": "第三方平台登记的域名（modify_domain）", "direct": "直接配置（_directly）"}


def host(value: Any, scheme: str) -> str | None:
    """The host of ``scheme://host[:port]``, or None if the entry is not one."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme != scheme or parts.path not in ("", "/") or parts.query:
        return None
    name = (parts.hostname or "").lower()
    return name if platform_domains.host_ok(name) else None


def _change(mp: dict, data: dict, way: str, kinds: dict[str, str]) -> tuple[int, dict]:
    """Apply a domain call; (errcode, the answer's lists)."""
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    action, current = data.get("action"), dict(mp["domains"] or {})
    if action not in ACTIONS:
        return 40097, {}
    if action == "get":
        return 0, {kind: current.get(kind, []) for kind in kinds}
    if mp["domain_mode"] not in (None, way):
        return 85017, {}  # the two ways are never mixed for one mini program
    if model.count_changes(db, appid, "domain", model.month_start(now)) >= limits.DOMAIN_CHANGES:
        return 45104, {}
    answer_lists, changed, given = {}, False, False
    for kind, scheme in kinds.items():
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            return 40097, {}
        given = given or bool(entries)
        held = list(current.get(kind, []))
        good, invalid = [], []
        for entry in entries:
            name = host(entry, scheme)
            if name is None or (kind != WEBVIEW and way == "platform" and not registered(name)):
                invalid.append(entry)
            else:
                good.append(entry.strip())
        if kind == WEBVIEW and way == "platform" and good:
            failed = webview_errcode(db, [host(e, scheme) or "" for e in good])
            if failed:
                return failed, {}
        if action == "add":
            new = held + [e for e in dict.fromkeys(good) if e not in held]
        elif action == "delete":
            new = [e for e in held if e not in good]
        else:
            new = list(dict.fromkeys(good))
        cap = limits.WEBVIEW_DOMAINS if kind == WEBVIEW else limits.DOMAINS_PER_TYPE
        if len(new) > cap:
            return (89029 if kind == WEBVIEW else 85016), {}
        changed = changed or new != held
        current[kind] = new
        answer_lists[kind] = new
        answer_lists[f"invalid_{kind}"] = invalid
    if not changed and (action != "set" or given):
        return 85017, {}  # no domain to modify after filtered
    model.update(db, appid, domains=current, domain_mode=way)
    model.add_change(db, appid, "domain")
    return 0, answer_lists


def registered(name: str) -> bool:
    return platform_domains.registered(g.sandbox_db, "server", name)


def webview_errcode(db: sqlite_utils.Database, names: list[str]) -> int:
    jump = platform_domains.listed(db, "jump")
    if not jump:
        return 89020
    return 0 if all(under(n, jump) for n in names) else 89021


def under(name: str | None, domains: list[str]) -> bool:
    """``name`` is one of ``domains`` or a sub-domain of one."""
    return bool(name) and any(name == d or str(name).endswith("." + d) for d in domains)


def _call(mp: dict, data: dict, way: str, kinds: dict[str, str]) -> Response:
    failed, lists = _change(mp, data, way, kinds)
    return answer(failed) if failed else answer(0, **lists)


@a_call("/wxa/modify_domain", POST)
def modify_domain(mp: dict, data: dict) -> Response:
    return _call(mp, data, "platform", SERVER_KINDS)


@a_call("/wxa/modify_domain_directly", POST)
def modify_domain_directly(mp: dict, data: dict) -> Response:
    return _call(mp, data, "direct", SERVER_KINDS)


@a_call("/wxa/setwebviewdomain", POST)
def setwebviewdomain(mp: dict, data: dict) -> Response:
    return _call(mp, data, "platform", {WEBVIEW: "https"})


@a_call("/wxa/setwebviewdomain_directly", POST)
def setwebviewdomain_directly(mp: dict, data: dict) -> Response:
    return _call(mp, data, "direct", {WEBVIEW: "https"})


@a_call("/wxa/get_webviewdomain_confirmfile", POST)
def get_webviewdomain_confirmfile(mp: dict, _data: dict) -> Response:
    return answer(0, file_name=f"{mp['appid'][-10:]}.txt", file_content=mp["appid"][::-1])


def effective(db: sqlite_utils.Database, mp: dict, kinds: list[str]) -> dict[str, list]:
    """What the live mini program uses: Way 1's lists as the platform publishes them,
    Way 2's once a commit came after the last change."""
    current = mp["domains"] or {}
    if mp["domain_mode"] == "platform":
        published = set(platform_domains.listed(db, "server"))
        return {
            k: [e for e in current.get(k, []) if k == WEBVIEW or urlsplit(e).hostname in published]
            for k in kinds
        }
    last = db.execute(
        "SELECT max(at) FROM changes WHERE appid = ? AND what = 'domain'", [mp["appid"]]
    ).fetchone()[0]
    version = model.latest_version(db, mp["appid"])
    live = version is not None and last is not None and version["committed_at"] >= last
    return {k: current.get(k, []) if live else [] for k in kinds}


@a_call("/wxa/get_effective_domain", POST)
def get_effective_domain(mp: dict, _data: dict) -> Response:
    db, kinds = g.sandbox_db, list(SERVER_KINDS)
    empty = {k: [] for k in kinds}
    mine = {k: (mp["domains"] or {}).get(k, []) for k in kinds}
    platform = mp["domain_mode"] == "platform"
    return answer(
        0,
        mp_domain=empty,
        third_domain=mine if platform else empty,
        direct_domain=empty if platform else mine,
        effective_domain=effective(db, mp, kinds),
    )


@a_call("/wxa/get_effective_webviewdomain", POST)
def get_effective_webviewdomain(mp: dict, _data: dict) -> Response:
    mine = (mp["domains"] or {}).get(WEBVIEW, [])
    platform = mp["domain_mode"] == "platform"
    return answer(
        0,
        mp_webviewdomain=[],
        third_webviewdomain=mine if platform else [],
        direct_webviewdomain=[] if platform else mine,
        effective_webviewdomain=effective(g.sandbox_db, mp, [WEBVIEW])[WEBVIEW],
    )


def at_release(db: sqlite_utils.Database, mp: dict) -> None:
    """Way 1: release drops the domains the platform's published lists lack (§4)."""
    if mp["domain_mode"] != "platform":
        return
    server = set(platform_domains.listed(db, "server"))
    current = dict(mp["domains"] or {})
    for kind in SERVER_KINDS:
        current[kind] = [e for e in current.get(kind, []) if urlsplit(e).hostname in server]
    if current.get(WEBVIEW):
        jump = platform_domains.listed(db, "jump")
        current[WEBVIEW] = [e for e in current[WEBVIEW] if under(urlsplit(e).hostname, jump)]
    model.update(db, mp["appid"], domains=current)
