"""miniprogram.* events reach a webhook endpoint with the payload docs/api.md prints and
the OpenAPI document describes; the OpenAPI document lists the setup's paths, scope and
answers."""

import json
import re
from pathlib import Path

import httpx
import pytest

from portal.api.openapi import spec
from portal.golive import audits, outcomes
from portal.golive import steps as st
from portal.registration import delivery, outbox, webhooks
from portal.registration.webhooks import MINIPROGRAM_FIELDS
from portal.wechat.authorizers import Vault
from tests.api.setup_helpers import call, url
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_webhooks import documented_verify

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
MINIPROGRAM_EVENTS = [t for t in outbox.EVENT_TYPES if t.startswith("miniprogram.")]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(db, receiver):
    endpoint_id, secret = webhooks.create_endpoint(db, Vault(), receiver.url, MINIPROGRAM_EVENTS)
    return {"id": endpoint_id, "secret": secret}


@pytest.fixture
def deliverer(app, db):
    http = httpx.Client(timeout=5)
    yield delivery.Deliverer(db, {**app.config, "WEBHOOK_RETRY_DELAY": 10}, http)
    http.close()


def documented_event() -> dict:
    text = API_DOCS.read_text()
    block = re.search(r"<!-- miniprogram-event -->\n```json\n(.*?)```", text, re.S).group(1)
    return json.loads(block)


def delivered(receiver, deliverer, rounds=6):
    for _ in range(rounds):
        deliverer.run_once()
    return [(headers, json.loads(body)) for headers, body in receiver.received]


def test_the_seven_events_are_known_types():
    assert MINIPROGRAM_EVENTS == [
        "miniprogram.name_set", "miniprogram.category_approved", "miniprogram.audit_submitted",
        "miniprogram.audit_passed", "miniprogram.audit_failed", "miniprogram.audit_withdrawn",
        "miniprogram.released",
    ]  # fmt: skip


def test_a_name_set_reaches_the_endpoint_signed_with_the_documented_payload(
    db, hook, receiver, deliverer, sub
):
    setup = st.open_setup(db, sub["id"], sub["appid"])
    st.give(db, setup["id"], st.NAME, {"nickname": "沙箱事件小店"})
    outcomes.done(db, setup["id"], st.NAME, {}, "名称已设置为“沙箱事件小店”")
    [(headers, body)] = delivered(receiver, deliverer)
    assert headers["Portal-Event-Type"] == "miniprogram.name_set"
    raw = receiver.received[0][1]
    assert documented_verify()(hook["secret"], headers["Portal-Signature"], raw)
    documented = documented_event()
    assert set(body) == set(documented) and body["version"] == documented["version"] == 1
    assert list(body["data"]) == list(documented["data"]) == ["miniprogram"]
    assert tuple(documented["data"]["miniprogram"]) == MINIPROGRAM_FIELDS
    assert body["data"]["miniprogram"] == {
        "appid": sub["appid"], "submission_id": sub["id"], "step": "name", "state": "done",
        "detail": "名称已设置为“沙箱事件小店”", "auditid": None, "reason": None,
    }  # fmt: skip


def test_an_audit_failed_then_resubmitted_through_the_api(
    client, db, hook, receiver, deliverer, sub, setup, writer
):
    audits.submitted(db, setup["id"], 428177)
    audits.apply(db, setup["id"], audits.REJECTED, "页面内容与类目不符", auto_release=True)
    answer = call(client, "post", url(sub, "/audit/resubmit"), writer,
                  json={"feedback_info": "已修改首页"})  # fmt: skip
    assert answer.status_code == 202
    events = delivered(receiver, deliverer)
    assert [b["type"] for _, b in events] == [
        "miniprogram.audit_submitted",
        "miniprogram.audit_failed",
    ]
    failed = events[1][1]["data"]["miniprogram"]
    assert failed["state"] == "needs_merchant" and failed["reason"] == "页面内容与类目不符"
    assert failed["auditid"] == 428177 and events[0][1]["data"]["miniprogram"]["auditid"] == 428177
    text = json.dumps([b for _, b in events])
    assert "token" not in text and "licence" not in text


def test_openapi_describes_the_events_and_their_payload():
    described = spec("http://x")
    assert set(described["webhooks"]) == set(outbox.EVENT_TYPES)
    for event_type in MINIPROGRAM_EVENTS:
        post = described["webhooks"][event_type]["post"]
        schema = post["requestBody"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/MiniprogramEvent"}
    schemas = described["components"]["schemas"]
    assert tuple(schemas["Miniprogram"]["properties"]) == MINIPROGRAM_FIELDS
    assert set(schemas["MiniprogramEvent"]["properties"]["type"]["enum"]) == set(MINIPROGRAM_EVENTS)
    assert set(documented_event()) == set(schemas["MiniprogramEvent"]["properties"])
    assert all(t in described["info"]["description"] for t in MINIPROGRAM_EVENTS)


def test_openapi_lists_the_setup_paths_scope_and_answers(client, writer, sub, setup):
    described = spec("http://x")
    base = "/api/v1/submissions/{submission_id}/setup"
    assert {
        base: {"get"}, base + "/categories": {"get"}, base + "/name": {"put"},
        base + "/avatar": {"put"}, base + "/intro": {"put"}, base + "/category": {"put"},
        base + "/testers": {"put"}, base + "/audit/resubmit": {"post"}, base + "/release": {"post"},
    }.items() <= {path: set(ops) for path, ops in described["paths"].items()}.items()  # fmt: skip
    assert "setup:write" in described["components"]["securitySchemes"]["apiKey"]["description"]
    assert "(setup:write)" in described["paths"][base + "/name"]["put"]["summary"]
    schemas = described["components"]["schemas"]
    answer = call(client, "put", url(sub, "/intro"), writer,
                  json={"signature": "本店提供在线点餐和外卖服务"}).get_json()  # fmt: skip
    assert set(schemas["Setup"]["required"]) <= set(answer) <= set(schemas["Setup"]["properties"])
    for step in answer["steps"].values():
        assert set(step) <= set(schemas["SetupStep"]["properties"])
        assert set(schemas["SetupStep"]["required"]) <= set(step)
    read = call(client, "get", f"/api/v1/submissions/{sub['id']}", writer).get_json()
    assert set(read) <= set(schemas["Submission"]["properties"]) and read["setup"] == answer
    closed = call(client, "put", url(sub, "/release"), writer)
    assert closed.status_code == 405
    refused = call(client, "put", url(sub, "/intro"), writer, json={"signature": "ab"})
    assert set(refused.get_json()["error"]) <= set(
        schemas["Error"]["properties"]["error"]["properties"]
    )


def test_every_reference_in_the_document_resolves():
    described = spec("http://x")
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                found.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(described)
    schemas = described["components"]["schemas"]
    assert found and all(ref.startswith("#/components/schemas/") for ref in found)
    assert {ref.rsplit("/", 1)[1] for ref in found} <= set(schemas)
    json.dumps(described)  # plain JSON throughout
