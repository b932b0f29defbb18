"""Webhook endpoints and the payloads they receive (README § Webhooks).

Payload version 1 is stable: fields may be added, never renamed or removed. It holds
ids, the API flavor, the company, the AppID, codes with their catalogue text and times;
never a token or an auth_code, and the legal person's facts only for an endpoint marked
to receive personal data. ``delivery`` signs and sends them.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from portal.db import first, insert, transaction
from portal.registration.flavors import FLAVORS
from portal.registration.outbox import EVENT_TYPES
from portal.registration.status import STATE_LABELS
from portal.wechat import codes
from portal.wechat.authorizers import Vault

PAYLOAD_VERSION = 1


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
    types = [t for t in event_types if t in EVENT_TYPES]
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
    """A disabled endpoint gets no new events; what is pending is still delivered."""
    with transaction(db):
        db.execute(
            "UPDATE webhook_endpoints SET disabled = ? WHERE id = ?", [int(disabled), endpoint_id]
        )


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
        result = flavor.result(status, snapshot.get("push_msg") or "")
    data: dict[str, Any] = {
        "id": snapshot["id"],
        "flavor": snapshot.get("flavor"),
        "state": snapshot.get("state"),
        "state_label": STATE_LABELS.get(snapshot.get("state") or "", ""),
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
        data: dict[str, Any] = {
            "submission": submission,
            "previous_state": snapshot.get("previous_state"),
        }
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


def target_problem(url: str, allow_private: bool) -> tuple[str | None, str | None]:
    """(why this URL may not receive deliveries, or None; the address to connect to).

    Loopback, private, link-local and other non-public addresses are refused unless
    ``allow_private``; every address the name resolves to is checked.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "地址必须以 http:// 或 https:// 开头", None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"无法解析域名 {parts.hostname}", None
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                return f"{parts.hostname} 指向内网或本机地址 {address}（生产环境不允许）", None
    return None, addresses[0]


def resend(db: sqlite_utils.Database, delivery_id: int) -> bool:
    """Send a delivery again now, whatever its state (the admin's resend button).

    It gets a fresh retry window; its earlier attempts stay listed.
    """
    with transaction(db):
        cursor = db.execute(
            "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, attempts = 0, "
            "claimed_until = NULL, created_at = ? WHERE id = ?",
            [time.time(), time.time(), delivery_id],
        )
    return cursor.rowcount == 1
