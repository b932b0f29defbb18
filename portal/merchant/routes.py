"""What the merchant's pages share, and the front door: the registration API in use, a
submission by its public id, the company's other submissions as shown, the submit rate
limit, the context every page gets, the landing page and a partner's signup link.

Routes stay thin: validation and the domain do the work. The apply flow is in
``portal.merchant.apply``, the status page and its resubmit in ``portal.merchant.status``.
"""

from __future__ import annotations

from urllib.parse import urlparse

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from portal import accounts, links, ratelimit
from portal.config import RETIRED_HOST
from portal.db import get_db
from portal.merchant.blueprint import bp
from portal.merchant.prefill import proven
from portal.registration import same_company
from portal.registration import submissions as subs
from portal.registration.flavors import Flavor
from portal.registration.flavors import flavor as get_flavor

#: [public id, when] of this browser's last submission: the form says so after "back".
JUST_SUBMITTED = "just_submitted"


def current_flavor() -> Flavor:
    """The API new submissions go to (PORTAL_WECHAT_REGISTER_API)."""
    return get_flavor(current_app.config["REGISTER_API"])


def submission_or_404(public_id: str) -> dict:
    """The submission behind a status link, or a 404."""
    sub = subs.get_by_public_id(get_db(), public_id)
    if sub is None:
        abort(404)
    return sub


def company_rows(rows: list[dict]) -> list[dict]:
    """Other submissions of a company as this request may see them (same_company's
    module: a stranger learns they exist and a masked AppID, never the status link)."""
    return [
        {
            "registered": same_company.registered(row),
            "appid": same_company.mask_appid(row["appid"]),
            "public_id": row["public_id"] if proven(row) else None,
        }
        for row in rows
    ]


def minutes_until_submit_allowed() -> int:
    """Each submission spends WeChat quota: PORTAL_SUBMISSIONS_PER_HOUR per address."""
    limit = int(current_app.config["SUBMISSIONS_PER_HOUR"])
    address = request.remote_addr or ""
    return ratelimit.minutes_until_allowed(get_db(), "submit", address, limit, 3600)


@bp.app_context_processor
def environment() -> dict:
    """Outside WeChat's own API (the sandbox demo, a staging copy), every page says so."""
    host = urlparse(str(current_app.config["WECHAT_API_BASE"])).hostname or ""
    if host == RETIRED_HOST:
        return {"demo_banner": ""}
    flavor = current_flavor()
    return {
        "demo_banner": f"演示环境：连接的是微信沙箱，不会真的注册小程序 · 接口：{flavor.title}（{flavor.name}）"
    }


@bp.context_processor
def referrer() -> dict:
    """The partner who brought the merchant, and the phone the partner chose to show."""
    slug = request.args.get("ref") or session.get("ref")
    link = links.usable(get_db(), slug) if slug else None
    partner = accounts.get_partner(get_db(), link["partner_id"]) if link else None
    if not partner:
        return {"referrer": None}
    return {"referrer": {"name": partner["name"], "phone": link["contact_phone"]}}


@bp.get("/")
def landing() -> ResponseReturnValue:
    return render_template("merchant/landing.html", flavor=current_flavor())


@bp.get("/r/<slug>")
def referral(slug: str) -> ResponseReturnValue:
    """A partner's signup link: count the open, remember the partner, show the landing."""
    link = links.usable(get_db(), slug)
    if link is None:
        return render_template("merchant/link_expired.html"), 410
    links.record_event(get_db(), link["id"], "open")
    session["ref"] = slug
    return redirect(url_for(".landing", ref=slug))
