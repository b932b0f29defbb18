"""What WeChat does on its own: ticket pushes, task progress, result pushes, re-sends.

``tick()`` does whatever is due; a background thread calls it a few times a second
when the sandbox runs as its own process, tests call it directly. Pushes are
encrypted and signed as WeChat does (REFERENCE §4) and re-sent, up to three more
times, while the answer is not ``success``. The mini programs' audit results go the same
way to the message URL (``SANDBOX_MESSAGE_URL``).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

import httpx
import sqlite_utils

from portal.db import insert, transaction
from portal.sandbox import registry, rules
from portal.sandbox.miniprograms import timeline
from portal.sandbox.state import (
    CHECKING,
    DONE,
    LEGAL_PERSON,
    enqueue_push,
    latest_ticket,
    new_appid,
    new_secret,
    one,
    open_db,
    original_id,
)
from portal.wechat.crypto import seal_message

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 4  # the first delivery and three re-sends
#: The status a task ends with when the legal person lets 24 hours pass.
EXPIRED_STATUS = {"classic": 100003, "v2": 2}
#: Every status that means the legal person's window ran out, per API.
EXPIRY_STATUSES = {"classic": {100001, 100002, 100003}, "v2": {2}}

#: Delivers (url, params, body) and returns the answer's text; replaced in tests.
Deliver = Callable[[str, dict[str, str], bytes], str]


def http_deliver(url: str, params: dict[str, str], body: bytes) -> str:
    response = httpx.post(url, params=params, content=body, timeout=5.0)
    return response.text if response.status_code == 200 else f"HTTP {response.status_code}"


def _element(tag: str, value: Any) -> str:
    if isinstance(value, int):
        return f"<{tag}>{value}</{tag}>"
    text = str(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<{tag}><![CDATA[{text}]]></{tag}>"


def event_xml(
    appid: str, info_type: str, fields: Mapping[str, Any], info=None, made_at: float | None = None
) -> str:
    made = int(time.time() if made_at is None else made_at)
    parts = [_element("AppId", appid), f"<CreateTime>{made}</CreateTime>"]
    parts.append(_element("InfoType", info_type))
    parts += [_element(tag, value) for tag, value in fields.items()]
    if info is not None:
        parts.append("<info>" + "".join(_element(t, v) for t, v in info.items()) + "</info>")
    return "<xml>" + "".join(parts) + "</xml>"


def push_ticket(db: sqlite_utils.Database, config: Mapping[str, Any]) -> str:
    ticket = new_secret("ticket@@@")
    with transaction(db):
        insert(db, "tickets", {"ticket": ticket, "created_at": time.time()})
    xml = event_xml(
        config["WECHAT_COMPONENT_APPID"],
        "component_verify_ticket",
        {"ComponentVerifyTicket": ticket},
    )
    enqueue_push(db, xml, "component_verify_ticket")
    return ticket


def finish_task(
    db: sqlite_utils.Database,
    config: Mapping[str, Any],
    task: dict,
    status: int,
    made_at: float | None = None,
):
    """End a task with ``status`` and queue its result push, made at ``made_at`` (now)."""
    fields: dict[str, Any] = {"appid": "", "status": status, "auth_code": "", "msg": ""}
    appid = auth_code = None
    if status == 0:
        appid, auth_code = new_appid(), new_secret("queryauthcode@@@")
        fields.update(appid=appid, auth_code=auth_code)
    fields["msg"] = rules.push_msg(status, task["api"])
    with transaction(db):
        cursor = db.execute(
            "UPDATE tasks SET state = ?, status = ?, appid = ?, auth_code = ? "
            "WHERE id = ? AND state != ?",
            [DONE, status, appid, auth_code, task["id"], DONE],
        )
        if cursor.rowcount != 1:
            return False
        info = {
            "name": task["name"],
            "code": task["code"],
            "code_type": task["code_type"] or 0,
            "legal_persona_wechat": task["legal_persona_wechat"] or "",
            "legal_persona_name": task["legal_persona_name"] or "",
            "component_phone": task["component_phone"] or "",
        }
        if task["taskid"]:
            info["taskid"] = task["taskid"]  # the newer API's tasks (V2 notes)
        xml = event_xml(
            config["WECHAT_COMPONENT_APPID"], "notify_third_fasteregister", fields, info, made_at
        )
        enqueue_push(db, xml, f"notify_third_fasteregister status={status}")
    return True


def advance_tasks(db: sqlite_utils.Database, config: Mapping[str, Any]) -> None:
    now = time.time()
    for task in list(
        db.query("SELECT * FROM tasks WHERE state = ? AND check_until <= ?", [CHECKING, now])
    ):
        forced = rules.magic(task["name"], "S")
        if forced is None and task["api"] == "classic":
            forced = registry.check(task["name"], task["code"], task["legal_persona_name"] or "")
        window = float(config["SANDBOX_LEGAL_PERSON_WINDOW"])
        if forced is not None:
            # A forced expiry is reported when the legal person's window would end, as
            # WeChat does: an early "not confirmed" is how WeChat reports a refusal.
            expiry = forced in EXPIRY_STATUSES[task["api"]]
            finish_task(db, config, task, forced, now + window if expiry else None)
            continue
        with transaction(db):
            db.execute(
                "UPDATE tasks SET state = ?, expire_at = ? WHERE id = ? AND state = ?",
                [LEGAL_PERSON, now + window, task["id"], CHECKING],
            )
    for task in list(
        db.query("SELECT * FROM tasks WHERE state = ? AND expire_at <= ?", [LEGAL_PERSON, now])
    ):
        finish_task(db, config, task, EXPIRED_STATUS[task["api"]])


def deliver_due(db: sqlite_utils.Database, config: Mapping[str, Any], deliver: Deliver) -> None:
    now = time.time()
    for push in list(
        db.query("SELECT * FROM outbox WHERE state = 'pending' AND next_at <= ?", [now])
    ):
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
        encrypted, signature = seal_message(
            token=config["WECHAT_TOKEN"],
            encoding_aes_key=config["WECHAT_ENCODING_AES_KEY"],
            appid=config["WECHAT_COMPONENT_APPID"],
            xml=push["xml"],
            timestamp=timestamp,
            nonce=nonce,
        )
        url, body = _addressed(push, config, encrypted)
        params = {
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": signature,
        }
        try:
            answer = deliver(url, params, body).strip()
        except httpx.HTTPError as exc:
            answer = f"{type(exc).__name__}"
        attempts = push["attempts"] + 1
        state = "delivered" if answer == "success" else "pending"
        if state == "pending" and attempts >= MAX_ATTEMPTS:
            state = "abandoned"
            log.warning("push %s abandoned after %s attempts: %s", push["kind"], attempts, answer)
        with transaction(db):
            db.execute(
                "UPDATE outbox SET attempts = ?, state = ?, last_answer = ?, next_at = ? "
                "WHERE id = ?",
                [
                    attempts,
                    state,
                    answer[:200],
                    now + float(config["SANDBOX_RESEND_DELAY"]),
                    push["id"],
                ],
            )


def _addressed(push: dict, config: Mapping[str, Any], encrypted: str) -> tuple[str, bytes]:
    """Where a push goes and its envelope. The authorization event URL gets
    ``<AppId>`` (the platform's); a mini program's message URL (``$APPID$`` filled in)
    gets ``<ToUserName>`` (its original id), as WeChat sends them (SETUP §6.1)."""
    if push["channel"] == "message":
        url = str(config["SANDBOX_MESSAGE_URL"]).replace("$APPID$", push["appid"])
        to = f"<ToUserName><![CDATA[{escape(original_id(push['appid']))}]]></ToUserName>"
    else:
        url = config["SANDBOX_EVENT_URL"]
        to = f"<AppId><![CDATA[{escape(config['WECHAT_COMPONENT_APPID'])}]]></AppId>"
    return url, f"<xml>{to}<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()


def tick(db: sqlite_utils.Database, config: Mapping[str, Any], deliver: Deliver = http_deliver):
    """Do everything WeChat would have done by now."""
    ticket = latest_ticket(db)
    interval = float(config["SANDBOX_TICKET_INTERVAL"])
    if ticket is None or time.time() - ticket["created_at"] >= interval:
        push_ticket(db, config)
    advance_tasks(db, config)
    timeline.advance(db, config)
    deliver_due(db, config, deliver)


def start_background(db_path: str, config: Mapping[str, Any], period: float = 0.2) -> None:
    """Run ``tick`` in a daemon thread for as long as the process lives."""

    def loop() -> None:
        db = open_db(db_path)
        while True:
            try:
                tick(db, config)
            except Exception:
                log.exception("sandbox tick failed")
            time.sleep(period)

    threading.Thread(target=loop, name="sandbox-pusher", daemon=True).start()


def task_by_id(db: sqlite_utils.Database, task_id: int) -> dict | None:
    return one(db, "SELECT * FROM tasks WHERE id = ?", [task_id])
