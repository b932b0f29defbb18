"""The go-live catalogue: every errcode of SETUP.md, for the calls after "AppID created".

The go-live calls are another context than the fast-register create: -1, 40001,
40014, 45009 and 61007 read differently there, and a few codes mean something else
for one call (-1 on modifyheadimage, 40097 on modifysignature). So a lookup names
its call: ``codes.golive_entry(errcode, errmsg, call)`` (or ``api_entry`` with
``call=``) tries that call's own entry, then the go-live table, then the create
catalogue (platform codes such as 61004 and 42001 mean the same everywhere).

``call`` is a call's name, its path (``/wxa/commit``) or the call log's endpoint name
(``wxa.commit``, ``wxa.modify_domain.add``), so ``WeChatError.endpoint`` will do.
"""

from __future__ import annotations

import re
from dataclasses import replace

from portal.wechat.codes.entry import FIXABLE, Entry
from portal.wechat.codes.golive_audit import AUDIT_CALL_CODES, AUDIT_CODES
from portal.wechat.codes.golive_code import CODE_CODES
from portal.wechat.codes.golive_names import NAME_CODES
from portal.wechat.codes.golive_profile import PROFILE_CALL_CODES, PROFILE_CODES
from portal.wechat.codes.golive_setup import GENERIC_CODES, SETUP_CODES

#: Every go-live errcode with its go-live meaning.
GOLIVE_CODES: dict[int, Entry] = {
    **NAME_CODES,
    **PROFILE_CODES,
    **CODE_CODES,
    **AUDIT_CODES,
    **SETUP_CODES,
    **GENERIC_CODES,
}

#: (call, errcode) → the entry for an errcode that means something else for that call.
CALL_CODES: dict[tuple[str, int], Entry] = {**PROFILE_CALL_CODES, **AUDIT_CALL_CODES}

#: The calls of SETUP.md (§1-§8) by name: the last segment of their path, except the
#: temporary-media upload, which is "media/upload".
GOLIVE_CALLS = frozenset(
    """
    getaccountbasicinfo checkwxverifynickname setnickname api_wxa_querynickname media/upload
    modifyheadimage modifysignature getallcategories getcategoriesbytype addcategory
    deletecategory modifycategory getcategory get_category getprivacysetting
    setprivacysetting uploadprivacyextfile get_code_privacy_info apply_privacy_interface
    modify_domain modify_domain_directly setwebviewdomain setwebviewdomain_directly
    get_webviewdomain_confirmfile get_effective_domain get_effective_webviewdomain
    modify_wxa_server_domain get_domain_confirmfile modify_wxa_jump_domain
    gettemplatedraftlist addtotemplate gettemplatelist deletetemplate commit get_page
    get_qrcode submit_audit uploadmedia get_auditstatus get_latest_auditstatus
    undocodeaudit speedupaudit release revertcoderelease getversioninfo change_visitstatus
    getvisitstatus grayrelease getgrayreleaseplan revertgrayrelease queryquota
    getwxacodeunlimit bind_tester unbind_tester memberauth get_material
    get_icp_entrance_info
    """.split()
)


def call_name(call: str) -> str:
    """The go-live call named by a name, a path or a call-log endpoint; "" for any other.

    ``/wxa/commit``, ``wxa/commit?x=1`` and the call log's ``wxa.commit`` are "commit";
    a trailing action (``wxa.modify_domain.add``) is skipped.
    """
    segments = [s for s in re.split(r"[/.]", call.split("?", 1)[0].strip()) if s]
    for i in range(len(segments) - 1, -1, -1):
        for candidate in ("/".join(segments[max(i - 1, 0) : i + 1]), segments[i]):
            if candidate in GOLIVE_CALLS:
                return candidate
    return ""


#: The merchant's words for a platform-side code met on a call its entry was not written for.
ELSEWHERE_TITLE = "平台这次操作微信没有成功"
ELSEWHERE_NEXT = "无需您操作：平台处理好后会自动继续。"


def lookup(code: int, call: str = "") -> Entry | None:
    """The go-live entry of ``code`` for ``call`` (None: not a go-live code).

    An entry written for some calls (``calls``) keeps its words for those; met on another
    call, a platform-side code reads in general words (its operator note still says the
    technical cause), so a wrong-verb 43002 on release never talks about images.
    """
    name = call_name(call) if call else ""
    entry = CALL_CODES.get((name, code)) or GOLIVE_CODES.get(code)
    if entry is None or not name or not entry.calls or name in entry.calls:
        return entry
    if entry.kind == FIXABLE:
        return entry
    return replace(
        entry,
        title=ELSEWHERE_TITLE,
        explanation=f"微信答复：{entry.wechat_text}（{code}）。这与您填写的信息无关。",
        next_step=ELSEWHERE_NEXT,
        fields=(),
    )
