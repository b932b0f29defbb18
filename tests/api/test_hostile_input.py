"""Item 16: hostile input to the API answers 400 or 422 with the one error object, never
a 500, and every parameter parses strictly (ASCII digits, bounded integers, exact
cursors, bounded JSON)."""

import base64
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal import apikeys as keys
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.api.test_api import ALL, VALID, call
from tests.registration.facts import facts


@pytest.fixture
def key(db):
    return keys.create(db, "CRM", ALL, None)[1]


def refused(response, status=400, code="invalid_parameter"):
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    error = response.get_json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    return error


def listing(client, key, query):
    return call(client, "get", "/api/v1/submissions", key, query_string=query)


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "²"},  # str.isdigit says yes
        {"limit": "١٠"},  # Arabic-Indic digits: int() accepts them
        {"limit": " 5"},
        {"limit": "5\n"},
        {"limit": "+5"},
        {"limit": "1_0"},
        {"partner_id": "²"},
        {"partner_id": str(2**70)},
        {"partner_id": "-1"},
        {"partner_id": "1e3"},
        {"created_after": "١٢٣"},
        {"created_after": "1_000"},
        {"created_after": "nan"},
        {"created_after": "inf"},
        {"created_before": "1e999"},
        {"created_before": "-5"},
        {"code": "9144\x00"},
        {"code": "x" * 200},
        {"flavor": "classic\x00"},
    ],
)
def test_every_query_parameter_parses_strictly(client, key, query):
    error = refused(listing(client, key, query))
    assert error["param"] == next(iter(query))


def test_unknown_and_repeated_parameters_are_refused(client, key):
    error = refused(listing(client, key, {"limitt": "5"}), code="unknown_parameter")
    assert error["param"] == "limitt"
    error = refused(listing(client, key, "limit=5&limit=6"))
    assert error["param"] == "limit"
    refused(call(client, "get", "/api/v1/submissions/1?x=1", key), code="unknown_parameter")


def test_a_cursor_must_round_trip_exactly(client, db, key):
    for n in range(3):
        subs.submit(db, FLAVORS["classic"], facts(f"广州市游标{n}号科技有限公司"))
    page = listing(client, key, {"limit": 1}).get_json()
    cursor = page["next_cursor"]
    assert listing(client, key, {"limit": 1, "cursor": cursor}).status_code == 200
    for bent in (
        cursor + "\x00",
        cursor[:1] + "!" + cursor[1:],
        cursor[:1] + " " + cursor[1:],
        cursor + "=",
        cursor + "==",
        cursor + "\n",
        base64.urlsafe_b64encode(b"03").decode().rstrip("="),  # "03" is not how 3 is written
        base64.urlsafe_b64encode(b"\xb2").decode().rstrip("="),  # "²"
        base64.urlsafe_b64encode(str(2**70).encode()).decode().rstrip("="),
    ):
        assert refused(listing(client, key, {"limit": 1, "cursor": bent}))["param"] == "cursor"


def create(client, key, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return call(client, "post", "/api/v1/submissions", key, data=data,
                content_type="application/json", headers=headers)  # fmt: skip


def test_a_partner_id_sqlite_cannot_hold_is_a_field_error(client, db, key):
    for partner_id in (2**70, -(2**70), 2**63, 1.5, "3", True):
        error = refused(create(client, key, {**VALID, "partner_id": partner_id}), 422,
                        "validation_failed")  # fmt: skip
        assert [f["field"] for f in error["fields"]] == ["partner_id"]
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "body",
    [
        "[" * 20_000 + "]" * 20_000,
        '{"name": ' + "[" * 20_000 + "]" * 20_000 + "}",
        '{"name": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}",
        "[" * 50,  # deep and cut short
        '{"name": "a", "name": "b"}',  # which one?
        '{"name": NaN}',
        '{"name": Infinity}',
        '{"partner_id": ' + "9" * 5000 + "}",  # past Python's int-from-string limit
        b'{"name": "\xff"}',  # not UTF-8
        '\ufeff{"name": "a"}',
        "",
    ],
)
def test_hostile_bodies_are_400_invalid_json(client, key, body):
    refused(create(client, key, body), code="invalid_json")


def test_a_body_past_the_apis_bound_is_413(client, key):
    body = json.dumps({**VALID, "name": "广" * 40_000}, ensure_ascii=False)
    refused(create(client, key, body.encode()), 413, "too_large")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "广州\ud800科技有限公司"),  # a lone surrogate: unencodable
        ("name", "广州\x00科技有限公司"),
        ("legal_persona_name", "张\x07三"),
        ("code", "9" * 1000),
        ("code_type", 2**70),
        ("contact_phone", 1.5),
        ("validate_only", "yes"),
        ("validate_only", 1),
    ],
)
def test_hostile_field_values_are_field_errors(client, db, key, field, value):
    error = refused(create(client, key, {**VALID, field: value}), 422, "validation_failed")
    assert field in [f["field"] for f in error["fields"]]
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


@pytest.mark.parametrize("header", ["a\x00b", "x" * 256, "\x7f"])
def test_a_hostile_idempotency_key_is_refused(client, key, header):
    error = refused(create(client, key, dict(VALID), **{"Idempotency-Key": header}))
    assert error["param"] == "Idempotency-Key"


# --- the property: nothing anyone sends answers 5xx -------------------------------------

TEXT = st.text(max_size=30)
ANY_CHARACTER = st.text(st.characters(exclude_categories=[]), max_size=10)  # surrogates too
HOSTILE_TEXT = st.one_of(
    TEXT,
    ANY_CHARACTER,
    st.sampled_from(["²", "١٢", "0", "-1", "1e309", "NaN", "inf", "\x00", " 1", "1 ", "١",
                     str(2**63), str(2**63 - 1), str(-(2**63) - 1), "9" * 400, "%00", "=="]),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)  # fmt: skip
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63, 2**63 - 1, -(2**63) - 1, 2**70, 0, -1]),
    st.floats(allow_nan=False, allow_infinity=False),
    HOSTILE_TEXT,
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
PARAMS = ["state", "flavor", "partner_id", "code", "created_after", "created_before",
          "limit", "cursor", "unexpected"]  # fmt: skip
FIELDS = ["name", "code_type", "code", "legal_persona_name", "legal_persona_wechat",
          "contact_phone", "partner_id", "validate_only", "unexpected"]  # fmt: skip
NO_FIXTURE_RESET = settings(
    max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def no_5xx(response):
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    if response.status_code >= 400:
        error = response.get_json()["error"]
        assert error["status"] == response.status_code and error["code"] and error["message"]


@NO_FIXTURE_RESET
@given(query=st.dictionaries(st.sampled_from(PARAMS), HOSTILE_TEXT, max_size=4),
       sub_id=HOSTILE_TEXT)  # fmt: skip
def test_no_query_parameter_answers_5xx(client, key, query, sub_id):
    no_5xx(listing(client, key, query))
    cleaned = sub_id.replace("/", "").replace("?", "").replace("#", "")
    # A lone surrogate cannot be put in a URL as text: send its bytes, percent-encoded
    # (invalid UTF-8 in the path), as a client could.
    path = "/api/v1/submissions/" + quote(cleaned.encode("utf-8", "surrogatepass"), safe="")
    no_5xx(call(client, "get", path, key, query_string=query))


@NO_FIXTURE_RESET
@given(
    changes=st.dictionaries(
        st.sampled_from(FIELDS), JSON_LEAF | JSON_LEAF | JSON_VALUE, max_size=4
    ),
    dropped=st.lists(st.sampled_from(FIELDS), max_size=3),
    idempotency=st.none() | st.text(alphabet=st.characters(max_codepoint=255), max_size=300),
)
@example(changes={"partner_id": 2**70}, dropped=[], idempotency=None)
@example(changes={"name": "广\ud800"}, dropped=[], idempotency="k\x00")
def test_no_body_field_answers_5xx(client, key, changes, dropped, idempotency):
    body = {k: v for k, v in {**VALID, **changes}.items() if k not in dropped}
    headers = {} if idempotency is None else {"Idempotency-Key": idempotency}
    try:
        response = create(client, key, json.dumps(body), **headers)
    except ValueError:  # werkzeug refuses to send a header with a newline: nothing to test
        return
    no_5xx(response)


@NO_FIXTURE_RESET
@example(body=b"[" * 20_000 + b"]" * 20_000)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        st.integers(1, 30_000).map(lambda n: ("[" * n + "]" * n).encode()),
        st.integers(1, 30_000).map(lambda n: ('{"name":' + "[" * n).encode()),
    )
)
def test_no_raw_body_answers_5xx(client, key, body):
    no_5xx(create(client, key, body))


def test_an_id_in_another_script_is_not_another_rows_id(client, db, key):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市路径测试科技有限公司"))
    assert call(client, "get", f"/api/v1/submissions/{sub['id']}", key).status_code == 200
    arabic = "".join(chr(0x0660 + int(d)) for d in str(sub["id"]))  # "١" reads as 1 in int()
    refused(call(client, "get", f"/api/v1/submissions/{arabic}", key), 404, "not_found")
