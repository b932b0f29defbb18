"""The OpenAPI 3.1 description served at ``/api/openapi.json``.

``tests/api/test_api.py`` checks that every route under ``/api`` is described here and
that the answers the tests receive have the fields described.
"""

from __future__ import annotations

from typing import Any

from portal.api import openapi_events, openapi_setup, openapi_setup_schemas
from portal.apikeys import SCOPES
from portal.registration.outbox import EVENT_TYPES

STATES = [
    "queued", "sending", "checking", "awaiting_legal_person", "succeeded", "authorized",
    "rejected", "failed", "expired", "held",
]  # fmt: skip

_CODE = {
    "type": ["object", "null"],
    "description": "An errcode or result status with the catalogue's plain-Chinese text.",
    "properties": {
        "code": {"type": "integer"},
        "title": {"type": "string"},
        "explanation": {"type": "string"},
        "next_step": {"type": "string"},
        "wechat_text": {"type": "string"},
        "known": {"type": "boolean"},
    },
}

SUBMISSION = {
    "type": "object",
    "required": ["id", "flavor", "state", "company_name", "company_code"],
    "properties": {
        "id": {"type": "integer"},
        "flavor": {"type": "string", "enum": ["classic", "v2"]},
        "state": {"type": "string", "enum": STATES},
        "state_label": {"type": "string"},
        "company_name": {"type": "string"},
        "company_code": {"type": "string"},
        "code_type": {"type": ["integer", "null"]},
        "appid": {"type": ["string", "null"]},
        "taskid": {"type": ["string", "null"]},
        "errcode": _CODE,
        "result_status": _CODE,
        "previous_submission_id": {"type": ["integer", "null"]},
        "partner_id": {"type": ["integer", "null"]},
        "status_url": {
            "type": "string",
            "description": "The merchant's private status page; only for keys with the "
            "personal_data:read scope (the link is the page's only secret).",
        },
        "created_at": {"type": "integer", "description": "Unix seconds"},
        "updated_at": {"type": "integer", "description": "Unix seconds"},
        "setup": {
            "anyOf": [{"$ref": "#/components/schemas/Setup"}, {"type": "null"}],
            "description": "The go-live setup; null until the submission is authorized.",
        },
        "legal_person": {
            "type": "object",
            "description": "Only for keys with the personal_data:read scope.",
            "properties": {
                "name": {"type": ["string", "null"]},
                "wechat": {"type": ["string", "null"]},
                "contact_phone": {"type": ["string", "null"]},
                "verification_url": {"type": ["string", "null"]},
                "purged": {"type": "boolean"},
            },
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string", "description": "Plain Chinese, for a person."},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "label": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
                "param": {"type": "string"},
                "params": {"type": "array", "items": {"type": "string"}},
                "required_scope": {"type": "string"},
                "submission": {"$ref": "#/components/schemas/Submission"},
                "submissions": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Submission"},
                    "description": "same_company: the company's existing submissions of the "
                    "request's partner",
                },
                "other_submissions_exist": {
                    "type": "boolean",
                    "description": "same_company: others exist that this partner may not see",
                },
                "step": {"type": "string", "description": "setup calls: the step"},
                "state": {"type": "string", "description": "setup calls: its state"},
                "state_label": {"type": "string"},
            },
        }
    },
}

CREATE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "description": "企业名称"},
        "code_type": {"type": ["string", "integer"], "description": "1, 2 or 3 (classic only)"},
        "code": {"type": "string", "description": "企业代码 (v2: 18-character USCI)"},
        "legal_persona_name": {"type": "string", "description": "法人姓名 (classic only)"},
        "legal_persona_wechat": {"type": "string", "description": "法人微信号 (classic only)"},
        "contact_phone": {"type": "string"},
        "partner_id": {"type": "integer"},
        "validate_only": {"type": "boolean", "description": "Check only; create nothing."},
        "allow_same_company": {
            "type": "boolean",
            "description": "Create even though the company already has a mini program through "
            "the platform or an application in flight (else 409 same_company).",
        },
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


COMMON = {"401": _error("Missing, unknown or revoked key"), "403": _error("Scope missing")}
#: Reads are refused under overload (PORTAL_SHED_AFTER); creates never are.
READS = {
    **COMMON,
    "503": _error("Busy: the request queued too long; retry after Retry-After seconds"),
}
SUB_REF = {"$ref": "#/components/schemas/Submission"}


def spec(server: str) -> dict[str, Any]:
    """The description, with ``server`` as the base address."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Fast-register portal API",
            "version": "1",
            "description": "Create, read and list fast-register submissions; read and "
            "drive each one's go-live setup. Webhook events (see webhooks): "
            + ", ".join(EVENT_TYPES),
        },
        "servers": [{"url": server}],
        "security": [{"apiKey": []}],
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Scopes: " + ", ".join(SCOPES),
                }
            },
            "schemas": {
                "Submission": SUBMISSION,
                "Error": ERROR,
                "CreateSubmission": CREATE,
                **openapi_setup_schemas.SCHEMAS,
                **openapi_events.SCHEMAS,
            },
        },
        "paths": {
            "/api/v1/submissions": {
                "post": {
                    "operationId": "createSubmission",
                    "summary": "Create a submission on a merchant's behalf (submissions:write)",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "schema": {"type": "string", "maxLength": 255},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CreateSubmission"}
                            }
                        },
                    },
                    "responses": {
                        "201": _ok("Created", SUB_REF),
                        "200": _ok("validate_only: the checked values", {"type": "object"}),
                        "400": _error("Malformed body, unknown field or reused idempotency key"),
                        "409": _error(
                            "already_in_flight: the same facts are in flight (submission); "
                            "same_company: the company has a mini program or an application "
                            "in flight (submissions: the request's partner's own; "
                            "other_submissions_exist); send allow_same_company to go on"
                        ),
                        "422": _error("Pre-flight checks failed; see fields"),
                        **COMMON,
                    },
                },
                "get": {
                    "operationId": "listSubmissions",
                    "summary": "List submissions, newest first (submissions:read)",
                    "parameters": [
                        {"name": name, "in": "query", "schema": schema}
                        for name, schema in (
                            ("state", {"type": "string", "description": "comma-separated"}),
                            ("flavor", {"type": "string", "enum": ["classic", "v2"]}),
                            ("partner_id", {"type": "integer"}),
                            ("code", {"type": "string"}),
                            ("created_after", {"type": "number"}),
                            ("created_before", {"type": "number"}),
                            ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
                            ("cursor", {"type": "string"}),
                        )
                    ],
                    "responses": {
                        "200": _ok(
                            "A page",
                            {
                                "type": "object",
                                "properties": {
                                    "data": {"type": "array", "items": SUB_REF},
                                    "has_more": {"type": "boolean"},
                                    "next_cursor": {"type": ["string", "null"]},
                                },
                            },
                        ),
                        "400": _error("A bad filter"),
                        **READS,
                    },
                },
            },
            "/api/v1/submissions/{submission_id}": {
                "get": {
                    "operationId": "getSubmission",
                    "summary": "Read one submission (submissions:read)",
                    "parameters": [
                        {
                            "name": "submission_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": _ok("The submission", SUB_REF),
                        "404": _error("No such submission"),
                        **READS,
                    },
                },
            },
            **openapi_setup.paths(),
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "security": [],
                    "responses": {"200": _ok("OpenAPI 3.1", {"type": "object"})},
                }
            },
        },
        "webhooks": openapi_events.webhooks(),
    }
