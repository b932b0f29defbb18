"""Finding a lost status link: facts only the merchant typed, rate-limited, no oracle."""

import pytest

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts


@pytest.fixture
def mine(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(code="9144030071526726XG"),
                         contact_phone="13800138000")  # fmt: skip
    return sub


def find(client, code, secret):
    token = csrf_from(client.get("/find").get_data(as_text=True))
    return client.post("/find", data={"code": code, "secret": secret, "csrf_token": token})


@pytest.mark.parametrize(
    "code, secret",
    [("9144030071526726XG", "zhangsan_88"), ("9144 0300 7152 6726 xg", "ZhangSan_88"),
     ("9144030071526726XG", "138 0013 8000")],
)  # fmt: skip
def test_the_code_and_a_private_fact_find_the_link(client, mine, code, secret):
    page = find(client, code, secret).get_data(as_text=True)
    assert f"/s/{mine['public_id']}" in page


@pytest.mark.parametrize(
    "code, secret",
    [("9144030071526726XG", "lisi_1234"), ("9144030071526726XG", "张三"),
     ("91440101MA59VWXY1B", "zhangsan_88"), ("9144030071526726XG", "")],
)  # fmt: skip
def test_public_facts_alone_find_nothing_and_say_nothing(client, mine, code, secret):
    page = find(client, code, secret).get_data(as_text=True)
    assert f"/s/{mine['public_id']}" not in page and mine["name"] not in page


def test_guessing_one_companys_secret_is_cut_off(app, mine):
    answers = []
    for n in range(7):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.1.{n}"  # a scraper changing addresses
        answers.append(find(client, "9144030071526726XG", f"guess_{n:04d}").status_code)
    assert answers[:5] == [200] * 5 and answers[5:] == [429, 429]
    # Even the right secret waits now: the limit is per company, whoever asks.
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.2.1"
    page = find(client, "9144030071526726XG", "zhangsan_88")
    assert page.status_code == 429 and f"/s/{mine['public_id']}" not in page.get_data(as_text=True)


def test_one_address_cannot_sweep_many_companies(client, mine):
    codes = [f"91440300715267{n:02d}XG" for n in range(12)]
    statuses = [find(client, code, "zhangsan_88").status_code for code in codes]
    assert statuses.count(429) == 2


def test_a_purged_submission_is_not_found(client, db, mine):
    subs.transition(db, mine["id"], subs.EXPIRED, "", expect=[subs.QUEUED])
    db.execute("UPDATE submissions SET purged_at = 1 WHERE id = ?", [mine["id"]])
    db.conn.commit()
    assert f"/s/{mine['public_id']}" not in find(client, "9144030071526726XG",
                                                 "zhangsan_88").get_data(as_text=True)  # fmt: skip
