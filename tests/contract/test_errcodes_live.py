"""Every errcode the sandbox gives on the audit, release, code image, tester and domain
calls (SETUP §4, §6, §7), provoked through the client with real tokens."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.domains import ServerDomains
from tests.contract import steps
from tests.contract.errcodes import Case, chain, check
from tests.contract.steps import pending

STATUS, LATEST = "wxa.get_auditstatus", "wxa.get_latest_auditstatus"
UNDO, SPEEDUP, RELEASE = "wxa.undocodeaudit", "wxa.speedupaudit", "wxa.release"
REVERT, CODE = "wxa.revertcoderelease", "wxa.getwxacodeunlimit"
BIND, UNBIND = "wxa.bind_tester", "wxa.unbind_tester"
DOMAIN, DIRECT = "wxa.modify_domain", "wxa.modify_domain_directly"
WEBVIEW, WEBVIEW_DIRECT = "wxa.setwebviewdomain", "wxa.setwebviewdomain_directly"
SERVER = "cgi-bin.component.modify_wxa_server_domain"
JUMP = "cgi-bin.component.modify_wxa_jump_domain"
HOST, JUMP_HOST = "api.sandbox-shop.cn", "m.sandbox-shop.cn"
REQUEST = {"requestdomain": (f"https://{HOST}",)}
OWN = {"requestdomain": ("https://api.own-shop.cn",)}
MANY = [f"d{n}.sandbox-shop.cn" for n in range(201)]


def undo_twice(live):
    pending(live)
    live.a.audit.undo_code_audit()
    steps.submit(live)
    live.a.audit.undo_code_audit()


def speedup(prepare, config=None):
    def act(live):
        live.sandbox.update(config or {})
        live.a.audit.speedup_audit(prepare(live))

    return act


def audited(live):
    steps.ready(live)
    return steps.audited(live)


def foreign_audit(call):
    def act(live, other):
        call(live, pending(other))

    return act


def second_pending(live):
    template_id = steps.released(live)
    steps.commit(live, template_id, "第二版")
    steps.submit(live)
    live.a.code.release()


def released_then(call):
    def act(live):
        steps.released(live)
        call(live)

    return act


def bind(*wechatids):
    def act(live):
        for wechatid in wechatids:
            live.a.testers.bind_tester(wechatid)

    return act


def register(hosts, kind=SERVER):
    method = "modify_wxa_server_domain" if kind == SERVER else "modify_wxa_jump_domain"
    return lambda live: getattr(live.c.domains, method)("add", hosts, True)


def domains(method, action="add", **lists):
    return lambda live: getattr(live.a.domains, method)(action, ServerDomains(**lists))


def webview(method, hosts, action="add"):
    return lambda live: getattr(live.a.domains, method)(action, hosts)


def spend(sandbox_db, what, appid=None):
    """This month's 50 domain changes, spent (the sandbox's own clock)."""
    row = [appid, what]
    for _ in range(50):
        sandbox_db.execute("INSERT INTO changes (appid, what, at) VALUES (?, ?, unixepoch())", row)
    sandbox_db.conn.commit()


def mp_changes_spent(live, sandbox_db):
    register([HOST])(live)
    spend(sandbox_db, "domain", live.appid)
    domains("modify_domain", **REQUEST)(live)


def platform_changes_spent(live, sandbox_db):
    spend(sandbox_db, "platform_domain")
    register([HOST])(live)


def sped_up(live):
    auditid = pending(live)
    live.a.audit.speedup_audit(auditid)
    return auditid


def release(live):
    live.a.code.release()


CASES = [
    Case(85012, STATUS, lambda live: live.a.audit.get_audit_status(1)),
    Case(85012, STATUS, foreign_audit(lambda live, auditid: live.a.audit.get_audit_status(auditid)), "foreign", needs=("other",)),
    Case(85058, LATEST, lambda live: live.a.audit.get_latest_audit_status()),
    Case(85058, UNDO, lambda live: live.a.audit.undo_code_audit()),
    Case(87013, UNDO, undo_twice),
    Case(85012, SPEEDUP, foreign_audit(lambda live, auditid: live.a.audit.speedup_audit(auditid)), "foreign", needs=("other",)),
    Case(89402, SPEEDUP, speedup(audited)),
    Case(89404, SPEEDUP, speedup(sped_up, {"SANDBOX_SPEEDUP_DELAY": 3600})),
    Case(89405, SPEEDUP, speedup(pending, {"SANDBOX_SPEEDUP_QUOTA": 0})),
    Case(85019, RELEASE, release),
    Case(85019, RELEASE, chain(pending, release), "under-audit"),
    Case(85020, RELEASE, second_pending),
    Case(85052, RELEASE, released_then(release)),
    Case(87012, REVERT, released_then(lambda live: live.a.code.revert_code_release())),
    Case(87012, REVERT, released_then(lambda live: live.a.code.revert_code_release(424242)), "unknown-version"),
    Case(41030, CODE, lambda live: live.a.quota.get_wxacode_unlimit("a=1"), "not-released"),
    Case(41030, CODE, released_then(lambda live: live.a.quota.get_wxacode_unlimit("a=1", page="pages/nowhere/nowhere")), "page"),
    Case(40097, CODE, lambda live: live.a.quota.get_wxacode_unlimit("x" * 33), "scene"),
    Case(40097, CODE, lambda live: live.a.quota.get_wxacode_unlimit("a=1", env_version="beta"), "env"),
    Case(85001, BIND, bind("13800138000"), "phone"),
    Case(85001, BIND, bind("nosuch_user"), "magic"),
    Case(85003, BIND, bind("busy_tester")),
    Case(85004, BIND, bind("zhangsan_88", "zhangsan_88")),
    Case(85002, BIND, chain(lambda live: live.sandbox.update(SANDBOX_TESTER_LIMIT=1), bind("tester_one", "tester_two"))),
    Case(85001, UNBIND, lambda live: live.a.testers.unbind_tester(wechatid="zhangsan_88")),
    Case(85017, DOMAIN, domains("modify_domain", **REQUEST), "not-registered"),
    Case(85017, DOMAIN, chain(register([HOST]), domains("modify_domain", **REQUEST), domains("modify_domain", **REQUEST)), "already-set"),
    Case(40097, DOMAIN, domains("modify_domain", "replace")),
    Case(85016, DOMAIN, chain(register(MANY), domains("modify_domain", requestdomain=tuple(f"https://{h}" for h in MANY)))),
    Case(45104, DOMAIN, mp_changes_spent, needs=("sandbox_db",)),
    Case(85017, DIRECT, chain(register([HOST]), domains("modify_domain", **REQUEST), domains("modify_domain_directly", **OWN)), "mixed"),
    Case(40097, DIRECT, domains("modify_domain_directly", "replace")),
    Case(89020, WEBVIEW, webview("set_webview_domain", ["https://h5.sandbox-shop.cn"])),
    Case(89021, WEBVIEW, chain(register([JUMP_HOST], JUMP), webview("set_webview_domain", ["https://h5.sandbox-shop.cn"]))),
    Case(89029, WEBVIEW, chain(register([JUMP_HOST], JUMP), webview("set_webview_domain", [f"https://d{n}.{JUMP_HOST}" for n in range(101)], "set"))),
    Case(85017, WEBVIEW, chain(domains("modify_domain_directly", **OWN), webview("set_webview_domain", ["https://h5.own-shop.cn"])), "mixed"),
    Case(85017, WEBVIEW_DIRECT, chain(register([HOST]), domains("modify_domain", **REQUEST), webview("set_webview_domain_directly", ["https://h5.own-shop.cn"])), "mixed"),
    Case(40097, SERVER, lambda live: live.c.domains.modify_wxa_server_domain("rename", [HOST])),
    Case(45104, SERVER, platform_changes_spent, needs=("sandbox_db",)),
    Case(85016, SERVER, lambda live: live.c.domains.modify_wxa_server_domain("set", [f"d{n}.sandbox-shop.cn" for n in range(1001)])),
    Case(85016, JUMP, lambda live: live.c.domains.modify_wxa_jump_domain("set", MANY)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_client_raises_the_errcode(request, live, case):
    check(request, live, case)
