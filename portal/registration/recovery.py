"""Which submissions a merchant's proof opens (``/find``): the company code, which is
public, plus one fact only the submitter has. portal/merchant/find.py is the page and
docs/operations.md *Lost status links* the threat model.

A fact proves a submission when it is the legal person's WeChat ID or the contact phone
given with it (phones compared in one form: a number stored with +86 or hyphens before
the form normalized it is found however it is typed now); once the mini program exists,
its AppID; or, for a submission that holds no private fact and no mini program yet (v2
without a phone), the company's exact name. Comparisons take constant time.
"""

from __future__ import annotations

import hmac

import sqlite_utils

from portal import normalize
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor

#: States whose page lets its holder act on a mini program (the go-live setup): only a
#: private fact opens them.
CREATED = (subs.SUCCEEDED, subs.AUTHORIZED)
LIMIT = 20  # the company's newest submissions looked at


def _same(a: str, b: str) -> bool:
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


def _phone_key(phone: str) -> str:
    """A phone as compared: a mobile's 11 digits (no +86 or 0086), any other hyphen-free."""
    return normalize.contact_phone(phone).replace("-", "")


def _of_company(db: sqlite_utils.Database, code: str) -> list[dict]:
    key = normalize.company_code(code).replace("-", "")
    return list(
        db.query(
            "SELECT * FROM submissions WHERE replace(code, '-', '') = ? AND purged_at IS NULL "
            "ORDER BY id DESC LIMIT ?",
            [key, LIMIT],
        )
    )


def _by_private_fact(row: dict, wechat: str, phone: str) -> bool:
    own_wechat = (row["legal_persona_wechat"] or "").lower()
    return _same(own_wechat, wechat) or _same(_phone_key(row["contact_phone"] or ""), phone)


def _without_private_fact(row: dict) -> bool:
    """Nothing but public facts were given (v2 without a phone), and no mini program yet."""
    created = row["state"] in CREATED or (row["state"] == subs.HELD and row["held_from"] in CREATED)
    personal = get_flavor(row["flavor"]).personal_facts(row)
    return not (any(value for _, value in personal) or row["contact_phone"] or created)


def proven_by(db: sqlite_utils.Database, code: str, secret: str) -> list[dict]:
    """Submissions of ``code`` whose WeChat ID or contact phone is ``secret`` (newest first)."""
    wechat, phone = normalize.wechat_id(secret).lower(), _phone_key(secret)
    return [row for row in _of_company(db, code) if _by_private_fact(row, wechat, phone)]


def recoverable(db: sqlite_utils.Database, code: str, secret: str) -> list[dict]:
    """Submissions of ``code`` that ``secret`` proves by any of the facts above (newest
    first), read in one query."""
    wechat, phone = normalize.wechat_id(secret).lower(), _phone_key(secret)
    appid, name = secret.strip().lower(), normalize.company_name(secret)
    return [
        row
        for row in _of_company(db, code)
        if _by_private_fact(row, wechat, phone)
        or _same((row["appid"] or "").lower(), appid)
        or (_without_private_fact(row) and _same(row["name"], name))
    ]
