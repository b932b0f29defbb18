"""The legal-person simulator and the sandbox's control endpoints.

The simulator shows the template message from 公众平台安全助手 as the legal person
would see it, with buttons to pass the face check, refuse, or let it expire. The
control endpoints inject faults and push tickets, for tests and demos.
"""

from __future__ import annotations

import time

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
from flask.typing import ResponseReturnValue

from portal.db import transaction
from portal.sandbox import rules
from portal.sandbox.pusher import finish_task, push_ticket, task_by_id
from portal.sandbox.state import LEGAL_PERSON, get_faults, one, set_faults

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")

# The legal person's choices: button value → push status. The classic API has no
# "refused" status; a refusal ends as "not confirmed" (100003), as WeChat reports it,
# at once. A real expiry is reported when the 24 hours are over: the expiry buttons
# stand for that wait, so their push is stamped with the task's expiry time (the
# portal tells a refusal from an expiry by when WeChat made the push).
CHOICES = {
    "approve": 0,
    "refuse": 100003,
    "expire_100001": 100001,
    "expire_100002": 100002,
    "expire_100003": 100003,
}
#: The newer API's verification page (V2 notes: statuses 0 created, 6 face check
#: failed, 3 refused, 2 timed out).
V2_CHOICES = {"approve": 0, "face_fail": 6, "refuse": 3, "expire": 2}
#: The choices that stand for letting the 24 hours pass.
EXPIRY_CHOICES = {"expire", "expire_100001", "expire_100002", "expire_100003"}
FAULTS = ("latency", "timeout", "http_500", "errcode")
#: The third-party platform's name as WeChat shows it in the message (the operator
#: registered it on the open platform); PORTAL_PLATFORM_NAME, as on the portal's pages.
DEFAULT_PLATFORM_NAME = "小程序快速注册"


@bp.get("/")
def index() -> str:
    db = g.sandbox_db
    tasks = list(db.query("SELECT * FROM tasks ORDER BY id DESC LIMIT 50"))
    outbox = list(
        db.query(
            "SELECT id, kind, attempts, state, last_answer FROM outbox ORDER BY id DESC LIMIT 20"
        )
    )
    api = current_app.config.get("WECHAT_REGISTER_API") or "classic"
    return render_template(
        "sandbox/index.html", tasks=tasks, outbox=outbox, now=time.time(), api=api
    )


def _legal_person_page(task: dict, template: str, choices: dict[str, int], here: str):
    """Show the legal person's screen, or carry out the button they pressed."""
    if request.method == "POST":
        choice = request.form.get("choice", "")
        status = choices.get(choice)
        if status is None:
            abort(400)
        made_at = task["expire_at"] if choice in EXPIRY_CHOICES else None
        if task["state"] == LEGAL_PERSON:
            finish_task(g.sandbox_db, current_app.config, task, status, made_at)
        return redirect(here)
    shown = rules.push_msg(task["status"], task["api"]) if task["status"] is not None else ""
    platform = current_app.config.get("PLATFORM_NAME") or DEFAULT_PLATFORM_NAME
    return render_template(
        template, task=task, now=time.time(), status_msg=shown, platform=platform
    )


@bp.route("/legal-person/<int:task_id>", methods=["GET", "POST"])
def legal_person(task_id: int) -> ResponseReturnValue:
    """The classic API: the template message from 公众平台安全助手."""
    task = task_by_id(g.sandbox_db, task_id) or abort(404)
    here = url_for(".legal_person", task_id=task_id)
    return _legal_person_page(task, "sandbox/legal_person.html", CHOICES, here)


@bp.route("/verify/<taskid>", methods=["GET", "POST"])
def verify(taskid: str) -> ResponseReturnValue:
    """The newer API's authorize_url: what the legal person sees after opening it."""
    task = one(g.sandbox_db, "SELECT * FROM tasks WHERE taskid = ?", [taskid]) or abort(404)
    return _legal_person_page(
        task, "sandbox/verify.html", V2_CHOICES, url_for(".verify", taskid=taskid)
    )


@bp.get("/tasks")
def tasks() -> Response:
    return jsonify(list(g.sandbox_db.query("SELECT * FROM tasks ORDER BY id")))


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """Read, set (JSON, e.g. {"errcode": {"count": 1, "errcode": -1}}) or clear faults."""
    db = g.sandbox_db
    if request.method == "POST":
        wanted = request.get_json(silent=True) or {}
        unknown = set(wanted) - set(FAULTS) - {"expire_tokens"}
        if unknown:
            return jsonify({"error": f"unknown faults {sorted(unknown)}", "known": FAULTS}), 400
        if wanted.pop("expire_tokens", False):
            with transaction(db):
                db.execute("UPDATE tokens SET expires_at = ?", [time.time() - 1])
        set_faults(db, wanted)
    elif request.method == "DELETE":
        with transaction(db):
            db.execute("DELETE FROM faults")
    return jsonify(get_faults(db))


@bp.post("/tickets")
def ticket_now() -> Response:
    return jsonify({"ticket_queued": bool(push_ticket(g.sandbox_db, current_app.config))})
