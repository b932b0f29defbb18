"""The code catalogue: every errcode and push status a person may meet, in plain Chinese.

The single source of truth for pages, consoles, the worker's classification and tests.
Sources: the three tables of the fast-register document (create errcodes, search
errcodes, push statuses), REFERENCE §3 (generic API errcodes) and §5 (89255, the
newer meaning of -1, statuses 1001-1008). API errcodes and push statuses are separate
namespaces: -1 means "system busy" from the API but "company and legal person's name
do not match" in a push. The go-live calls (SETUP.md) are a third context: see
``golive`` and ``golive_entry``.
"""

from __future__ import annotations

from portal.wechat.codes.api import API_CODES as _SEED_API_CODES
from portal.wechat.codes.entry import (  # noqa: F401 (the vocabulary callers use)
    ACTOR_LABELS,
    CATEGORY,
    CODE,
    CODE_TYPE,
    CONTENT_REVIEW,
    DAY,
    EXPIRED,
    FAILED,
    FIXABLE,
    GOLIVE_FIELDS,
    HEAD_IMAGE,
    LEGAL_NAME,
    LEGAL_PERSON,
    MERCHANT,
    MONTH,
    NAME,
    NICKNAME,
    OK,
    OPERATOR,
    OPERATOR_PROBLEM,
    PRIVACY_CONTACT,
    PROGRESS,
    QUALIFICATION,
    SIGNATURE,
    STAFF,
    STATE,
    SUCCEEDED,
    TESTER,
    TRANSIENT,
    WAIT,
    WECHAT,
    YEAR,
    Entry,
)
from portal.wechat.codes.golive import CALL_CODES as CALL_CODES
from portal.wechat.codes.golive import GOLIVE_CALLS as GOLIVE_CALLS
from portal.wechat.codes.golive import GOLIVE_CODES as GOLIVE_CODES
from portal.wechat.codes.golive import call_name as call_name
from portal.wechat.codes.golive import lookup as _golive_lookup
from portal.wechat.codes.golive_setup import REGISTER_LIMIT_CODES
from portal.wechat.codes.platform import PLATFORM_CODES
from portal.wechat.codes.push import ENDED_EARLY as ENDED_EARLY
from portal.wechat.codes.push import PUSH_STATUSES
from portal.wechat.codes.push import REFUSAL_MARGIN as REFUSAL_MARGIN
from portal.wechat.codes.v2 import V2_API_CODES
from portal.wechat.codes.v2 import V2_STATUSES as V2_STATUSES

#: Create's "this company already has a running task" (one task per company at a time).
TASK_RUNNING = 89249

#: Every API errcode; the newer API's own codes are marked source="newer", the go-live
#: ones source="setup". Where a go-live code is also a create code (-1, 40001, 40014,
#: 45009, 61007), the create's meaning is kept here and ``golive_entry`` has the other.
API_CODES = {
    **GOLIVE_CODES,
    **REGISTER_LIMIT_CODES,
    **_SEED_API_CODES,
    **PLATFORM_CODES,
    **V2_API_CODES,
}


def _unknown(code: int | None, msg: str) -> Entry:
    shown = "未知" if code is None else str(code)
    return Entry(
        code if code is not None else 0,
        msg,
        f"微信返回了未收录的代码 {shown}",
        f"微信的说明：{msg or '（无）'}",
        OPERATOR,
        "请联系客服，并提供本页链接；客服会查明原因。",
        resubmit="no",
        known=False,
        kind=TRANSIENT,
        operator_note=f"目录未收录的代码 {shown}（微信的说明：{msg or '无'}）：worker 已暂停该项。"
        "查明含义后在 portal/wechat/codes/ 中补充它的说明与分类，再在客服后台点“恢复处理”。",
    )


def api_entry(code: int | None, msg: str = "", call: str = "") -> Entry:
    """Return the catalogue entry for an API errcode (unknown codes still render).

    ``call`` (a go-live call's name or endpoint path) reads the code in that call's
    context; without it, a code shared with the create keeps the create's meaning.
    """
    if call and call_name(call):
        return golive_entry(code, msg, call)
    entry = API_CODES.get(code) if code is not None else None
    return entry or _unknown(code, msg)


def golive_entry(code: int | None, msg: str = "", call: str = "") -> Entry:
    """The entry for an errcode of a go-live call (SETUP.md), in that call's context."""
    if code is None:
        return _unknown(code, msg)
    return _golive_lookup(code, call) or API_CODES.get(code) or _unknown(code, msg)


def ended_early(status: int | None, ended_at: float, deadline_at: float | None) -> Entry | None:
    """What ``status`` means when it ended a task well before its 24 hours were over
    (classic's 100003 then is a refusal); None when it means what it says."""
    early = ENDED_EARLY.get(status) if status is not None else None
    if early is None or deadline_at is None:
        return None
    return early if deadline_at - ended_at > REFUSAL_MARGIN else None


def push_entry(
    status: int | None, msg: str = "", statuses: dict[int, Entry] = PUSH_STATUSES
) -> Entry:
    """Return the entry for a result status (unknown statuses still render, as failures)."""
    entry = statuses.get(status) if status is not None else None
    return entry or _unknown(status, msg)
