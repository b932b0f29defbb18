"""Partner routes. Every lookup is scoped by the logged-in partner's own id."""

from __future__ import annotations

import time as clock

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import accounts, audit, brand, links
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.golive import actions as golive
from portal.inputs import page_number
from portal.partner import merchants
from portal.partner import poster as posters
from portal.partner.blueprint import bp
from portal.partner.forms import LinkForm
from portal.qr import qr_response
from portal.registration import reports
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor
from portal.timefmt import date_start


def _link(link_id: int) -> dict:
    """The partner's own link, or 404: never another partner's."""
    return links.for_partner(get_db(), current_user.partner_id, link_id) or abort(404)


def _signup_url(link: dict) -> str:
    return url_for("merchant.referral", slug=link["slug"], _external=True)


@bp.get("/")
@role_required("partner")
def dashboard() -> ResponseReturnValue:
    db = get_db()
    page = page_number()
    found, total = reports.partner_merchants(db, current_user.partner_id, page)
    funnel = links.with_funnel(db, current_user.partner_id)
    totals = {
        k: sum(link[k] for link in funnel) for k in ("opens", "starts", "submitted", "succeeded")
    }
    totals["released"] = sum(golive.released(db, current_user.partner_id).values())
    audit.record("view merchants", f"partner {current_user.partner_id}", f"page {page}")
    return render_template(
        "partner/dashboard.html",
        rows=merchants.rows(db, found),
        button=ButtonForm(),
        totals=totals,
        total=total,
        page=page,
        pages=max(1, -(-total // reports.PER_PAGE)),
    )


@bp.post("/merchants/<int:submission_id>/status-link")
@role_required("partner")
def status_link(submission_id: int) -> ResponseReturnValue:
    """The partner's own merchant's private status link, to send it again; audit-logged.

    Answered here, never redirected: the link stays out of flashes and the session.
    """
    sub = subs.get(get_db(), submission_id)
    if sub is None or sub["partner_id"] != current_user.partner_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        flash("页面已过期，请刷新后再点“复制链接”。", "error")
        return redirect(url_for(".dashboard"))
    audit.record("reveal status link", f"submission {submission_id}", "代理商重新发送进度页链接")
    return render_template(
        "partner/status_link.html",
        sub=sub,
        url=url_for("merchant.status", public_id=sub["public_id"], _external=True),
    )


@bp.route("/links", methods=["GET", "POST"], endpoint="links")
@role_required("partner")
def links_page() -> ResponseReturnValue:
    db = get_db()
    form = LinkForm()
    if form.validate_on_submit():
        expires = date_start(form.expires_on.data, extra_days=1)
        link = links.create(
            db,
            current_user.partner_id,
            form.label.data.strip(),
            contact_phone=form.contact_phone.data or "",
            expires_at=expires,
        )
        audit.record("create link", f"link {link['id']}", link["label"])
        flash("链接已生成，可保存海报图片或下载二维码。", "ok")
        return redirect(url_for(".links"))
    return render_template(
        "partner/links.html",
        form=form,
        button=ButtonForm(),
        links=links.with_funnel(db, current_user.partner_id),
        released=golive.released(db, current_user.partner_id),
        signup_url=_signup_url,
        now=clock.time(),
    )


@bp.post("/links/<int:link_id>/<any(disable, enable):action>")
@role_required("partner")
def toggle_link(link_id: int, action: str) -> ResponseReturnValue:
    _link(link_id)
    if ButtonForm().validate_on_submit():
        links.set_disabled(get_db(), current_user.partner_id, link_id, action == "disable")
        audit.record(f"{action} link", f"link {link_id}")
        flash(
            "链接已停用，打开它的人会看到“链接已失效”。" if action == "disable" else "链接已恢复。",
            "ok",
        )
    return redirect(url_for(".links"))


@bp.get("/links/<int:link_id>/qr.<any(svg, png):kind>")
@role_required("partner")
def link_qr(link_id: int, kind: str) -> Response:
    download = f"link-{link_id}.{kind}" if request.args.get("download") else ""
    return qr_response(_signup_url(_link(link_id)), kind, download)


def _poster_steps() -> list[str]:
    flavor = get_flavor(current_app.config["REGISTER_API"])
    labels = "、".join(f.label for f in flavor.fields if not f.choices)
    return [
        f"填写{labels}",
        f"法定代表人{flavor.landing_step}（24 小时内）",
        "小程序在您的企业名下创建完成",
    ]


def poster_partner_lines(link: dict) -> list[str]:
    """Who handed out the poster and how to reach them, as the link's landing page says."""
    partner = accounts.get_partner(get_db(), link["partner_id"])
    lines = [f"推荐服务商：{partner['name']}"] if partner else []
    if link["contact_phone"]:
        lines.append(f"服务商电话：{link['contact_phone']}")
    return lines


@bp.get("/links/<int:link_id>/poster")
@role_required("partner")
def poster(link_id: int) -> ResponseReturnValue:
    link = _link(link_id)
    try:
        posters.find_font()
        missing = ""
    except posters.FontMissing:
        missing = "服务器缺少中文字体，暂时无法生成海报图片。请联系平台管理员安装 fonts-noto-cjk。"
    return render_template(
        "partner/poster.html",
        link=link,
        url=_signup_url(link),
        missing=missing,
        partner_lines=poster_partner_lines(link),
    )


@bp.get("/links/<int:link_id>/poster.png")
@role_required("partner")
def poster_png(link_id: int) -> ResponseReturnValue:
    link = _link(link_id)
    b = brand.from_config(current_app.config)
    try:
        png = posters.draw(
            _signup_url(link), b.name, _poster_steps(), b.support_line, poster_partner_lines(link)
        )
    except posters.FontMissing:
        abort(503)
    headers = {"Content-Disposition": f"attachment; filename=poster-{link_id}.png"}
    return Response(
        png, mimetype="image/png", headers=headers if request.args.get("download") else {}
    )
