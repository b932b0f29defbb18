"""The ``setup`` object of a submission in the API: where each go-live step stands.

``null`` until the submission is authorized. Each step has its state, the state's
label, WeChat's reason when it needs the merchant (or staff), the latest note of the
setup's timeline and what was given: the name and introduction (not personal data),
the category, the roles of the files kept (never their bytes: the licence photo is
never shown), and the testers' WeChat IDs only for keys with personal_data:read. The
name also says whether WeChat asked proof for it, with WeChat's wording, as the
merchant's checklist does.
Beside the steps, ``icp``: the ICP filing as the worker last read it from WeChat.
Never a token. Read from the database only (pages never call WeChat).
"""

from __future__ import annotations

import html
import re
from typing import Any

import sqlite_utils
from flask import g

from portal.golive import icp, name_proofs
from portal.golive import steps as st
from portal.registration import submissions as subs

#: What each step's input may show (the rest of what the worker keeps stays inside).
INPUTS = {
    st.NAME: ("nickname", "proofs"),
    st.INTRO: ("signature",),
    st.CATEGORY: ("first", "first_name", "second", "second_name", "qualifications"),
    st.DEPLOY: ("feedback_info",),
    st.RELEASE: ("confirmed",),
}
#: The states in which ``reason`` says what WeChat (or the platform) wants.
REASONED = (st.NEEDS_MERCHANT, st.HELD)


def _seconds(at: float | None) -> int | None:
    return None if at is None else int(at)


def plain(text: str) -> str:
    """WeChat's reason as plain text: line breaks kept, tags and entities gone (as the
    merchant's checklist shows it)."""
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    text = re.sub(r"(?<=[。；;])\s*(?=\d{1,2}[.、．])", "\n", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def release_policy(db: sqlite_utils.Database) -> str:
    """The operator's release policy ("auto" or "confirm"), read once per request."""
    if "release_policy" not in g:
        # Imported when asked, like the merchant's page: only the release needs it.
        from portal.golive import platform

        g.release_policy = platform.get(db).release_policy
    return g.release_policy


def _input(name: str, row: dict, personal: bool) -> dict[str, Any]:
    given = row["input"] if isinstance(row["input"], dict) else {}
    if name == st.TESTERS:
        ids = [i for i in given.get("wechat_ids") or () if isinstance(i, str)]
        return {"count": len(ids), **({"wechat_ids": ids} if personal else {})}
    return {key: given[key] for key in INPUTS.get(name, ()) if key in given}


def _step(name: str, row: dict, files: list[str], note: str, personal: bool) -> dict[str, Any]:
    state = row["state"]
    result = row["result"] if isinstance(row["result"], dict) else {}
    shown: dict[str, Any] = {
        "state": state,
        "label": st.STATE_LABELS.get(state, state),
        "reason": (plain(row["reason"] or "") or None) if state in REASONED else None,
        "errcode": row["errcode"] if state in REASONED else None,
        "detail": note or None,
        "input": _input(name, row, personal),
        "files": files,
        "given_at": _seconds(row.get("given_at")),
        "done_at": _seconds(row.get("done_at")),
        "updated_at": _seconds(row.get("updated_at")),
    }
    if name == st.DEPLOY:
        shown["phase"] = row.get("phase")
    if name == st.AUDIT:
        shown["auditid"] = result.get("auditid")
        shown["expected"] = result.get("expected")
        shown["screenshots"] = sum(1 for role in files if role.startswith("screenshot"))
    if name == st.CATEGORY:
        shown["choices_ready"] = isinstance(result.get("choices"), list)
    if name == st.NAME:
        nickname = shown["input"].get("nickname")
        shown["proof_needed"] = name_proofs.asked(result, nickname)
        wording = result.get("wording") if state != st.DONE else None
        shown["wording"] = (plain(wording) or None) if isinstance(wording, str) else None
    return shown


def _untouched() -> dict:
    return {"state": st.TODO, "input": {}, "result": {}, "reason": None, "errcode": None}


def represent(db: sqlite_utils.Database, sub: dict, personal: bool) -> dict[str, Any] | None:
    """The submission's setup as this key may see it (None until it is authorized)."""
    setup = st.for_submission(db, sub["id"])
    if setup is None and (sub["state"] != subs.AUTHORIZED or not sub["appid"]):
        return None
    if setup is None:  # authorized: the worker opens it in a moment, every step to do
        rows = {name: _untouched() for name in st.STEPS}
        files: dict[str, list[str]] = {}
        notes: dict[str, str] = {}
        setup = {"appid": sub["appid"], "auditid": None, "released_at": None}
    else:
        rows = st.steps(db, setup["id"])
        files = {}
        for kept in db.query(
            "SELECT step, role FROM setup_files WHERE setup_id = ? ORDER BY id", [setup["id"]]
        ):
            files.setdefault(kept["step"], []).append(kept["role"])
        notes = {e["step"]: e["detail"] for e in st.timeline(db, setup["id"]) if e["detail"]}
    steps = {
        name: _step(name, rows[name], files.get(name, []), notes.get(name, ""), personal)
        for name in st.STEPS
        if name in rows
    }
    audit, release = rows.get(st.AUDIT, {}), rows.get(st.RELEASE, {})
    policy = release_policy(db)
    return {
        "submission_id": sub["id"],
        "appid": setup["appid"],
        "opened": "id" in setup,
        "live": release.get("state") == st.DONE,
        "auditid": setup["auditid"] or steps.get(st.AUDIT, {}).get("auditid"),
        "released_at": _seconds(setup["released_at"]),
        "release_policy": policy,
        "can_release": releasable(audit, release, policy),
        "created_at": _seconds(setup.get("created_at")),
        "updated_at": _seconds(setup.get("updated_at")),
        "icp": filing(icp.filing(db, setup["id"]) if "id" in setup else icp.filing_unknown()),
        "steps": steps,
    }


def filing(found: icp.Filing) -> dict[str, Any]:
    """The ICP filing as the API shows it (read from the database only)."""
    return {
        "status": found.status,
        "label": found.label,
        "actor": found.actor,
        "todo": found.todo,
        "filed": found.filed,
        "rejections": list(found.rejections),
        "checked_at": _seconds(found.checked_at),
    }


def releasable(audit: dict, release: dict, policy: str) -> bool:
    """The audit passed and the platform waits for a word to release (policy confirm)."""
    return audit.get("state") == st.DONE and release.get("state") == st.TODO and policy == "confirm"


def setup_of(db: sqlite_utils.Database, submission_id: int) -> tuple[dict | None, dict | None]:
    """(the submission, its setup) for the drive endpoints; the setup is opened the first
    time once the submission is authorized, as the merchant's page does (None before)."""
    sub = subs.get(db, submission_id)
    if sub is None:
        return None, None
    setup = st.for_submission(db, submission_id)
    if setup is None and sub["state"] == subs.AUTHORIZED and sub["appid"]:
        setup = st.open_setup(db, submission_id, sub["appid"])
    return sub, setup
