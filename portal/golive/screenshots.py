"""A rejected audit's screenshots: WeChat lists them as media ids (``screenshot``, "a|b")
beside its reason; the worker's ``golive.screenshots`` kind fetches each once per audit
(``get_material``) and keeps it here, so pages only read stored bytes.

What was fetched is recorded on the audit step's result as ``shots``: ``stored`` (the
places n of the kept images, files ``screenshot:<auditid>:<n>``), ``failed`` (n → what
went wrong, in Chinese), ``tries``, and ``retry_at`` while an unanswered fetch is tried
again. A screenshot that cannot be fetched blocks nothing: the reason is on the page
already, and the page says the image could not be loaded. A resubmission's audit starts
with a fresh result, so each audit's screenshots are fetched once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

from portal.golive import outcomes
from portal.golive import steps as st

REJECTED = 1  # get_auditstatus: rejected
TRIES = 3  # fetches of a screenshot WeChat did not answer
RETRY = 30.0  # seconds before an unanswered fetch is tried again
#: Images are served as what their bytes are, whatever was stored beside them.
SIGNATURES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def image_type(content: bytes) -> str | None:
    """The image's MIME type from its first bytes (None: not an image pages show)."""
    return next((kind for sig, kind in SIGNATURES.items() if content.startswith(sig)), None)


def role(auditid: int | None, n: int) -> str:
    return f"screenshot:{auditid or 0}:{n}"


def due(db: sqlite_utils.Database, now: float, limit: int = 20) -> list[dict]:
    """Rejected audits whose screenshots were not fetched yet (or are due again)."""
    return list(
        db.query(
            "SELECT t.setup_id FROM setup_steps t JOIN setups u ON u.id = t.setup_id "
            "WHERE t.step = ? AND t.state = ? AND json_extract(t.result, '$.status') = ? "
            "AND json_array_length(json_extract(t.result, '$.screenshots')) > 0 "
            "AND (json_extract(t.result, '$.shots') IS NULL "
            "OR json_extract(t.result, '$.shots.retry_at') <= ?) "
            "AND (u.claimed_until IS NULL OR u.claimed_until <= ?) LIMIT ?",
            [st.AUDIT, st.NEEDS_MERCHANT, REJECTED, now, now, limit],
        )
    )


@dataclass(frozen=True)
class Wanted:
    auditid: int | None
    media_ids: tuple[str, ...]
    stored: tuple[int, ...]
    tries: int


def wanted(db: sqlite_utils.Database, setup_id: int) -> Wanted | None:
    """What the worker should fetch now for the setup's rejected audit (None: nothing)."""
    audit = st.step(db, setup_id, st.AUDIT)
    result = audit["result"]
    ids = tuple(str(i) for i in result.get("screenshots") or () if str(i))
    if audit["state"] != st.NEEDS_MERCHANT or result.get("status") != REJECTED or not ids:
        return None
    shots = result.get("shots") or {}
    if shots and (shots.get("retry_at") is None or shots["retry_at"] > time.time()):
        return None
    auditid = result.get("auditid") or (st.get(db, setup_id) or {}).get("auditid")
    return Wanted(auditid, ids, tuple(shots.get("stored", ())), int(shots.get("tries", 0)))


def keep(db: sqlite_utils.Database, setup_id: int, auditid: int | None, n: int, content: bytes):
    """Keep one fetched screenshot (typed by its bytes)."""
    kind = image_type(content) or "application/octet-stream"
    st.give_file(db, setup_id, st.AUDIT, role(auditid, n), kind, content)


def record(
    db: sqlite_utils.Database,
    setup_id: int,
    want: Wanted,
    stored: list[int],
    failed: Mapping[int, str],
    unanswered: bool,
) -> dict | None:
    """Note what this round fetched; an unanswered fetch is tried again, up to TRIES."""
    tries = want.tries + 1
    again = unanswered and tries < TRIES
    shots = {
        "auditid": want.auditid,
        "stored": sorted(set(stored)),
        "failed": {str(n): text for n, text in failed.items()},
        "tries": tries,
        "retry_at": time.time() + RETRY if again else None,
    }
    if again:
        detail = ""
    elif failed:
        detail = f"微信的问题截图有 {len(failed)} 张无法读取，商户页面已说明"
        if stored:
            detail = (
                f"已取回微信的 {len(stored)} 张问题截图；{len(failed)} 张无法读取，商户页面已说明"
            )
    else:
        detail = f"已取回微信的 {len(stored)} 张问题截图"

    def rule(row: dict) -> outcomes.Decision:
        result = row["result"]
        same = (result.get("auditid") or want.auditid) == want.auditid
        if row["state"] != st.NEEDS_MERCHANT or not same:
            return None  # resubmitted meanwhile: a new audit, its own screenshots
        return row["state"], detail, {"result": {**result, "shots": shots}}

    return outcomes.decide(db, setup_id, st.AUDIT, rule)


@dataclass(frozen=True)
class Shot:
    n: int
    stored: bool
    problem: str  # why it could not be loaded ("" when stored or still to fetch)


def shown(result: Mapping) -> tuple[int | None, list[Shot], bool]:
    """(auditid, each screenshot, whether they are still being fetched) for the page."""
    ids = [i for i in result.get("screenshots") or () if i]
    shots = result.get("shots") or {}
    stored = set(shots.get("stored", ()))
    failed = shots.get("failed", {})
    fetching = not shots or shots.get("retry_at") is not None
    found = [
        Shot(n, n in stored, "" if n in stored or fetching else failed.get(str(n), "未能取回"))
        for n in range(len(ids))
    ]
    return shots.get("auditid") or result.get("auditid"), found, fetching and bool(ids)
