"""The deploy's first phase, ``domains`` (SETUP §4): the operator's server domains, then
its web-view domains, by the operator's way (Way 1 ``modify_domain`` /
``setwebviewdomain``, Way 2 their ``_directly`` twins; never both).

Each part is a sub-phase: once set, it is recorded in the step's result
(``domains_set``: the part → a digest of the way and lists it set), so a retry after the
other part failed never sends it again. Before a ``set`` the lists WeChat holds are read
(``action=get``) and a part that already matches is only recorded: a ``set`` whose answer
was lost is not sent again. WeChat answers 85017 (85301, its newer code) when a set would
change nothing after filtering, "not on the platform's list or already set": it counts as
done only when a ``get`` then shows the lists set; otherwise it stands (held for the
operator). Hosts are compared without their protocol or a trailing slash, since WeChat's
answers are not known to keep the form they were given in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence

from portal.golive import outcomes
from portal.golive import steps as st
from portal.golive.platform import PlatformSetup
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.domains import ServerDomains

log = logging.getLogger(__name__)
SERVER, WEBVIEW = "server", "webview"
#: The step result's key: the part → the digest of what it set.
DONE_KEY = "domains_set"
#: "no domain to modify after filtered" (and its newer code).
NOTHING_TO_MODIFY = (85017, 85301)
LINES = {SERVER: "服务器域名已设置", WEBVIEW: "业务域名已设置"}
Lists = dict[str, list[str]]


def _host(entry: str) -> str:
    text = entry.strip().lower().rstrip("/")
    return text.split("://", 1)[-1]


def same(held: Mapping[str, Sequence[str]], wanted: Mapping[str, Sequence[str]]) -> bool:
    """WeChat holds exactly the wanted lists (each kind, in any order and form)."""
    return all(
        {_host(e) for e in held.get(kind, ())} == {_host(e) for e in entries}
        for kind, entries in wanted.items()
    )


def digest(way: str, lists: Mapping[str, Sequence[str]]) -> str:
    text = json.dumps([way, {k: sorted(v) for k, v in lists.items()}], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _server(ctx: Context, plat: PlatformSetup):
    wanted = {kind: list(hosts) for kind, hosts in plat.server_domains.items()}
    api = ctx.mp.domains
    call = api.modify_domain if plat.domain_way == "platform" else api.modify_domain_directly

    def get(token: str) -> Lists:
        return call(token, "get").domains.body()

    def put(token: str) -> None:
        answer = call(token, "set", ServerDomains(**{k: tuple(v) for k, v in wanted.items()}))
        if refused := {k: v for k, v in answer.invalid.body().items() if v}:
            log.warning("server domains WeChat filtered out: %s", refused)

    return wanted, get, put


def _webview(ctx: Context, plat: PlatformSetup):
    wanted = {"webviewdomain": list(plat.webview_domains)}
    api = ctx.mp.domains
    call = (
        api.set_webview_domain if plat.domain_way == "platform" else api.set_webview_domain_directly
    )

    def get(token: str) -> Lists:
        return {"webviewdomain": list(call(token, "get"))}

    def put(token: str) -> None:
        call(token, "set", wanted["webviewdomain"])

    return wanted, get, put


PARTS: dict[str, Callable] = {SERVER: _server, WEBVIEW: _webview}


def _set(ctx: Context, setup: dict, wanted: Lists, get, put) -> None:
    """Set one part unless WeChat already holds it; raises what WeChat refused."""
    if same(common.call(ctx, setup, get), wanted):
        return  # set already (by a try whose answer was lost, or in WeChat's console)
    try:
        common.call(ctx, setup, put)
    except WeChatError as exc:
        if exc.errcode not in NOTHING_TO_MODIFY or not same(common.call(ctx, setup, get), wanted):
            raise


def run(ctx: Context, setup: dict, plat: PlatformSetup, row: dict) -> str:
    """Set each part not yet set; the next phase (``commit``)."""
    done = dict(row["result"].get(DONE_KEY) or {})
    for part, build in PARTS.items():
        wanted, get, put = build(ctx, plat)
        if not any(wanted.values()):
            continue  # nothing configured: what WeChat holds is left alone
        mark = digest(plat.domain_way, wanted)
        if done.get(part) == mark:
            continue  # a finished part is never sent again
        _set(ctx, setup, wanted, get, put)
        done[part] = mark
        outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "domains", {DONE_KEY: done}, LINES[part])
    outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "commit", {}, "")
    return "commit"
