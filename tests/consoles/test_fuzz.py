"""Fuzz every route, as every role, with hostile query parameters, path values and form
fields: never a 500, and a refused request (4xx) writes nothing it should not."""

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.consoles.conftest import csrf_from, login

#: Every query parameter and form field the routes read, plus one nobody reads.
PARAMS = ["page", "name", "code", "code_type", "legal_name", "wechat", "state", "partner",
          "date_from", "date_to", "from", "ref", "next", "label", "contact_phone", "expires_on",
          "legal_persona_name", "legal_persona_wechat", "previous", "action", "body", "username",
          "password", "role", "choice", "unexpected"]  # fmt: skip
WRITES = ("submissions", "submission_events", "notes", "users", "partners", "signup_links")
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "\x00",
            "%00",
            "99999999999999999999",
            "-1",
            "0",
            "1",
            "'; DROP TABLE x;--",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "广" * 300,
            "😀",
            "%",
            "_",
            "\\",
            "2026-02-30",
            "1e309",
            "NaN",
            "\u202e",
            "\ufeff",
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
NUMBER = st.one_of(
    st.sampled_from(["1", "2", "0", "-1", "9223372036854775807", "9223372036854775808",
                     "99999999999999999999"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)  # fmt: skip


def routes(app):
    """(method, rule) of every portal route (not static files)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return sorted(found)


@st.composite
def path_for(draw, rule: str) -> str:
    def value(match: re.Match) -> str:
        converter = match.group(1) or ""
        if converter.startswith("int"):
            return draw(NUMBER)
        if converter.startswith("any("):
            options = re.findall(r"[\w-]+", converter[4:])
            return draw(st.sampled_from(options) | st.text(min_size=1, max_size=5))
        return quote(draw(st.text(min_size=1, max_size=30)), safe="")

    return re.sub(r"<(?:([^:>]+):)?[^>]+>", value, rule)


def snapshot(db):
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WRITES}


HOMES = {None: "/login", "staff": "/staff/", "partner_a": "/partner/", "admin": "/admin/"}


@pytest.fixture
def clients(app, people):
    """A client per role (None: a stranger), logged in, with its session's CSRF token."""
    made = {}
    for role, home in HOMES.items():
        client = app.test_client()
        if role:
            assert login(client, role).status_code == 302
        made[role] = (client, csrf_from(client.get(home).get_data(as_text=True)))
    return made


@pytest.mark.parametrize("role", list(HOMES))
@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_answers_500_or_writes_on_refusal(app, db, clients, role, data):
    client, token = clients[role]
    method, rule = data.draw(st.sampled_from(routes(app)), label="route")
    if rule in ("/logout", "/logout-everywhere"):
        return  # tested on their own; would end the session the next examples use
    path = data.draw(path_for(rule), label="path")
    fields = data.draw(
        st.dictionaries(st.sampled_from(PARAMS), HOSTILE, max_size=6), label="fields"
    )
    before = snapshot(db)
    if method == "GET":
        response = client.get(path, query_string=fields)
    else:
        if data.draw(st.booleans(), label="with csrf"):
            fields = {**fields, "csrf_token": token}
        response = client.open(path, method=method, data=fields)
    assert response.status_code < 500, (role, method, path, fields)
    if response.status_code >= 400:
        assert snapshot(db) == before, (role, method, path, fields, response.status_code)
