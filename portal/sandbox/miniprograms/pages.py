"""The sandbox's pages for the mini programs: /sandbox/miniprograms lists them with the
platform's template library and domain lists; /sandbox/miniprograms/<appid> shows one
(setup state, name audits, categories, versions, audits, releases, testers) with buttons
to pass, fail or delay an audit that no magic value decided, and ``…/state`` gives the
same as JSON for tests and demos.
"""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from portal.sandbox.miniprograms import catalog, icp, library, model, platform_domains, timeline
from portal.sandbox.miniprograms.model import PENDING, UNDER_AUDIT
from portal.sandbox.state import one

bp = Blueprint(
    "sandbox_mp", __name__, url_prefix="/sandbox/miniprograms", template_folder="templates"
)
NAME_STATES = {1: "审核中", 2: "未通过", 3: "已通过"}
AUDIT_STATES = {0: "审核通过", 1: "审核不通过", 2: "审核中", 3: "已撤回", 4: "审核延后"}
CHOICES = {"pass", "fail", "delay"}


def describe(appid: str) -> dict[str, Any] | None:
    """Everything the sandbox knows about one mini program."""
    db = g.sandbox_db
    timeline.advance(db, current_app.config)
    mp = model.load(db, appid)
    if mp is None:
        return None
    categories = []
    for c in model.categories(db, appid):
        first, second = catalog.names(c["first"], c["second"])
        categories.append({**c, "first_name": first, "second_name": second})
    audits = list(db.query("SELECT * FROM audits WHERE appid = ? ORDER BY auditid DESC", [appid]))
    for audit in audits:
        audit["version"] = model.version(db, audit["version_id"])
    live = model.current_release(db, appid)
    return {
        "mp": mp,
        "name_audits": list(
            db.query("SELECT * FROM name_audits WHERE appid = ? ORDER BY audit_id DESC", [appid])
        ),
        "categories": categories,
        "versions": list(
            db.query("SELECT * FROM versions WHERE appid = ? ORDER BY id DESC", [appid])
        ),
        "audits": audits,
        "releases": list(
            db.query("SELECT * FROM releases WHERE appid = ? ORDER BY id DESC", [appid])
        ),
        "live": live,
        "testers": list(db.query("SELECT wechatid, userstr FROM testers WHERE appid = ?", [appid])),
        "steps": steps(mp, categories, audits, live),
        "icp": icp.describe(db, mp),
    }


def steps(mp: dict, categories: list, audits: list, live: dict | None) -> list[tuple[str, str]]:
    """The go-live checklist as the page shows it: (step, state)."""
    db = g.sandbox_db
    pending_name = model.pending_name_audit(db, mp["appid"])
    name = mp["nickname"] or "未设置"
    if pending_name is not None:
        name += f"（“{pending_name['nickname']}”审核中）"
    approved = sum(1 for c in categories if c["status"] == 3)
    auditing = sum(1 for c in categories if c["status"] == UNDER_AUDIT)
    latest = audits[0] if audits else None
    version = model.latest_version(db, mp["appid"])
    return [
        ("名称", name),
        ("头像", "已设置" if mp["head_image_media"] else "未设置"),
        ("简介", mp["signature"] or "未设置"),
        ("类目", f"已通过 {approved} 个，审核中 {auditing} 个"),
        ("隐私保护指引", "已设置" if mp["privacy"] else "未设置"),
        (
            "域名",
            {"platform": "方式一（平台登记）", "direct": "方式二（直接配置）"}.get(
                mp["domain_mode"] or "", "未配置"
            ),
        ),
        ("代码", f"{version['user_version']}（{version['user_desc']}）" if version else "未上传"),
        ("审核", AUDIT_STATES[latest["status"]] if latest else "未提交"),
        ("发布", "已发布" if live else "未发布"),
    ]


@bp.get("/")
def index() -> str:
    db = g.sandbox_db
    appids = [r["appid"] for r in db.query("SELECT appid FROM tasks WHERE appid IS NOT NULL")]
    rows = [info for info in (describe(appid) for appid in appids) if info is not None]
    return render_template(
        "sandbox_mp/index.html",
        rows=rows,
        drafts=list(db.query("SELECT * FROM drafts ORDER BY draft_id")),
        templates=list(db.query("SELECT * FROM code_templates ORDER BY template_id")),
        domains={
            kind: {col: platform_domains.listed(db, kind, col) for col in ("testing", "published")}
            for kind in ("server", "jump")
        },
    )


@bp.get("/<appid>")
def detail(appid: str) -> str:
    info = describe(appid) or abort(404)
    return render_template(
        "sandbox_mp/detail.html",
        info=info,
        name_states=NAME_STATES,
        audit_states=AUDIT_STATES,
        pending=PENDING,
        now=time.time(),
        listed=model.listed,
    )


@bp.get("/<appid>/state")
def state(appid: str) -> Response:
    info = describe(appid) or abort(404)
    return jsonify({k: v for k, v in info.items() if k != "live"})


@bp.post("/<appid>/decide")
def decide(appid: str) -> Response:
    """A button: end a pending audit now as chosen."""
    kind, choice = request.form.get("kind", ""), request.form.get("choice", "")
    key = request.form.get("key", type=int)
    if kind not in timeline.TABLES or choice not in CHOICES or key is None:
        abort(400)
    if choice == "delay" and kind != "code":
        abort(400)
    table, column = timeline.TABLES[kind]
    row = one(g.sandbox_db, f"SELECT appid FROM {table} WHERE {column} = ?", [key])
    if row is None or row["appid"] != appid:
        abort(404)
    timeline.decide(g.sandbox_db, current_app.config, kind, key, choice)
    return redirect(url_for(".detail", appid=appid))


@bp.post("/<appid>/icp")
def set_icp(appid: str) -> Response:
    """The filing control: move the filing to a state (a rejection with its reason), or
    take permission sets 18 and 156 away (``revoked``) or give them back."""
    if model.load(g.sandbox_db, appid) is None:
        abort(404)
    valid, status = icp.parse_status(g.sandbox_db, appid, request.form.get("status", ""))
    if not valid:
        abort(400)
    revoked = request.form.get("revoked")
    icp.set_state(
        g.sandbox_db, appid, status, request.form.get("reason", ""),
        None if revoked is None else revoked == "1",
    )  # fmt: skip
    return redirect(url_for(".detail", appid=appid))


@bp.post("/drafts")
def upload_draft() -> Response:
    """开发者工具上传：the demo template's development mini program uploads a new draft."""
    version = request.form.get("user_version") or f"1.0.{int(time.time()) % 1000}"
    desc = request.form.get("user_desc") or "门店小程序演示模板（新上传）"
    library.upload_draft(g.sandbox_db, version, desc)
    return redirect(url_for(".index"))


@bp.post("/publish")
def publish() -> Response:
    """全网发布：the platform's test domain lists become its published ones."""
    platform_domains.publish(g.sandbox_db)
    return redirect(url_for(".index"))


@bp.get("/media/<media_id>")
def media_file(media_id: str) -> Response:
    row = one(g.sandbox_db, "SELECT format, data FROM media WHERE media_id = ?", [media_id])
    if row is None or row["data"] is None:
        abort(404)
    return Response(row["data"], mimetype=f"image/{row['format']}")
