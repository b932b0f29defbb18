"""The JSON API: keys (scoped, revocable, shown once), create with pre-flight errors as
data, Idempotency-Key, read, list with filters and cursors, one error object, audit."""

import threading

import pytest

from portal import apikeys as keys
from portal.api.openapi import spec
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts

VALID = facts("广州市接口测试科技有限公司")

ALL = ("submissions:read", "submissions:write", "personal_data:read")


@pytest.fixture
def key(db):
    return keys.create(db, "CRM", ALL, None)[1]


def call(client, method, path, key=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return getattr(client, method)(path, headers=headers, **kwargs)


def test_a_key_is_stored_only_as_its_hash(db):
    key_id, key = keys.create(db, "CRM", ["submissions:read"], None)
    row = db["api_keys"].get(key_id)
    assert key.startswith("frp_") and len(key) > 40
    assert key not in str(row) and row["prefix"] == key[:12]
    assert keys.authenticate(db, key)["id"] == key_id
    assert keys.authenticate(db, key + "x") is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer frp_nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": ""},
    ],
)
def test_no_valid_key_is_401_with_the_error_object(client, headers):
    response = client.get("/api/v1/submissions", headers=headers)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "unauthenticated" and error["status"] == 401 and error["message"]


def test_a_revoked_key_stops_working_at_once(client, db):
    key_id, key = keys.create(db, "CRM", ["submissions:read"], None)
    assert call(client, "get", "/api/v1/submissions", key).status_code == 200
    assert keys.revoke(db, key_id)
    assert call(client, "get", "/api/v1/submissions", key).status_code == 401


def test_scopes_are_enforced(client, db):
    _, reader = keys.create(db, "reader", ["submissions:read"], None)
    _, writer = keys.create(db, "writer", ["submissions:write"], None)
    refused = call(client, "post", "/api/v1/submissions", reader, json=dict(VALID))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["required_scope"] == "submissions:write"
    created = call(client, "post", "/api/v1/submissions", writer, json=dict(VALID))
    assert created.status_code == 201, created.get_json()
    sub_id = created.get_json()["id"]
    assert call(client, "get", f"/api/v1/submissions/{sub_id}", writer).status_code == 403
    read = call(client, "get", f"/api/v1/submissions/{sub_id}", reader).get_json()
    assert read["company_name"] == VALID["name"] and "legal_person" not in read


def test_create_returns_the_submission_with_its_status_link(client, db, key):
    response = call(client, "post", "/api/v1/submissions", key,
                    json={**VALID, "legal_persona_wechat": " ZhangSan_88 "})  # fmt: skip
    assert response.status_code == 201
    body = response.get_json()
    sub = subs.get(db, body["id"])
    assert sub["state"] == "queued" and body["state"] == "queued"
    assert body["status_url"].endswith(f"/s/{sub['public_id']}")
    assert client.get(body["status_url"].replace("http://localhost", "")).status_code == 200
    assert body["normalized"]["legal_persona_wechat"]["to"] == "ZhangSan_88"
    assert body["legal_person"]["wechat"] == "ZhangSan_88"


def test_pre_flight_errors_come_back_as_data_and_nothing_is_created(client, db, key):
    bad = {
        **VALID,
        "code": VALID["code"][:-1] + ("0" if VALID["code"][-1] != "0" else "1"),
        "legal_persona_wechat": "13800138000",
    }
    response = call(client, "post", "/api/v1/submissions", key, json=bad)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    fields = {f["field"]: f for f in error["fields"]}
    assert set(fields) == {"code", "legal_persona_wechat"}
    assert fields["code"]["label"] == "企业代码" and "校验" in fields["code"]["message"]
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"nmae": "x"}', "unknown_parameter"),
    ],
)
def test_malformed_bodies_are_400(client, key, body, code):
    response = call(client, "post", "/api/v1/submissions", key, data=body,
                    content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code


def test_wrong_types_are_field_errors(client, key):
    response = call(client, "post", "/api/v1/submissions", key,
                    json={**VALID, "name": ["a"], "partner_id": "x"})  # fmt: skip
    assert response.status_code == 422
    assert {f["field"] for f in response.get_json()["error"]["fields"]} == {"name", "partner_id"}


def test_validate_only_checks_without_creating(client, db, key):
    response = call(client, "post", "/api/v1/submissions", key,
                    json={**VALID, "validate_only": True})  # fmt: skip
    assert response.status_code == 200 and response.get_json()["valid"] is True
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


def test_facts_already_in_flight_are_409_with_that_submission(client, key):
    first = call(client, "post", "/api/v1/submissions", key, json=dict(VALID)).get_json()
    again = call(client, "post", "/api/v1/submissions", key, json=dict(VALID))
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["code"] == "already_in_flight" and error["submission"]["id"] == first["id"]


def test_idempotency_key_replays_the_first_answer(client, db, key):
    headers = {"Idempotency-Key": "order-42"}
    first = call(
        client, "post", "/api/v1/submissions", key, json=dict(VALID), headers=dict(headers)
    )
    again = call(
        client, "post", "/api/v1/submissions", key, json=dict(VALID), headers=dict(headers)
    )
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
    other = call(client, "post", "/api/v1/submissions", key,
                 json={**VALID, "name": "广州市另一家科技有限公司"}, headers=dict(headers))  # fmt: skip
    assert other.status_code == 400
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"


def test_idempotent_creates_racing_make_one_submission(app, db, key):
    answers = []

    def post():
        with app.test_client() as c:
            answers.append(call(c, "post", "/api/v1/submissions", key, json=dict(VALID),
                                headers={"Idempotency-Key": "race"}))  # fmt: skip

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_reading_an_unknown_submission_is_a_json_404(client, key):
    response = call(client, "get", "/api/v1/submissions/999", key)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    nowhere = call(client, "get", "/api/v1/nothing-here", key)
    assert nowhere.status_code == 404 and nowhere.get_json()["error"]["code"] == "not_found"
    wrong = call(client, "delete", "/api/v1/submissions", key)
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"


def test_list_filters_and_pages_with_a_cursor(client, db, key):
    made = [
        subs.submit(db, FLAVORS["classic"], facts(f"广州市第{n}号科技有限公司"))[0]["id"]
        for n in range(7)
    ]
    subs.transition(db, made[0], "rejected", "", expect=["queued"])
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = call(client, "get", "/api/v1/submissions", key, query_string=query).get_json()
        seen += [s["id"] for s in page["data"]]
        cursor = page["next_cursor"]
        assert page["has_more"] == bool(cursor)
        if not cursor:
            break
    assert seen == sorted(made, reverse=True)
    rejected = call(client, "get", "/api/v1/submissions", key,
                    query_string={"state": "rejected"}).get_json()  # fmt: skip
    assert [s["id"] for s in rejected["data"]] == [made[0]]
    for bad in ({"state": "nope"}, {"limit": "0"}, {"limit": "x"}, {"cursor": "!!"},
                {"created_after": "yesterday"}, {"flavor": "v3"}):  # fmt: skip
        response = call(client, "get", "/api/v1/submissions", key, query_string=bad)
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_every_call_is_in_the_audit_log(client, db, key):
    call(client, "get", "/api/v1/submissions", key)
    call(client, "get", "/api/v1/submissions", "frp_wrong")
    created = call(client, "post", "/api/v1/submissions", key, json=dict(VALID)).get_json()
    rows = list(db.query("SELECT * FROM audit_log WHERE action = 'api call' ORDER BY id"))
    assert [r["username"] for r in rows] == ["api:CRM", "api:（无有效密钥）", "api:CRM"]
    assert rows[1]["detail"].endswith("→ 401")
    assert rows[2]["target"] == f"submission {created['id']}"


def test_openapi_describes_every_api_route(app, client):
    described = spec("http://x")
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.")
    routes = {
        rule.rule.replace("<int:submission_id>", "{submission_id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(described["paths"])
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = rule.rule.replace("<int:submission_id>", "{submission_id}")
        methods.setdefault(path, set()).update(m.lower() for m in rule.methods)
    for path, operations in described["paths"].items():
        assert set(operations) == methods[path] - {"head", "options"}


def test_answers_have_the_described_fields(client, key):
    body = call(client, "post", "/api/v1/submissions", key, json=dict(VALID)).get_json()
    described = spec("http://x")["components"]["schemas"]["Submission"]
    assert set(described["required"]) <= set(body)
    assert set(body) - {"warnings", "normalized", "ignored_fields"} <= set(described["properties"])
