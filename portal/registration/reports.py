"""Read-only views over submissions for the consoles: dashboard, search, history."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import day_start
from portal.wechat import codes
from portal.wechat.calllog import (
    ANSWERED_ERRCODES,
    FAILED_CALL_SQL,
    SEARCH_ENDPOINTS,
    calls_and_failures,
)

QUIET_AFTER = 2 * 3600
STATES = (*subs.IN_FLIGHT, subs.SUCCEEDED, subs.AUTHORIZED, *subs.ENDED)
#: The index that keeps each dashboard list in order (migration 8).
INDEX_OF = {"deadline_at": "deadline", "last_activity_at": "activity"}
PER_PAGE = 20


def dashboard(db: sqlite_utils.Database, now: float | None = None) -> dict[str, Any]:
    """The staff dashboard's figures."""
    now = time.time() if now is None else now
    today = day_start(now)
    week = today - 6 * 86400

    def by_state(since: float) -> dict[str, int]:
        """Submissions per state since ``since``: a range count per state on its index
        (one GROUP BY over the whole week sorted 100,000 rows)."""
        counts = {}
        for state in STATES:
            (count,) = db.execute(
                "SELECT count(*) FROM submissions INDEXED BY submissions_state_created "
                "WHERE state = ? AND created_at >= ?",
                [state, since],
            ).fetchone()
            if count:
                counts[state] = count
        return counts

    def first_by(column: str, states: tuple[str, ...], extra: str = "", params=()) -> list[dict]:
        """The 50 smallest ``column`` over ``states``: one ordered index read per state."""
        rows = []
        for state in states:
            rows += db.query(
                f"SELECT id, public_id, name, state, {column} FROM submissions "
                f"INDEXED BY submissions_{INDEX_OF[column]} "
                f"WHERE state = ? {extra} ORDER BY {column} LIMIT 50",
                [state, *params],
            )
        return sorted(rows, key=lambda r: r[column] or 0)[:50]

    waiting = first_by("deadline_at", (subs.CHECKING, subs.AWAITING))
    quiet = first_by(
        "last_activity_at", subs.WITH_WECHAT, "AND last_activity_at < ?", [now - QUIET_AFTER]
    )
    failures = db.execute(
        # "outcome", not "code": GROUP BY code would group by the company code column.
        "SELECT flavor, state, coalesce(push_status, errcode) AS outcome, refused, count(*) "
        "FROM submissions INDEXED BY submissions_outcomes WHERE state IN (?, ?, ?) "
        "AND updated_at >= ? GROUP BY flavor, state, outcome, refused ORDER BY 5 DESC LIMIT 30",
        [*subs.ENDED, week],
    ).fetchall()
    held = list(
        db.query(
            "SELECT id, name, errcode, errmsg, updated_at FROM submissions WHERE state = ? "
            "ORDER BY updated_at LIMIT 50",
            [subs.HELD],
        )
    )
    calls_today, errors_today = calls_and_failures(db, today)
    last_errors = [
        {
            **call,
            "title": codes.api_entry(call["errcode"], call["errmsg"] or "").title
            if call["errcode"] is not None
            else call["error"],
        }
        for call in db.query(
            f"SELECT * FROM api_calls WHERE {FAILED_CALL_SQL} ORDER BY id DESC LIMIT 10"
        )
    ]
    return {
        "today": by_state(today),
        "week": by_state(week),
        "waiting": waiting,
        "quiet": quiet,
        "failures": [
            {"state": s, "code": c, "count": n, "entry": outcome_entry(f, s, c, refused)}
            for f, s, c, refused, n in failures
        ],
        "held": [
            {**row, "entry": codes.api_entry(row["errcode"], row["errmsg"] or "")} for row in held
        ],
        "calls_today": calls_today,
        "errors_today": errors_today,
        "last_errors": last_errors,
        "now": now,
    }


@dataclass
class Filters:
    name: str = ""
    code: str = ""
    legal_name: str = ""
    wechat: str = ""
    state: str = ""
    partner_id: int | None = None
    date_from: float | None = None
    date_to: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["1 = 1"], []
        for column, value in (("name", self.name), ("legal_persona_name", self.legal_name)):
            if value:
                clauses.append(f"submissions.{column} LIKE ? ESCAPE '\\'")
                params.append(
                    "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                )
        if self.code:
            clauses.append("replace(submissions.code, '-', '') = ?")
            params.append(self.code.replace("-", "").replace(" ", "").upper())
        if self.wechat:
            clauses.append("lower(submissions.legal_persona_wechat) = ?")
            params.append(self.wechat.strip().lower())
        if self.state:
            clauses.append("submissions.state = ?")
            params.append(self.state)
        if self.partner_id is not None:
            clauses.append("submissions.partner_id = ?")
            params.append(self.partner_id)
        if self.date_from is not None:
            clauses.append("submissions.created_at >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("submissions.created_at < ?")
            params.append(self.date_to)
        return " AND ".join(clauses), params


def search(
    db: sqlite_utils.Database, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[dict], int]:
    """Submissions matching ``filters``, newest first, one page at a time, and the total."""
    where, params = filters.where()
    total = db.execute(f"SELECT count(*) FROM submissions WHERE {where}", params).fetchone()[0]
    rows = list(
        db.query(
            f"SELECT submissions.*, partners.name AS partner_name FROM submissions "
            f"LEFT JOIN partners ON partners.id = submissions.partner_id WHERE {where} "
            "ORDER BY submissions.id DESC LIMIT ? OFFSET ?",
            [*params, per_page, (max(page, 1) - 1) * per_page],
        )
    )
    return rows, total


def partner_merchants(
    db: sqlite_utils.Database, partner_id: int, page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[dict], int]:
    """Only this partner's submissions (latest of each chain shown by the page)."""
    return search(db, Filters(partner_id=partner_id), page, per_page)


def outcome_entry(flavor_name: str, state: str, code: int | None, refused: int = 0) -> codes.Entry:
    """What ended a submission, from the catalogue of the API it was made with."""
    if state == subs.REJECTED:
        return codes.api_entry(code)
    return get_flavor(flavor_name).outcome({"push_status": code, "refused": refused})


def last_search(db: sqlite_utils.Database, sub: dict) -> dict[str, Any]:
    """What *ask WeChat now* shows: a waiting request, and the latest answer or failure."""
    call = next(
        iter(
            db.query(
                f"SELECT * FROM api_calls WHERE submission_id = ? AND endpoint IN "
                f"({', '.join('?' for _ in SEARCH_ENDPOINTS)}) ORDER BY id DESC LIMIT 1",
                [sub["id"], *SEARCH_ENDPOINTS],
            )
        ),
        None,
    )
    failed = call is not None and (
        call["errcode"] is None or call["errcode"] not in ANSWERED_ERRCODES
    )
    return {
        "pending": sub["search_requested_at"] is not None,
        "at": sub["last_search_at"],
        "entry": None
        if sub["last_search_at"] is None or failed
        else get_flavor(sub["flavor"]).search_entry(sub["last_search_errcode"]),
        "error": codes.api_entry(call["errcode"], call["errmsg"] or "") if failed else None,
        "call": call,
    }


def history(db: sqlite_utils.Database, submission_id: int) -> list[dict]:
    """One timeline of a submission: state changes, WeChat calls, pushes and notes."""
    items: list[dict] = []
    for e in subs.timeline(db, submission_id):
        items.append({"kind": "state", "at": e["at"], "row": e})
    for c in db.query("SELECT * FROM api_calls WHERE submission_id = ?", [submission_id]):
        explained = codes.api_entry(c["errcode"], c["errmsg"] or "").title
        items.append(
            {
                "kind": "call",
                "at": c["at"],
                "row": c,
                "title": explained if c["errcode"] is not None else "",
            }
        )
    for p in db.query(
        "SELECT id, received_at, info_type, fields, outcome FROM pushes WHERE submission_id = ?",
        [submission_id],
    ):
        items.append({"kind": "push", "at": p["received_at"], "row": p})
    for n in db.query("SELECT * FROM notes WHERE submission_id = ?", [submission_id]):
        items.append({"kind": "note", "at": n["at"], "row": n})
    return sorted(items, key=lambda item: (item["at"], item["kind"]))


def chain(db: sqlite_utils.Database, sub: dict) -> list[dict]:
    """Every attempt of this merchant: the submissions linked by resubmission, oldest first."""
    first = sub
    while first["previous_id"]:
        earlier = subs.get(db, first["previous_id"])
        if earlier is None:
            break
        first = earlier
    attempts, current = [first], first
    while True:
        following = list(
            db.query("SELECT * FROM submissions WHERE previous_id = ? ORDER BY id", [current["id"]])
        )
        if not following:
            return attempts
        current = following[0]
        attempts.append(current)
