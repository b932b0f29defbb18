"""Hostile input on every checklist route: never a 500, and a refusal stores nothing."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.golive import steps as golive
from tests.consoles.conftest import csrf_from
from tests.merchant.test_setup import authorized, url, with_choices

POSTS = ["name", "avatar", "intro", "category", "testers", "release", "resubmit", "speedup"]
GETS = ["", ".json", "/wxacode.png", "/trial-qr.jpg", "/avatar.jpg", "/screenshots/1/0",
        "/screenshots/0/99999999999999999999", "/screenshots/١/0"]  # fmt: skip
FIELDS = ["nickname", "signature", "category", "wechat_ids", "feedback_info", "document-0",
          "document-99", "licence", "avatar", "unexpected"]  # fmt: skip
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\x00", "%00", "6:601", "8:801", "9" * 30, "<script>alert(1)</script>",
                     "广" * 300, "😀", "\u202e", "\ufeff", "-1:-1", "6:601:7", "None:None"]),
)  # fmt: skip


@pytest.fixture
def ready(client, db):
    sub = authorized(db)
    setup = with_choices(db, sub)
    token = csrf_from(client.get(url(sub)).get_data(as_text=True))
    return sub, setup, token


def kept(db, setup):
    rows = golive.steps(db, setup["id"])
    files = db.execute("SELECT count(*) FROM setup_files").fetchone()[0]
    return {n: (r["state"], r["input"]) for n, r in rows.items()}, files


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_checklist_route_answers_500(client, db, ready, data):
    sub, setup, token = ready
    if data.draw(st.booleans(), label="get"):
        tail = data.draw(st.sampled_from(GETS), label="tail")
        response = client.get(url(sub, tail), query_string={"x": data.draw(HOSTILE)})
        assert response.status_code < 500, tail
        return
    step = data.draw(st.sampled_from(POSTS), label="step")
    fields = data.draw(st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=5), label="f")
    form = {k: (io.BytesIO(v.encode()), "x.jpg") if k in ("licence", "avatar") or
            k.startswith("document") else v for k, v in fields.items()}  # fmt: skip
    before = kept(db, setup)
    response = client.post(url(sub, f"/{step}"), data={**form, "csrf_token": token})
    assert response.status_code < 500, (step, fields)
    if response.status_code >= 400:
        assert kept(db, setup) == before
