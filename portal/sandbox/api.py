"""WeChat's API endpoints, at WeChat's paths and with WeChat's JSON shapes."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for

from portal.db import insert, transaction
from portal.sandbox import registry, rules
from portal.sandbox.state import (
    CHECKING,
    LEGAL_PERSON,
    count_calls_today,
    issue_token,
    latest_ticket,
    one,
    take_fault,
)

bp = Blueprint("sandbox_api", __name__)
#: The calls that spend the daily fast-register quota (45009). Every other call is still
#: recorded in ``calls`` (``record_call``) but counts against no quota.
QUOTA_ENDPOINTS = (
    "fastregisterweapp.create",
    "fastregisterweapp.search",
    "fastregisterenterpriseweapp.create",
    "fastregisterenterpriseweapp.query",
)


def answer(errcode: int, **extra: Any) -> Response:
    return jsonify({"errcode": errcode, "errmsg": rules.errmsg(errcode), **extra})


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.before_request
def inject_faults() -> Response | None:
    """Latency, timeouts, 5xx and errcode -1, as set through /sandbox/faults."""
    db, target = g.sandbox_db, request.full_path
    latency = take_fault(db, "latency", target)
    if latency is not None:
        time.sleep(float(latency.get("ms", 0)) / 1000)
    timeout = take_fault(db, "timeout", target)
    if timeout is not None:
        time.sleep(float(timeout.get("seconds", 15)))  # then answers as usual, like a slow WeChat
    if take_fault(db, "http_500", target) is not None:
        return Response("sandbox: injected server error", status=503)
    errcode = take_fault(db, "errcode", target)
    if errcode is not None:
        return answer(int(errcode.get("errcode", -1)))
    return None


ESCAPED = re.compile(rb"\\u[0-9a-fA-F]{4}")


@bp.before_request
def refuse_escaped_characters() -> Response | None:
    """WeChat answers 40033 to a body with ``\\uXXXX`` escapes (中文无需转码). An
    uploaded file (multipart) is bytes, not text, and is never read for them."""
    if request.mimetype == "multipart/form-data":
        return None
    if ESCAPED.search(request.get_data(cache=True)):
        return answer(40033)
    return None


def check_token(kind: str = "component", name: str = "component_access_token") -> int:
    """0 if the request carries a live token of ``kind``; 40001 or 42001 otherwise."""
    token = request.args.get(name) or request.args.get("access_token") or ""
    row = one(g.sandbox_db, "SELECT * FROM tokens WHERE token = ? AND kind = ?", [token, kind])
    if row is None:
        return 40001
    if row["expires_at"] <= time.time():
        return 42001
    return 0


def component_call() -> Response | None:
    """A live component token and the platform's own appid, or the errcode refusing them."""
    failed = check_token()
    if failed:
        return answer(failed)
    if body().get("component_appid") != current_app.config["WECHAT_COMPONENT_APPID"]:
        return answer(40013)
    return None


def record_call(endpoint: str) -> None:
    with transaction(g.sandbox_db):
        insert(g.sandbox_db, "calls", {"at": time.time(), "endpoint": endpoint})


@bp.post("/cgi-bin/component/api_component_token")
def component_token() -> Response:
    data, config = body(), current_app.config
    if data.get("component_appid") != config["WECHAT_COMPONENT_APPID"]:
        return answer(40013)
    if data.get("component_appsecret") != config["WECHAT_COMPONENT_APPSECRET"]:
        return answer(40125)
    ticket = latest_ticket(g.sandbox_db)
    if ticket is None or data.get("component_verify_ticket") != ticket["ticket"]:
        return answer(61006)
    lifetime = float(config["SANDBOX_TOKEN_LIFETIME"])
    token = issue_token(g.sandbox_db, "component", lifetime)
    record_call("api_component_token")
    return jsonify({"component_access_token": token["token"], "expires_in": int(lifetime)})


def quota_call(api: str, action: str) -> Response | None:
    """Check the token and the daily quota, then count the call; an answer if refused."""
    failed = check_token()
    if failed:
        return answer(failed)
    if count_calls_today(g.sandbox_db, QUOTA_ENDPOINTS) >= int(
        current_app.config["SANDBOX_DAILY_QUOTA"]
    ):
        return answer(45009)
    record_call(f"{api}.{action}")
    return None


@bp.post("/cgi-bin/component/fastregisterweapp")
def fastregisterweapp() -> Response:
    action = request.args.get("action")
    if action not in ("create", "search"):
        return answer(-1, errmsg="invalid action")
    refused = quota_call("fastregisterweapp", action)
    if refused is not None:
        return refused
    return create_classic(body()) if action == "create" else search_classic(body())


@bp.post("/wxa/component/fastregisterenterpriseweapp")
def fastregisterenterpriseweapp() -> Response:
    """The newer API (V2 notes): create answers taskid + authorize_url; query by taskid."""
    action = request.args.get("action")
    if action not in ("create", "query"):
        return answer(-1, errmsg="invalid action")
    refused = quota_call("fastregisterenterpriseweapp", action)
    if refused is not None:
        return refused
    return create_v2(body()) if action == "create" else query_v2(body())


def running_task(name: str, code: str) -> dict | None:
    """A task WeChat still runs for this company (the same name or the same code)."""
    return one(
        g.sandbox_db,
        "SELECT * FROM tasks WHERE state IN (?, ?) AND (name = ? OR code = ?) "
        "ORDER BY id DESC LIMIT 1",
        [CHECKING, LEGAL_PERSON, name, code],
    )


def start_task(task: dict[str, Any]) -> bool:
    """Insert ``task`` unless the company has one running: one transaction, so two
    creates racing for the same company never both win (WeChat's 89249)."""
    with transaction(g.sandbox_db):
        if running_task(task["name"], task["code"]) is not None:
            return False
        insert(g.sandbox_db, "tasks", task)
    return True


def create_classic(data: dict[str, Any]) -> Response:
    errcode = rules.check_classic_create(data)
    if errcode:
        return answer(errcode)
    now = time.time()
    fields = ("name", "code", "legal_persona_wechat", "legal_persona_name", "component_phone")
    task = {key: str(data.get(key, "")) for key in fields}
    task.update(
        code_type=int(data["code_type"]),
        state=CHECKING,
        created_at=now,
        check_until=now + float(current_app.config["SANDBOX_CHECK_DELAY"]),
    )
    return answer(0) if start_task(task) else answer(89249)


def create_v2(data: dict[str, Any]) -> Response:
    errcode = rules.check_v2_create(data) or registry.check_v2(str(data["name"]), str(data["code"]))
    if errcode:
        return answer(errcode)
    now = time.time()
    taskid = secrets.token_hex(16)
    task = {
        "api": "v2",
        "name": str(data["name"]),
        "code": str(data["code"]),
        "code_type": 1,
        "component_phone": str(data["component_phone"]),
        "state": CHECKING,
        "created_at": now,
        "check_until": now + float(current_app.config["SANDBOX_CHECK_DELAY"]),
        "taskid": taskid,
        "authorize_url": url_for("sandbox.verify", taskid=taskid, _external=True),
    }
    if not start_task(task):
        return answer(89249)
    return answer(0, taskid=taskid, authorize_url=task["authorize_url"], status=1)


def query_v2(data: dict[str, Any]) -> Response:
    if data.get("new_version") is not True or not data.get("taskid"):
        return answer(86030)
    task = one(g.sandbox_db, "SELECT * FROM tasks WHERE taskid = ?", [str(data["taskid"])])
    if task is None:
        return answer(89250)
    status = 1 if task["status"] is None else (12 if task["status"] == 0 else task["status"])
    return answer(0, taskid=task["taskid"], authorize_url=task["authorize_url"], status=status)


def search_classic(data: dict[str, Any]) -> Response:
    required = ("name", "legal_persona_wechat", "legal_persona_name")
    if any(not data.get(key) for key in required):
        return answer(89253)
    task = one(
        g.sandbox_db,
        "SELECT * FROM tasks WHERE name = ? AND legal_persona_wechat = ? "
        "AND legal_persona_name = ? AND state IN (?, ?) ORDER BY id DESC LIMIT 1",
        [
            data["name"],
            data["legal_persona_wechat"],
            data["legal_persona_name"],
            CHECKING,
            LEGAL_PERSON,
        ],
    )
    if task is None:
        return answer(89250)
    return answer(89252 if task["state"] == CHECKING else 89251)
