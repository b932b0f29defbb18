"""The OpenAPI description of the webhook events (OpenAPI 3.1 ``webhooks``): each event
type with the body the portal POSTs, ``miniprogram.*`` with its ``data.miniprogram``
(``registration.webhooks.MINIPROGRAM_FIELDS``; ``tests/api/test_setup_webhooks.py``
checks that the two agree and that a delivered event has the fields described).
"""

from __future__ import annotations

from typing import Any

from portal.golive import steps as st
from portal.registration.outbox import EVENT_TYPES

REF = "#/components/schemas/"
TEXT_OR_NULL = {"type": ["string", "null"]}

MINIPROGRAM = {
    "type": "object",
    "description": "A go-live step's change (never a token or a merchant's file)",
    "properties": {
        "appid": {"type": "string"},
        "submission_id": {"type": "integer"},
        "step": {"type": "string", "enum": list(st.STEPS)},
        "state": {"type": "string", "enum": list(st.STATE_LABELS)},
        "detail": {"type": "string", "description": "What happened, in plain Chinese"},
        "auditid": {"type": ["integer", "null"]},
        "reason": {
            **TEXT_OR_NULL,
            "description": "WeChat's reason (audit_failed); the platform's words to the "
            "merchant for a withdrawal (audit_withdrawn: staff's undo, not a rejection)",
        },
    },
}


def _event(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "type", "version", "created", "data"],
        "properties": {
            "id": {"type": "string", "description": "evt_<n>, as Portal-Event-Id"},
            "type": {"type": "string", "enum": [t for t in EVENT_TYPES if t.startswith(kind)]},
            "version": {"type": "integer", "const": 1},
            "created": {"type": "integer", "description": "Unix seconds"},
            "data": {"type": "object", "required": list(data)[:1], "properties": data},
        },
    }


SCHEMAS = {
    "Miniprogram": MINIPROGRAM,
    "SubmissionEvent": _event(
        "submission.",
        {"submission": {"$ref": REF + "Submission"}, "previous_state": TEXT_OR_NULL},
    ),
    "MiniprogramEvent": _event("miniprogram.", {"miniprogram": {"$ref": REF + "Miniprogram"}}),
    "AuthorizerEvent": _event(
        "authorizer.",
        {
            "authorizer": {
                "type": "object",
                "properties": {
                    "appid": {"type": "string"},
                    "submission_id": {"type": ["integer", "null"]},
                    "wechat_create_time": {"type": ["integer", "null"]},
                },
            }
        },
    ),
    "PingEvent": _event(
        "ping",
        {
            "ping": {
                "type": "object",
                "description": "The test event an admin sends from the endpoint's page, to "
                "this endpoint only; nobody subscribes to it. Answer 2xx like any event.",
                "properties": {
                    "endpoint_id": {"type": "integer"},
                    "message": {"type": "string"},
                },
            }
        },
    ),
    "PlatformEvent": _event(
        "platform.",
        {
            "alert": {
                "type": "object",
                "description": "An operator alert, sent once when the condition begins "
                "(the same moment as the operators' SMS); nothing is sent when it ends.",
                "properties": {
                    "condition": {
                        "type": "string",
                        "enum": ["ticket_stale", "held", "quota_used_up", "replication_stopped"],
                    },
                    "detail": {"type": "string", "description": "What happened, in Chinese"},
                    "raised_at": {"type": "number", "description": "Unix seconds"},
                },
            }
        },
    ),
}
HEADERS = ("Portal-Event-Id", "Portal-Event-Type", "Portal-Delivery-Id", "Portal-Signature")


def webhooks() -> dict[str, Any]:
    """Every event type as an OpenAPI 3.1 webhook: the POST the portal makes."""
    found = {}
    for event_type, meaning in EVENT_TYPES.items():
        kind = event_type.split(".", 1)[0].title()
        found[event_type] = {
            "post": {
                "operationId": "event_" + event_type.replace(".", "_"),
                "summary": meaning,
                "description": "Signed: Portal-Signature t=<unix>,v1=HMAC-SHA256(secret, "
                "'<t>.' + body). At least once, in order per submission: deduplicate "
                "on Portal-Event-Id.",
                "parameters": [
                    {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
                    for name in HEADERS
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"{REF}{kind}Event"}}},
                },
                "responses": {"200": {"description": "Any 2xx: delivered"}},
            }
        }
    return found
