"""A mini program's go-live steps: what the merchant gave, and where each step stands.

One setup per authorized submission (its appid), one row per step. The merchant's
pages call ``give`` (pages store, the worker calls WeChat); the worker's go-live kinds
read the steps that are due and report through ``golive.outcomes``. docs/golive.md has
the states and who may change what.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from portal.db import first, insert, transaction

NAME, AVATAR, INTRO, CATEGORY = "name", "avatar", "intro", "category"
DEPLOY, AUDIT, RELEASE = "deploy", "audit", "release"
TESTERS = "testers"  # optional, beside the pipeline: people who may open the trial version
#: The merchant's steps, in WeChat's order, then the worker's.
MERCHANT_STEPS = (NAME, AVATAR, INTRO, CATEGORY)
STEPS = (*MERCHANT_STEPS, DEPLOY, AUDIT, RELEASE, TESTERS)

TODO, GIVEN, WORKING, WAITING = "todo", "given", "working", "waiting"
DONE, NEEDS_MERCHANT, HELD = "done", "needs_merchant", "held"
#: States in which the merchant may (re)give a step's input.
OPEN_TO_MERCHANT = (TODO, GIVEN, NEEDS_MERCHANT)
STATE_LABELS = {
    TODO: "待填写",
    GIVEN: "已保存，等待提交",
    WORKING: "正在提交给微信",
    WAITING: "微信审核中",
    DONE: "已完成",
    NEEDS_MERCHANT: "需要修改",
    HELD: "平台处理中",
}


GIVE_DETAIL = "商户已填写，等待提交给微信"
#: The timeline's line when the merchant changes a done step after a rejected audit.
REOPENED = "审核未通过后商户修改了这一项，等待提交给微信"


class StepClosed(Exception):
    """The step is with WeChat or done: its input cannot change now."""


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def open_setup(
    db: sqlite_utils.Database, submission_id: int, appid: str, now: float | None = None
) -> dict:
    """The submission's setup, made with its steps the first time (idempotent)."""
    now = _now(now)
    with transaction(db):
        found = first(db, "SELECT * FROM setups WHERE submission_id = ?", [submission_id])
        if found is not None:
            return found
        setup_id = insert(
            db,
            "setups",
            {"submission_id": submission_id, "appid": appid, "created_at": now, "updated_at": now},
        )
        for step in STEPS:
            insert(db, "setup_steps", {"setup_id": setup_id, "step": step, "updated_at": now})
        event(
            db, setup_id, "setup", None, TODO, "小程序已创建，开始设置名称、头像、简介和类目", now
        )
    return first(db, "SELECT * FROM setups WHERE id = ?", [setup_id])


def for_submission(db: sqlite_utils.Database, submission_id: int) -> dict | None:
    return first(db, "SELECT * FROM setups WHERE submission_id = ?", [submission_id])


def get(db: sqlite_utils.Database, setup_id: int) -> dict | None:
    return first(db, "SELECT * FROM setups WHERE id = ?", [setup_id])


def _parsed(row: Mapping[str, Any]) -> dict:
    return {**row, "input": json.loads(row["input"]), "result": json.loads(row["result"])}


def steps(db: sqlite_utils.Database, setup_id: int) -> dict[str, dict]:
    """Every step of the setup, by name, with its input and result parsed."""
    rows = db.query("SELECT * FROM setup_steps WHERE setup_id = ?", [setup_id])
    return {row["step"]: _parsed(row) for row in rows}


def step(db: sqlite_utils.Database, setup_id: int, name: str) -> dict:
    row = first(db, "SELECT * FROM setup_steps WHERE setup_id = ? AND step = ?", [setup_id, name])
    if row is None:
        raise KeyError(name)
    return _parsed(row)


def give(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    values: Mapping[str, Any],
    files: Iterable[tuple[str, str, bytes]] = (),
    now: float | None = None,
    detail: str = GIVE_DETAIL,
) -> dict:
    """Store the merchant's (checked) input for a step; the worker picks it up.

    ``detail`` is the timeline's line (the operator's API says it drove the step).

    ``files`` are (role, content_type, bytes); they replace the step's files of those
    roles. Raises StepClosed while the step is with WeChat or done, except a merchant
    step after a rejected or withdrawn audit (``fixing``): then it is given again, but
    only if the input or a file differs (the same input again changes nothing and the
    step stays done).
    """
    now = _now(now)
    files = list(files)
    with transaction(db):
        current = step(db, setup_id, name)
        reopened = current["state"] == DONE and name in MERCHANT_STEPS and fixing(db, setup_id)
        if current["state"] not in OPEN_TO_MERCHANT and not reopened:
            raise StepClosed(name)
        if reopened:
            if _would_be(db, setup_id, name, values, files) == fingerprint(db, setup_id, name):
                return current
            detail = REOPENED if detail == GIVE_DETAIL else detail
        for role, content_type, content in files:
            give_file(db, setup_id, name, role, content_type, content, now)
        db.execute(
            "UPDATE setup_steps SET input = ?, state = ?, due_at = ?, given_at = ?, reason = NULL, "
            "errcode = NULL, phase = NULL, retry_counts = '{}', updated_at = ? WHERE id = ?",
            [json.dumps(dict(values), ensure_ascii=False), GIVEN, now, now, now, current["id"]],
        )
        event(db, setup_id, name, current["state"], GIVEN, detail, now)
    return step(db, setup_id, name)


def fixing(db: sqlite_utils.Database, setup_id: int) -> bool:
    """The audit came back to the merchant (rejected or withdrawn) and the code is not
    being worked on: the merchant may change any of the four steps, then resubmit."""
    rows = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT step, state FROM setup_steps WHERE setup_id = ? AND step IN (?, ?)",
            [setup_id, AUDIT, DEPLOY],
        )
    }
    return rows.get(AUDIT) == NEEDS_MERCHANT and rows.get(DEPLOY) == DONE


def _digest(values: Mapping[str, Any], files: Mapping[str, str]) -> str:
    text = json.dumps([dict(values), sorted(files.items())], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _file_digests(db: sqlite_utils.Database, setup_id: int, name: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT role, sha256 FROM setup_files WHERE setup_id = ? AND step = ?", [setup_id, name]
    ).fetchall()
    return dict(rows)


def fingerprint(db: sqlite_utils.Database, setup_id: int, name: str) -> str:
    """What the step holds now (its input and its files' digests), as one digest: the
    deploy keeps the four steps' at submit, so a resubmission knows what changed."""
    return _digest(step(db, setup_id, name)["input"], _file_digests(db, setup_id, name))


def fingerprints(db: sqlite_utils.Database, setup_id: int) -> dict[str, str]:
    return {name: fingerprint(db, setup_id, name) for name in MERCHANT_STEPS}


def _would_be(db, setup_id: int, name: str, values: Mapping[str, Any], files) -> str:
    digests = _file_digests(db, setup_id, name)
    digests.update({role: hashlib.sha256(content).hexdigest() for role, _t, content in files})
    return _digest(values, digests)


def give_file(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    role: str,
    content_type: str,
    content: bytes,
    now: float | None = None,
) -> None:
    """Keep one file of a step (replacing an older one of the same role)."""
    with transaction(db):
        db.execute(
            "DELETE FROM setup_files WHERE setup_id = ? AND step = ? AND role = ?",
            [setup_id, name, role],
        )
        insert(
            db,
            "setup_files",
            {
                "setup_id": setup_id,
                "step": name,
                "role": role,
                "content_type": content_type,
                "content": content,
                "sha256": hashlib.sha256(content).hexdigest(),
                "created_at": _now(now),
            },
        )


def files(db: sqlite_utils.Database, setup_id: int, name: str) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM setup_files WHERE setup_id = ? AND step = ? ORDER BY id",
            [setup_id, name],
        )
    )


def event(db, setup_id: int, name: str, from_state, to_state: str, detail: str, now: float) -> None:
    """Note a step's change on the setup's timeline (inside the caller's transaction)."""
    insert(
        db,
        "setup_events",
        {
            "setup_id": setup_id,
            "at": now,
            "step": name,
            "from_state": from_state,
            "to_state": to_state,
            "detail": detail,
        },
    )


def timeline(db: sqlite_utils.Database, setup_id: int) -> list[dict]:
    return list(
        db.query("SELECT * FROM setup_events WHERE setup_id = ? ORDER BY at, id", [setup_id])
    )


def file_roles(db: sqlite_utils.Database, setup_id: int, name: str) -> list[str]:
    """The roles of a step's files, without loading their bytes."""
    rows = db.execute(
        "SELECT role FROM setup_files WHERE setup_id = ? AND step = ? ORDER BY id", [setup_id, name]
    ).fetchall()
    return [row[0] for row in rows]


def plain(text: str | None) -> str:
    """WeChat's reason as plain text: line breaks kept, tags and entities gone."""
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    text = re.sub(r"(?<=[。；;])\s*(?=\d{1,2}[.、．])", "\n", text)  # "1.… 2.…": one per line
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def live(db: sqlite_utils.Database, setup_id: int) -> bool:
    return step(db, setup_id, RELEASE)["state"] == DONE


def on_steps(db: sqlite_utils.Database, wanted: Mapping[int, str]) -> dict[int, dict]:
    """For each submission in ``wanted`` (submission id → step name) that has a setup: that
    step's row (submission_id, step, state, errcode, reason). Only those ids are read."""
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = db.query(
        f"SELECT u.submission_id, t.step, t.state, t.errcode, t.reason FROM setups u "
        f"JOIN setup_steps t ON t.setup_id = u.id WHERE u.submission_id IN ({marks})",
        list(wanted),
    )
    return {
        row["submission_id"]: row for row in rows if wanted[row["submission_id"]] == row["step"]
    }
