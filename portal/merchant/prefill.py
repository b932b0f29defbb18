"""The resubmit form's prefill (``/apply?from=<public_id>``), and who may see what in it.

The public id is the status link's only secret, and status links travel (partner
links, logs, a forwarded chat), so it proves nothing about personal data. The company's
facts are public (the business licence, the national credit system) and always come
back. The legal person's facts and the contact phone (the second fact of ``/find``)
come back only to the browser that typed them (its signed session remembers the public
ids it submitted) and to staff and admins, who see them on the submission's page anyway
(audited). Anyone else retypes them: the merchant's one-tap journey is unchanged.
"""

from __future__ import annotations

from flask import flash, session
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import audit
from portal.registration.flavors import Flavor

#: Public ids this browser submitted, newest last (in the signed session cookie).
OWN_SUBMISSIONS = "own_submissions"
OWN_KEPT = 20
STAFF_ROLES = ("staff", "admin")


def remember(public_id: str) -> None:
    """This browser typed the facts of ``public_id``: it may see them again in a prefill."""
    own = session.get(OWN_SUBMISSIONS)
    own = [p for p in own if p != public_id] if isinstance(own, list) else []
    session[OWN_SUBMISSIONS] = [*own[-(OWN_KEPT - 1) :], public_id]


def _staff() -> bool:
    return bool(current_user.is_authenticated and current_user.role in STAFF_ROLES)


def proven(previous: dict) -> bool:
    """Whether this request may see ``previous``'s personal facts (see the module)."""
    own = session.get(OWN_SUBMISSIONS)
    return _staff() or (isinstance(own, list) and previous["public_id"] in own)


def prefill(form: FlaskForm, flavor: Flavor, previous: dict) -> None:
    """Fill the form from ``previous`` with what this request may see.

    Purged facts are masked (张*): they would only mislead as a prefill.
    """
    personal = not previous["purged_at"] and proven(previous)
    if personal and _staff():
        audit.record("view submission", f"submission {previous['id']}", "预填重新提交的表单")
    kept = [f.name for f in flavor.fields if personal or not f.personal]
    form.process(data={f: str(previous.get(f) or "") for f in kept})
    if personal or previous["purged_at"]:
        form.contact_phone.data = previous["contact_phone"]
        return
    withheld = [f.label for f in flavor.fields if f.personal and previous.get(f.name)]
    if previous["contact_phone"]:
        withheld.append("联系电话")
    if withheld:
        flash(
            f"为保护个人信息，{'、'.join(withheld)}没有带出，请重新填写；其余信息已按上次填写。",
            "warn",
        )
