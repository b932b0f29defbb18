"""The legal person's side: what message comes from whom, what to tap, the deadline.

The guide is written for a person who did not fill in the form and is right to be wary:
it says who is registering and what they will manage, where the message goes, that no
fee or code is ever asked for, and what to do if they did not apply. Under v2 it carries
the verification link, as a QR code too (a PNG, which WeChat's long-press recognises),
so it can be opened on the phone that does the face check.
"""

from __future__ import annotations

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue

from portal.merchant.blueprint import bp
from portal.merchant.routes import current_flavor, submission_or_404
from portal.qr import qr_response
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor

#: The first step of a link flavor's guide when the page has no link to show (``/guide``,
#: or a submission whose link is not there yet or no longer valid).
NO_LINK_STEP = (
    "1. 用本人微信打开验证链接",
    "验证链接由申请人从进度页发给您（链接或二维码）。请在微信里点开链接；收到的是二维码图片时，"
    "在微信里长按图片选“识别二维码”。没收到时，请向申请人索取。",
)


def has_link_step(flavor: Flavor) -> bool:
    """Whether the legal person acts through a link the portal shows (v2), not a message."""
    return type(flavor).legal_person_link is not Flavor.legal_person_link


def sections(flavor: Flavor, link: str | None) -> tuple[tuple[str, str], ...]:
    """The flavor's steps, never pointing at a QR code the page does not show."""
    if has_link_step(flavor) and not link:
        return (NO_LINK_STEP, *flavor.guide_sections[1:])
    return flavor.guide_sections


def _render(flavor: Flavor, sub: dict | None) -> str:
    link = flavor.legal_person_link(sub) if sub else None
    # Who the message goes to (classic: the legal person's name and WeChat ID), masked.
    addressee = [(k, v) for k, v in flavor.personal_facts(sub, masked=True) if v] if sub else []
    return render_template(
        "merchant/guide.html",
        flavor=flavor,
        sub=sub,
        deadline_at=sub["deadline_at"] if sub else None,
        link=link,
        sections=sections(flavor, link),
        by_link=has_link_step(flavor),
        addressee=addressee,
    )


@bp.get("/guide")
def guide() -> ResponseReturnValue:
    return _render(current_flavor(), None)


@bp.get("/s/<public_id>/guide")
def guide_for(public_id: str) -> ResponseReturnValue:
    sub = submission_or_404(public_id)
    return _render(get_flavor(sub["flavor"]), sub)


def _verify_link(public_id: str) -> str:
    sub = submission_or_404(public_id)
    link = get_flavor(sub["flavor"]).legal_person_link(sub)
    if not link:
        abort(404)
    return link


@bp.get("/s/<public_id>/verify.png")
def verify_png(public_id: str) -> Response:
    """The verification link as a PNG QR code: WeChat's long-press 识别二维码 reads
    images, not reliably SVG; sized for 3x screens at the page's 220 CSS pixels."""
    return qr_response(_verify_link(public_id), kind="png", pixels=660)
