"""The OpenAPI schemas of the go-live setup's answers (``Setup``, its steps, category
choices and ICP filing): ``openapi.spec`` puts ``SCHEMAS`` under components; the
routes and request bodies are ``openapi_setup``.
"""

from __future__ import annotations

from portal.golive import steps as st

REF = "#/components/schemas/"
INT_OR_NULL = {"type": ["integer", "null"], "description": "Unix seconds"}
TEXT_OR_NULL = {"type": ["string", "null"]}

STEP = {
    "type": "object",
    "required": ["state", "label", "input", "files"],
    "properties": {
        "state": {"type": "string", "enum": list(st.STATE_LABELS)},
        "label": {"type": "string", "description": "The state in plain Chinese"},
        "reason": {
            **TEXT_OR_NULL,
            "description": "WeChat's reason (plain text) when the step needs the merchant "
            "(needs_merchant), or the platform's when it is held for staff (held)",
        },
        "errcode": {"type": ["integer", "null"]},
        "detail": {**TEXT_OR_NULL, "description": "The latest note of the setup's timeline"},
        "input": {
            "type": "object",
            "description": "What was given: nickname and proofs (name; the roles of "
            "its proof photos, proof:<n>), signature (intro), first, "
            "first_name, second, second_name, qualifications (category), count and, only "
            "for keys with personal_data:read, wechat_ids (testers), feedback_info "
            "(deploy), confirmed (release). Never a file or a token.",
        },
        "files": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Roles of the files kept (licence, proof:<n>, avatar, "
            "qualification:<doc>, screenshot:<n>, wxacode, trial_qr); never their bytes",
        },
        "given_at": INT_OR_NULL,
        "done_at": INT_OR_NULL,
        "updated_at": INT_OR_NULL,
        "phase": {**TEXT_OR_NULL, "description": "deploy: domains, commit, privacy, submit"},
        "auditid": {"type": ["integer", "null"], "description": "audit only"},
        "expected": {**TEXT_OR_NULL, "description": "audit: how long WeChat usually takes"},
        "screenshots": {"type": "integer", "description": "audit: WeChat's screenshots kept"},
        "choices_ready": {"type": "boolean", "description": "category: choices fetched"},
        "proof_needed": {
            "type": "boolean",
            "description": "name: WeChat's check asked proof photos for the nickname in "
            "input; a PUT …/setup/name of that name needs at least one (proof_1 … "
            "proof_5, or one kept), or it is 422",
        },
        "wording": {
            **TEXT_OR_NULL,
            "description": "name: WeChat's wording from its name check (plain text; null "
            "once the name is set)",
        },
    },
}

SETUP = {
    "type": "object",
    "description": "The go-live setup: null until the submission is authorized.",
    "required": ["submission_id", "appid", "steps"],
    "properties": {
        "submission_id": {"type": "integer"},
        "appid": {"type": "string"},
        "opened": {"type": "boolean", "description": "false: authorized, not yet opened"},
        "live": {"type": "boolean", "description": "The release is done"},
        "auditid": {"type": ["integer", "null"]},
        "released_at": INT_OR_NULL,
        "release_policy": {"type": "string", "enum": ["auto", "confirm"]},
        "can_release": {"type": "boolean", "description": "POST …/setup/release is needed"},
        "created_at": INT_OR_NULL,
        "updated_at": INT_OR_NULL,
        "icp": {"$ref": REF + "SetupIcp"},
        "steps": {
            "type": "object",
            "description": "By name, in WeChat's order: " + ", ".join(st.STEPS),
            "properties": {name: {"$ref": REF + "SetupStep"} for name in st.STEPS},
        },
    },
}

ICP = {
    "type": "object",
    "description": "The ICP filing (备案) as the worker last read it from WeChat "
    "(get_icp_entrance_info, every few hours from the audit on until filed). The merchant "
    "files in the mini program's console (mp.weixin.qq.com); the portal does not file.",
    "required": ["status", "label", "actor", "filed"],
    "properties": {
        "status": {
            "type": ["integer", "null"],
            "description": "WeChat's status: 2 platform review, 3 rejected by the platform, "
            "4 the authority's review, 5 rejected by the authority, 6 filed, 1024-1031 not "
            "filed (1025-1031: information, category or verification missing); null: not "
            "read yet",
        },
        "label": {"type": "string", "description": "The state in Chinese"},
        "actor": {"type": "string", "enum": ["merchant", "wechat", "nobody"]},
        "todo": {"type": "string", "description": "What to do, in Chinese"},
        "filed": {"type": "boolean"},
        "rejections": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key_name": {"type": "string"},
                    "error": {"type": "string"},
                    "suggest": {"type": "string"},
                },
            },
        },
        "checked_at": INT_OR_NULL,
    },
}

CHOICE = {
    "type": "object",
    "properties": {
        "first": {"type": "integer"},
        "first_name": {"type": "string"},
        "second": {"type": "integer"},
        "second_name": {"type": "string"},
        "sensitive": {"type": "boolean", "description": "WeChat audits this category"},
        "groups": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "string"}},
            "description": "The qualifications WeChat wants: one photo for each group, of "
            "any one document the group names",
        },
        "qualifications": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Every document named in groups, flattened",
        },
    },
}

SCHEMAS = {"Setup": SETUP, "SetupStep": STEP, "CategoryChoice": CHOICE, "SetupIcp": ICP}
