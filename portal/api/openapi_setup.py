"""The OpenAPI description of the go-live setup (``/api/v1/submissions/{id}/setup``).

``openapi.spec`` merges these in (the answers' schemas: ``openapi_setup_schemas``);
``tests/api/test_setup_api.py`` checks that every
route is described and that the answers have the fields described.
"""

from __future__ import annotations

from typing import Any

from portal.golive import name_proofs

REF = "#/components/schemas/"

PHOTO = {
    "type": "string",
    "description": "A JPG, PNG, GIF, BMP or WEBP photo of at most 10 MB, base64 (a data: "
    "URL too); in multipart/form-data, a file of that name",
}


FILE = {"type": "string", "format": "binary"}
PROOF = {
    **PHOTO,
    "description": "证明材料照片 (setnickname's naming_other_stuff_<n>: a trademark "
    "certificate, a brand licence, …; not the licence), checked and converted like the "
    "licence; replaces the kept photo of its number. " + PHOTO["description"],
}


def _body(
    properties: dict[str, Any], required: list[str], photos: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The JSON body; with ``photos``, multipart/form-data too (those fields as files,
    a category's documents as files ``qualification:<document>``)."""
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if photos:
        form = {
            n: FILE if n in photos else v for n, v in properties.items() if n != "qualifications"
        }
        multipart = {"type": "object", "required": required, "properties": form}
        if "qualifications" in properties:
            multipart["patternProperties"] = {"^qualification:": FILE}
        content["multipart/form-data"] = {"schema": multipart}
    return {"required": bool(required), "content": content}


BODIES = {
    "name": _body(
        {
            "nickname": {"type": "string", "description": "小程序名称 (rules: docs/golive.md)"},
            "licence": {**PHOTO, "description": "营业执照照片; needed unless kept. " + PHOTO["description"]},
            **{f"proof_{n}": PROOF for n in name_proofs.SLOTS},
            "clear_proofs": {
                "type": "boolean",
                "description": "true: the proof photos kept from earlier calls are no longer "
                "used (the ones in this call still are); multipart: the text true or false",
            },
        },
        ["nickname"],
        ("licence", *(f"proof_{n}" for n in name_proofs.SLOTS)),
    ),
    "avatar": _body({"avatar": PHOTO}, ["avatar"], ("avatar",)),
    "intro": _body({"signature": {"type": "string", "description": "4–120 characters"}}, ["signature"]),
    "category": _body(
        {
            "first": {"type": ["integer", "string"]},
            "second": {"type": ["integer", "string"]},
            "qualifications": {
                "type": "object",
                "additionalProperties": PHOTO,
                "description": "Document name → photo; multipart: files qualification:<name>",
            },
        },
        ["first", "second"],
        ("qualifications",),
    ),
    "testers": _body(
        {"wechat_ids": {"type": ["array", "string"], "items": {"type": "string"}}}, ["wechat_ids"]
    ),
    "audit/resubmit": _body({"feedback_info": {"type": "string", "maxLength": 200}}, []),
    "release": _body({}, []),
}  # fmt: skip

SUMMARIES = {
    "name": "Give the name, the business licence photo and any proof photos",
    "avatar": "Give the avatar (cropped to a square JPEG as on the merchant's page)",
    "intro": "Give the introduction",
    "category": "Choose the category, with its qualification photos",
    "testers": "Add testers by WeChat ID",
    "audit/resubmit": "Submit the audit again after a rejection (feedback_info)",
    "release": "Confirm the release (release policy confirm)",
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF + "Error"}}},
    }


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ID = {"name": "submission_id", "in": "path", "required": True, "schema": {"type": "integer"}}
KEY = {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 255}}
COMMON = {"401": _error("Missing, unknown or revoked key"), "403": _error("Scope missing")}
NOT_YET = _error("No such submission, or not yet authorized (its setup has not begun)")


def paths() -> dict[str, Any]:
    base = "/api/v1/submissions/{submission_id}/setup"
    found: dict[str, Any] = {
        base: {
            "get": {
                "operationId": "getSetup",
                "summary": "Read the go-live setup (submissions:read)",
                "parameters": [ID],
                "responses": {"200": _ok("The setup", {"$ref": REF + "Setup"}), "404": NOT_YET, **COMMON},
            }
        },
        base + "/categories": {
            "get": {
                "operationId": "getSetupCategories",
                "summary": "The categories this mini program may add (submissions:read)",
                "parameters": [ID],
                "responses": {
                    "200": _ok(
                        "The choices, once the worker fetched them",
                        {
                            "type": "object",
                            "properties": {
                                "choices_ready": {"type": "boolean"},
                                "choices": {"type": "array", "items": {"$ref": REF + "CategoryChoice"}},
                            },
                        },
                    ),
                    "404": NOT_YET,
                    **COMMON,
                },
            }
        },
    }  # fmt: skip
    for name, body in BODIES.items():
        method = "post" if name in ("audit/resubmit", "release") else "put"
        conflict = "The step is with WeChat or done" if method == "put" else "Not needed now"
        operation = "".join(part.title() for part in name.replace("/", " ").split())
        found[f"{base}/{name}"] = {
            method: {
                "operationId": f"setup{operation}",
                "summary": f"{SUMMARIES[name]} (setup:write)",
                "parameters": [ID, KEY],
                "requestBody": body,
                "responses": {
                    "202": _ok("Stored; the worker sends it to WeChat", {"$ref": REF + "Setup"}),
                    "400": _error("Malformed body, unknown field or reused idempotency key"),
                    "404": NOT_YET,
                    "409": _error(conflict + " (step_closed, release_not_needed, …)"),
                    "413": _error("Body past its bound"),
                    "422": _error("The merchant's rules refused it; see fields (nothing stored)"),
                    **COMMON,
                },
            }
        }
    return found
