"""The same company, twice: one notion of "the same company" and who is told what.

A company is the same when its normalized code (统一社会信用代码, or an older licence's
number) is the same or, failing that, its normalized name is: a company that moved from
a registration number to a credit code keeps its name, and one that was renamed keeps
its code. Both are indexed (``submissions_code_key``, ``submissions_name_key``).

The product promise: a company never gets a second mini program through the portal by
accident. The merchant form, its confirmation and the API ask for an explicit "yes, a
second one" while another submission of the company has succeeded or is in flight
(``others``, ``needing_consent``); the worker never sends a company's create while
another of its tasks may be running at WeChat (``waits_for``, WeChat's one task per
company at a time, errcode 89249).

Who learns what. The company's name and code are public (the business licence, the
national credit system), so a stranger can type them. A stranger is told only that the
company already has a mini program through this platform (its AppID masked, wx12…cdef:
a mini program's owner is public in WeChat anyway) or has an application in progress,
and is pointed at ``/find``, which asks for a fact only the submitter typed. The other
submission's status link, dates, partner and people are shown only to the browser that
submitted it (its session's own submissions), to staff, and, in the API, to the partner
the other submission belongs to.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from portal import normalize
from portal.db import first, transaction
from portal.registration import submissions as subs
from portal.registration.outcomes import Decision, decide

#: The states in which another submission of the company needs the merchant's consent:
#: in flight, or succeeded (a row with an AppID counts whatever its state).
BLOCKING = (*subs.IN_FLIGHT, subs.SUCCEEDED, subs.AUTHORIZED)
COLUMNS = (
    "id, public_id, name, code, state, refused, appid, partner_id, match_key, held_from, "
    "created_at, purged_at"
)
LIMIT = 20


def keys(name: str, code: str) -> tuple[str, str]:
    """(code key, name key) as the indexes hold them; "" for a fact not given.

    The code as stored (upper case, half-width, no spaces) without its hyphen; the name
    with full-width letters made half-width, spaces dropped, brackets full-width as
    registered, and ASCII letters lower-cased.
    """
    code_key = normalize.company_code(code or "").replace("-", "")
    name_key = normalize.company_name(unicodedata.normalize("NFKC", name or "")).lower()
    return code_key, name_key


def _where(name: str, code: str) -> tuple[str, list[Any]]:
    code_key, name_key = keys(name, code)
    terms, params = [], []
    if code_key:
        terms.append("replace(code, '-', '') = ?")
        params.append(code_key)
    if name_key:
        terms.append("lower(name) = ?")
        params.append(name_key)
    return " OR ".join(terms), params


def others(
    db: sqlite_utils.Database,
    *,
    name: str,
    code: str,
    exclude_id: int | None = None,
    states: Iterable[str] | None = BLOCKING,
) -> list[dict]:
    """The company's other submissions, newest first (at most ``LIMIT``).

    ``states`` BLOCKING (the default): those that succeeded (have an AppID) or are in
    flight; None: every one (the staff page).
    """
    match, params = _where(name, code)
    if not match:
        return []
    sql = f"SELECT {COLUMNS} FROM submissions WHERE ({match})"
    if exclude_id is not None:
        sql += " AND id != ?"
        params.append(exclude_id)
    if states is not None:
        states = tuple(states)
        marks = ", ".join("?" for _ in states)
        sql += f" AND (state IN ({marks}) OR coalesce(appid, '') != '')"
        params += states
    return list(db.query(f"{sql} ORDER BY id DESC LIMIT {LIMIT}", params))


def of_submission(
    db: sqlite_utils.Database, sub: Mapping[str, Any], states: Iterable[str] | None = BLOCKING
) -> list[dict]:
    """``others`` for a stored submission (itself left out)."""
    return others(db, name=sub["name"], code=sub["code"], exclude_id=sub["id"], states=states)


def registered(row: Mapping[str, Any]) -> bool:
    """Whether this submission made a mini program (it has an AppID)."""
    return bool(row.get("appid"))


def needing_consent(rows: Iterable[Mapping[str, Any]], match_key: str) -> list[dict]:
    """The rows a new submission with ``match_key`` needs an explicit "yes" against.

    An in-flight submission with exactly these facts is left out: ``submissions.submit``
    opens it instead of making a second one (a re-post from back/forward lands there).
    """
    return [
        dict(r)
        for r in rows
        if registered(r) or not (r["state"] in subs.IN_FLIGHT and r["match_key"] == match_key)
    ]


def mask_appid(appid: str | None) -> str:
    """wx0123456789abcdef → wx01…cdef: recognisable by its owner, useless to others."""
    if not appid:
        return ""
    return f"{appid[:4]}…{appid[-4:]}" if len(appid) > 8 else appid[:2] + "…"


# The worker's side: WeChat runs one fast-register task per company at a time (89249).

#: The states in which a submission's task may be running at WeChat.
_AT_WECHAT = subs.WITH_WECHAT
WAIT_DETAIL = "暂未提交：同一公司的另一个申请正在微信办理，它结束后自动提交"


def waits_for(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> dict | None:
    """The submission of the same company that ``sub``'s create must wait for, if any.

    One whose task may be running at WeChat (with WeChat, or held from there), or an
    older one still queued: a company's creates go out one at a time, oldest first, so
    two queued ones never race each other to WeChat.
    """
    match, params = _where(sub["name"], sub["code"])
    if not match:
        return None
    at_wechat = ", ".join("?" for _ in _AT_WECHAT)
    return first(
        db,
        f"SELECT {COLUMNS} FROM submissions WHERE ({match}) AND id != ? AND ("
        f"state IN ({at_wechat}) OR (state = ? AND held_from IN ({at_wechat})) "
        "OR (state = ? AND id < ?)) ORDER BY id LIMIT 1",
        [*params, sub["id"], *_AT_WECHAT, subs.HELD, *_AT_WECHAT, subs.QUEUED, sub["id"]],
    )


def last_sent_at(db: sqlite_utils.Database, sub: Mapping[str, Any]) -> float | None:
    """When the portal last sent a create of ``sub``'s company other than ``sub`` (any API)."""
    match, params = _where(sub["name"], sub["code"])
    if not match:
        return None
    row = db.execute(
        f"SELECT max(sent_at) FROM submissions WHERE ({match}) AND id != ? AND sent_at IS NOT NULL",
        [*params, sub["id"]],
    ).fetchone()
    return row[0] if row and row[0] else None


def hold_back(
    db: sqlite_utils.Database, sub_id: int, delay: float, now: float | None = None
) -> bool:
    """Keep a queued submission queued while another of its company's tasks may run.

    True if it waits (looked at again after ``delay`` seconds); the timeline says so once.
    """
    now = time.time() if now is None else now
    current = subs.get(db, sub_id)
    if current is None or current["state"] != subs.QUEUED or waits_for(db, current) is None:
        return False  # the common case reads two indexed rows and writes nothing

    later = now + max(delay, 1.0)
    if current["waiting_for"] == "company":
        # Already said: only the next look moves. Not a change of the submission, so
        # updated_at (what status pages poll for) stays and the page does not re-render.
        with transaction(db):
            moved = db.execute(
                "UPDATE submissions SET next_attempt_at = ? "
                "WHERE id = ? AND state = ? AND waiting_for = 'company'",
                [later, sub_id, subs.QUEUED],
            ).rowcount
        if moved:
            return True

    def rule(row: dict) -> Decision:
        if row["state"] != subs.QUEUED or waits_for(db, row) is None:
            return None
        first = row["waiting_for"] != "company"
        changes = {"waiting_for": "company", "next_attempt_at": later}
        return subs.QUEUED, WAIT_DETAIL if first else "", changes

    return decide(db, sub_id, rule, now) is not None
