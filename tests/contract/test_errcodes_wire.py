"""The errcodes every go-live call can meet whatever its body: the token (40001, 42001,
48001), the verb (43001, 43002), the body (44002, 47001, 40033), and the refusals the
client's own methods never provoke (their type, action or fields are fixed). The last
are made through the client's wire (``Area._call``), as a call written wrongly would.

``test_every_errcode_the_sandbox_gives_has_a_case`` reads the sandbox's modules for
the errcodes they answer, so one added there without a case here fails."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import portal.sandbox.miniprograms as package
from portal.sandbox.miniprograms import magic
from portal.sandbox.miniprograms.errors import ERRMSG
from portal.wechat.miniprogram import audit, basic, code, testers
from portal.wechat.miniprogram.wire import image_file
from tests.contract import steps, test_errcodes_code, test_errcodes_live, test_errcodes_profile
from tests.contract.errcodes import Case, check, covered
from tests.contract.steps import OWNER, image

#: Given by the sandbox but out of a platform's reach, with the reason.
UNREACHABLE = {61003: "a token the sandbox issued always names a mini program its task made"}
FILE = image_file(image(), "a.jpg", "image/jpeg")


def wire(verb, path, kind="A", **kw):
    """One call through the client's wire, with the A-token (or C-token) the portal holds."""

    def act(live):
        run = live.with_a if kind == "A" else live.with_c
        return run(lambda token: live.mp.basic._call(verb, path, token, **kw))

    return act


def made_up_token(live):
    live.mp.basic.get_account_basic_info("made-up-token")


def expired(call):
    def act(live, fault):
        token = live.token()
        fault(expire_tokens=True)
        call(live, token)

    return act


def icp_revoked(live, sandbox_http):
    """The sandbox page's control takes permission sets 18 and 156 from the platform."""
    steps.icp(sandbox_http, live.appid, revoked="1")
    live.a.icp.get_icp_entrance_info()


def expired_c_token(live, fault):
    token = live.ctx.token()
    fault(expire_tokens=True)
    live.mp.templates.get_template_draft_list(token)


CASES = [
    Case(40001, "cgi-bin.account.getaccountbasicinfo", made_up_token, "made-up"),
    Case(40001, "wxa.gettemplatedraftlist", lambda live: live.a.templates.get_template_draft_list(), "a-token-on-c-call"),
    Case(42001, "wxa.get_category", expired(lambda live, token: live.mp.categories.get_audit_category(token)), needs=("fault",)),
    Case(42001, "wxa.gettemplatedraftlist", expired_c_token, "c-token", needs=("fault",)),
    Case(48001, "cgi-bin.account.getaccountbasicinfo", lambda live: live.c.basic.get_account_basic_info()),
    Case(48001, "cgi-bin.component.setprivacysetting", lambda live: live.c.privacy.set_privacy_setting(OWNER)),
    Case(48001, "wxa.queryquota", lambda live: live.c.quota.query_quota()),
    Case(43001, "wxa.get_page", wire("POST", code.GET_PAGE, body={})),
    Case(43001, "wxa.gettemplatelist", wire("POST", "/wxa/gettemplatelist", "C", body={})),
    Case(43002, "wxa.release", wire("GET", code.RELEASE)),
    Case(43002, "wxa.addtotemplate", wire("GET", "/wxa/addtotemplate", "C")),
    Case(44002, "wxa.release", wire("POST", code.RELEASE)),
    Case(44002, "wxa.getversioninfo", wire("POST", code.VERSION_INFO)),
    Case(44002, "wxa.get_webviewdomain_confirmfile", wire("POST", "/wxa/get_webviewdomain_confirmfile")),
    Case(47001, "wxa.release", wire("POST", code.RELEASE, files=FILE), "multipart"),
    Case(40033, "cgi-bin.account.modifysignature", lambda live: live.a.basic.modify_signature("沙箱云店简介\\u4e91店")),
    Case(40004, "cgi-bin.media.upload", wire("POST", basic.MEDIA_UPLOAD, query={"type": "voice"}, files=FILE)),
    Case(41005, "cgi-bin.media.upload", wire("POST", basic.MEDIA_UPLOAD, query={"type": "image"})),
    Case(41005, "wxa.uploadmedia", wire("POST", audit.UPLOAD_MEDIA)),
    Case(40097, "wxa.memberauth", wire("POST", testers.MEMBERAUTH, body={"action": "get_all"})),
    Case(40097, "wxa.unbind_tester", wire("POST", testers.UNBIND_TESTER, body={})),
    Case(40097, "wxa.revertcoderelease.other", wire("GET", code.REVERT, query={"action": "other"})),
    Case(61007, "wxa.icp.get_icp_entrance_info", icp_revoked, needs=("sandbox_http",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_client_raises_the_errcode(request, live, case):
    check(request, live, case)


def answered_codes() -> set[int]:
    """Every errcode the sandbox's go-live modules answer, read from their source: the
    constants they return or pass to ``answer``, its errmsg table, the magic values'
    table, and the escaped-characters refusal every call meets (``api.py``)."""
    found = set(ERRMSG) | {40033}
    found |= {int(n) for n in re.findall(r"\b\d{5,7}\b", magic.__doc__ or "")}
    for path in Path(inspect.getfile(package)).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            calls_answer = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "answer"
            if isinstance(node, ast.Return) or calls_answer:
                for leaf in ast.walk(node):
                    value = _int(leaf)
                    if value is not None and (value == -1 or 40000 <= value < 10**7):
                        found.add(value)
    return found


def _int(node: ast.AST) -> int | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def test_every_errcode_the_sandbox_gives_has_a_case():
    cases = covered(
        CASES, test_errcodes_profile.CASES, test_errcodes_code.CASES, test_errcodes_live.CASES
    )
    missing = answered_codes() - cases - set(UNREACHABLE)
    assert not missing, f"errcodes the sandbox gives without a contract case: {sorted(missing)}"
