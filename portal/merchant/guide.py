"""The legal person's side: what message comes from whom, what to tap, the deadline.

The guide is written for a person who did not fill in the form; under v2 it carries the
verification link, as a QR code too, so it can be opened on the phone that does the
face check.
"""

from __future__ import annotations

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue

from portal.merchant.blueprint import bp
from portal.merchant.routes import current_flavor, submission_or_404
from portal.qr import qr_response
from portal.registration.flavors import flavor as get_flavor


@bp.get("/guide")
def guide() -> ResponseReturnValue:
    return render_template(
        "merchant/guide.html", flavor=current_flavor(), sub=None, deadline_at=None, link=None
    )


@bp.get("/s/<public_id>/guide")
def guide_for(public_id: str) -> ResponseReturnValue:
    sub = submission_or_404(public_id)
    flavor = get_flavor(sub["flavor"])
    return render_template(
        "merchant/guide.html",
        flavor=flavor,
        sub=sub,
        deadline_at=sub["deadline_at"],
        link=flavor.legal_person_link(sub),
    )


@bp.get("/s/<public_id>/verify.svg")
def verify_qr(public_id: str) -> Response:
    """The legal person's verification link as a QR code (flavors that have one)."""
    sub = submission_or_404(public_id)
    link = get_flavor(sub["flavor"]).legal_person_link(sub)
    if not link:
        abort(404)
    return qr_response(link)
