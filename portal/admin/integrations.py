"""The admin's wiring to the platform's own systems: webhook endpoints and API keys."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import apikeys as keys
from portal import audit
from portal.admin.blueprint import bp
from portal.admin.forms import ApiKeyForm, WebhookForm
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import first, get_db, transaction
from portal.inputs import page_number
from portal.registration import outbox, webhooks
from portal.registration.outbox import EVENT_TYPES
from portal.wechat.authorizers import Vault, VaultError

DELIVERY_STATES = webhooks.DELIVERY_STATES
PER_PAGE = 50


def _vault() -> Vault:
    return Vault(str(current_app.config.get("TOKEN_KEY") or ""))


def _allow_private() -> bool:
    config = current_app.config
    return config["ENV"] != "production" or bool(config.get("WEBHOOK_ALLOW_PRIVATE"))


@bp.route("/webhooks", methods=["GET", "POST"])
@role_required("admin")
def webhook_list() -> ResponseReturnValue:
    db = get_db()
    form = WebhookForm()
    if form.validate_on_submit():
        problem, _ = webhooks.target_problem(form.url.data.strip(), _allow_private())
        if problem:
            form.url.errors.append(f"{problem}。")
        else:
            endpoint_id, _ = webhooks.create_endpoint(
                db,
                _vault(),
                form.url.data.strip(),
                form.event_types.data,
                secret=form.secret.data or "",
                personal_data=form.personal_data.data,
                description=form.description.data or "",
            )
            audit.record("create webhook", f"webhook {endpoint_id}", form.url.data.strip())
            flash("接收地址已添加。签名密钥见下方，请配置到接收方。", "ok")
            return redirect(url_for(".webhook_detail", endpoint_id=endpoint_id))
    rows = []
    for row in webhooks.endpoints(db):
        counts = dict(
            db.execute(
                "SELECT state, count(*) FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY state",
                [row["id"]],
            ).fetchall()
        )
        rows.append({**row, "types": row["event_types"].split(","), "counts": counts})
    return render_template(
        "admin/webhooks.html",
        form=form,
        endpoints=rows,
        states=DELIVERY_STATES,
        button=ButtonForm(),
    )


def _deliveries(db, endpoint_id: int, page: int) -> list[dict]:
    rows = list(
        db.query(
            "SELECT d.*, e.type, e.subject FROM webhook_deliveries d "
            "JOIN webhook_events e ON e.id = d.event_id WHERE d.endpoint_id = ? "
            "ORDER BY d.id DESC LIMIT ? OFFSET ?",
            [endpoint_id, PER_PAGE, (page - 1) * PER_PAGE],
        )
    )
    for row in rows:
        row["attempt_rows"] = list(
            db.query(
                "SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id DESC LIMIT 20",
                [row["id"]],
            )
        )
        row["state_label"] = DELIVERY_STATES.get(row["state"], row["state"])
        row["event_label"] = EVENT_TYPES.get(row["type"], row["type"])
    return rows


def _readable_secret(sealed: str) -> str | None:
    """The signing secret, or None when it was sealed under another PORTAL_TOKEN_KEY."""
    try:
        return _vault().open(sealed)
    except VaultError:
        return None


@bp.get("/webhooks/<int:endpoint_id>")
@role_required("admin")
def webhook_detail(endpoint_id: int) -> ResponseReturnValue:
    db = get_db()
    endpoint = webhooks.endpoint(db, endpoint_id) or abort(404)
    page = page_number()
    return render_template(
        "admin/webhook.html",
        endpoint=endpoint,
        secret=_readable_secret(endpoint["secret"]),
        types=[(t, EVENT_TYPES.get(t, t)) for t in endpoint["event_types"].split(",")],
        deliveries=_deliveries(db, endpoint_id, page),
        last_test=_last_test(db, endpoint_id),
        page=page,
        per_page=PER_PAGE,
        button=ButtonForm(),
    )


@bp.post("/webhooks/<int:endpoint_id>/<any(disable, enable, rotate):action>")
@role_required("admin")
def webhook_action(endpoint_id: int, action: str) -> ResponseReturnValue:
    db = get_db()
    webhooks.endpoint(db, endpoint_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if action == "rotate":
        webhooks.rotate_secret(db, _vault(), endpoint_id)
        audit.record("rotate webhook secret", f"webhook {endpoint_id}")
        flash("签名密钥已更换：请把新密钥配置到接收方，之后的投递都用新密钥签名。", "ok")
    else:
        webhooks.set_disabled(db, endpoint_id, action == "disable")
        audit.record(f"{action} webhook", f"webhook {endpoint_id}")
        flash(
            "已停用：新事件不再投递给它，已排队的投递暂停，重新启用后继续。"
            if action == "disable"
            else "已启用：暂停的投递继续发送。",
            "ok",
        )
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint_id))


def _last_test(db, endpoint_id: int) -> dict | None:
    """The endpoint's latest test event's delivery, with its state in Chinese."""
    row = first(
        db,
        "SELECT d.* FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
        "WHERE d.endpoint_id = ? AND e.type = ? ORDER BY d.id DESC LIMIT 1",
        [endpoint_id, outbox.TEST_EVENT],
    )
    if row is not None:
        row["state_label"] = DELIVERY_STATES.get(row["state"], row["state"])
    return row


@bp.post("/webhooks/<int:endpoint_id>/test")
@role_required("admin")
def webhook_test(endpoint_id: int) -> ResponseReturnValue:
    """Queue a ``ping`` for this endpoint only; the worker delivers it through the outbox."""
    db = get_db()
    endpoint = webhooks.endpoint(db, endpoint_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if endpoint["disabled"]:
        flash("这个接收地址已停用，测试事件不会发出：请先点“启用”，再发送测试事件。", "error")
    else:
        with transaction(db):
            delivery_id = outbox.enqueue_test(db, endpoint_id)
        audit.record("send webhook test", f"webhook {endpoint_id}", f"delivery {delivery_id}")
        flash("测试事件已排队，后台几秒内发出；结果显示在下方“测试事件”。", "ok")
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/resend")
@role_required("admin")
def webhook_resend(endpoint_id: int, delivery_id: int) -> ResponseReturnValue:
    db = get_db()
    row = db.execute(
        "SELECT id FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?",
        [delivery_id, endpoint_id],
    ).fetchone()
    if row is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    webhooks.resend(db, delivery_id)
    audit.record("resend webhook", f"webhook {endpoint_id}", f"delivery {delivery_id}")
    flash(f"投递 {delivery_id} 已排入重新发送，几秒内由后台发出。", "ok")
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint_id))


@bp.route("/api-keys", methods=["GET", "POST"])
@role_required("admin")
def api_keys() -> ResponseReturnValue:
    db = get_db()
    form = ApiKeyForm()
    new_key = None
    if form.validate_on_submit():
        key_id, key = keys.create(db, form.name.data.strip(), form.scopes.data, current_user.id)
        audit.record("create api key", f"api key {key_id}", form.name.data.strip())
        # Shown in this answer only: never in a redirect, a flash or the session cookie.
        new_key = {"name": form.name.data.strip(), "key": key}
        form = ApiKeyForm(formdata=None)
    return render_template(
        "admin/api_keys.html",
        form=form,
        rows=keys.listed(db),
        new_key=new_key,
        scopes=keys.SCOPES,
        button=ButtonForm(),
    )


@bp.post("/api-keys/<int:key_id>/revoke")
@role_required("admin")
def revoke_api_key(key_id: int) -> ResponseReturnValue:
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not keys.revoke(get_db(), key_id):
        abort(404)
    audit.record("revoke api key", f"api key {key_id}")
    flash("API 密钥已吊销，立即失效。", "ok")
    return redirect(url_for(".api_keys"))
