"""Webhook endpoints and the payloads they receive (README § Webhooks).

Payload version 1 is stable: fields may be added, never renamed or removed. It holds
ids, the API flavor, the company, the AppID, codes with their catalogue text and times;
never a token or an auth_code, and the legal person's facts and the merchant's private
``status_url`` only for an endpoint marked to receive personal data. ``delivery`` signs
and sends them.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration.flavors import FLAVORS
from portal.registration.outbox import SUBSCRIBABLE, TEST_EVENT
from portal.registration.status import state_label
from portal.registration.webhook_targets import target_problem as target_problem
from portal.wechat import codes
from portal.wechat.authorizers import Vault

PAYLOAD_VERSION = 1

#: A delivery's states as the admin pages show them. ``parked``: its endpoint is
#: disabled; it is not sent, and enabling the endpoint again resumes it.
DELIVERY_STATES = {
    "pending": "待发送",
    "parked": "已暂停（接收地址已停用）",
    "delivered": "已送达",
    "failed": "已放弃",
}


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


def create_endpoint(
    db: sqlite_utils.Database,
    vault: Vault,
    url: str,
    event_types: Iterable[str],
    *,
    secret: str = "",
    personal_data: bool = False,
    description: str = "",
) -> tuple[int, str]:
    """Add an endpoint; return its id and its signing secret (generated when not given)."""
    types = [t for t in event_types if t in SUBSCRIBABLE]
    if not types:
        raise ValueError("no known event type")
    secret = secret or new_secret()
    row = {
        "url": url,
        "secret": vault.seal(secret),
        "event_types": ",".join(types),
        "personal_data": int(personal_data),
        "description": description,
        "created_at": time.time(),
    }
    with transaction(db):
        return insert(db, "webhook_endpoints", row), secret


def endpoints(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM webhook_endpoints ORDER BY id"))


def endpoint(db: sqlite_utils.Database, endpoint_id: int) -> dict | None:
    return first(db, "SELECT * FROM webhook_endpoints WHERE id = ?", [endpoint_id])


def set_disabled(db: sqlite_utils.Database, endpoint_id: int, disabled: bool) -> None:
    """A disabled endpoint gets no new events and its pending deliveries are parked (not
    sent, not in the way of other endpoints); enabling it again resumes them."""
    with transaction(db):
        db.execute(
            "UPDATE webhook_endpoints SET disabled = ? WHERE id = ?", [int(disabled), endpoint_id]
        )
        if disabled:
            park(db, endpoint_id)
        else:
            unpark(db, endpoint_id)


def park(db: sqlite_utils.Database, endpoint_id: int) -> int:
    """Park the endpoint's pending deliveries (in the caller's transaction); return how many.

    One being sent right now is recorded as delivered if its receiver answers 2xx, and
    stays parked otherwise.
    """
    cursor = db.execute(
        "UPDATE webhook_deliveries SET state = 'parked' WHERE endpoint_id = ? AND state = 'pending'",
        [endpoint_id],
    )
    return cursor.rowcount


def unpark(db: sqlite_utils.Database, endpoint_id: int, now: float | None = None) -> int:
    """Resume the endpoint's parked deliveries now, in order; return how many."""
    now = time.time() if now is None else now
    cursor = db.execute(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, "
        "claimed_until = NULL WHERE endpoint_id = ? AND state = 'parked'",
        [now, endpoint_id],
    )
    return cursor.rowcount


def rotate_secret(db: sqlite_utils.Database, vault: Vault, endpoint_id: int) -> str:
    secret = new_secret()
    with transaction(db):
        db.execute(
            "UPDATE webhook_endpoints SET secret = ? WHERE id = ?",
            [vault.seal(secret), endpoint_id],
        )
    return secret


def _seconds(at: float | None) -> int | None:
    return None if at is None else int(at)


def _code(entry: codes.Entry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "code": entry.code,
        "title": entry.title,
        "explanation": entry.explanation,
        "next_step": entry.next_step,
        "wechat_text": entry.wechat_text,
        "known": entry.known,
    }


def represent(
    snapshot: Mapping[str, Any], current: Mapping[str, Any] | None, personal: bool, base_url: str
) -> dict[str, Any]:
    """A submission as webhooks and the JSON API show it (``snapshot``: its columns then,
    ``current``: its row now, read for the legal person's facts when ``personal``)."""
    flavor = FLAVORS.get(snapshot.get("flavor") or "")
    errcode, status = snapshot.get("errcode"), snapshot.get("push_status")
    error = codes.api_entry(errcode, snapshot.get("errmsg") or "") if errcode else None
    result = None
    if status is not None and flavor is not None:
        result = flavor.outcome(snapshot)
    data: dict[str, Any] = {
        "id": snapshot["id"],
        "flavor": snapshot.get("flavor"),
        "state": snapshot.get("state"),
        "state_label": state_label(snapshot) if snapshot.get("state") else "",
        "company_name": snapshot.get("name"),
        "company_code": snapshot.get("code"),
        "code_type": snapshot.get("code_type"),
        "appid": snapshot.get("appid"),
        "taskid": snapshot.get("taskid"),
        "errcode": _code(error),
        "result_status": _code(result),
        "previous_submission_id": snapshot.get("previous_id"),
        "partner_id": snapshot.get("partner_id"),
        "status_url": f"{base_url}/s/{snapshot.get('public_id')}",
        "created_at": _seconds(snapshot.get("created_at")),
        "updated_at": _seconds(snapshot.get("updated_at")),
    }
    if personal and current is not None:
        data["legal_person"] = {
            "name": current.get("legal_persona_name"),
            "wechat": current.get("legal_persona_wechat"),
            "contact_phone": current.get("contact_phone"),
            "verification_url": current.get("authorize_url"),
            "purged": bool(current.get("purged_at")),
        }
    return data


#: What the test event says to its receiver.
PING_MESSAGE = "测试事件：签名和接收地址都正常时，回答任意 2xx 即可。"

#: What a platform.alert event says: the condition, what the operator reads, when it began.
ALERT_FIELDS = ("condition", "detail", "raised_at")
#: What a miniprogram.* event says (never a token or a merchant's file).
MINIPROGRAM_FIELDS = ("appid", "submission_id", "step", "state", "detail", "auditid", "reason")


def payload(
    event: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    *,
    personal: bool,
    base_url: str,
) -> dict[str, Any]:
    """The JSON body one endpoint receives for ``event`` (``current``: the submission now)."""
    snapshot = json.loads(event["snapshot"])
    if event["type"].startswith("submission."):
        submission = represent(snapshot, current, personal, base_url)
        if not personal:  # the merchant's private status link shows the legal person
            submission.pop("status_url", None)
        data: dict[str, Any] = {
            "submission": submission,
            "previous_state": snapshot.get("previous_state"),
        }
    elif event["type"].startswith("miniprogram."):
        data = {"miniprogram": {key: snapshot.get(key) for key in MINIPROGRAM_FIELDS}}
    elif event["type"] == TEST_EVENT:
        data = {"ping": {"endpoint_id": snapshot.get("endpoint_id"), "message": PING_MESSAGE}}
    elif event["type"].startswith("platform."):
        data = {"alert": {key: snapshot.get(key) for key in ALERT_FIELDS}}
    else:
        data = {
            "authorizer": {
                "appid": snapshot.get("appid"),
                "submission_id": snapshot.get("submission_id"),
                "wechat_create_time": snapshot.get("create_time"),
            }
        }
    return {
        "id": f"evt_{event['id']}",
        "type": event["type"],
        "version": PAYLOAD_VERSION,
        "created": int(event["created_at"]),
        "data": data,
    }


def resend(db: sqlite_utils.Database, delivery_id: int) -> bool:
    """Send a delivery again now, whatever its state (the admin's resend button).

    It gets a fresh retry window; its earlier attempts stay listed. For a disabled
    endpoint it is parked, and goes when the endpoint is enabled.
    """
    with transaction(db):
        cursor = db.execute(
            "UPDATE webhook_deliveries SET state = CASE WHEN (SELECT p.disabled FROM "
            "webhook_endpoints p WHERE p.id = webhook_deliveries.endpoint_id) "
            "THEN 'parked' ELSE 'pending' END, next_attempt_at = ?, attempts = 0, "
            "claimed_until = NULL, created_at = ? WHERE id = ?",
            [time.time(), time.time(), delivery_id],
        )
    return cursor.rowcount == 1
