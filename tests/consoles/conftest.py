"""Accounts of every role, two partners with a merchant each, and a login helper."""

import re

import pytest

from portal import accounts, links
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import VALID, facts

PASSWORD = "correct-horse-battery"


@pytest.fixture
def people(db):
    """admin, staff, two partners (A, B) each with one link and one merchant."""
    a = accounts.create_partner(db, "甲代理")
    b = accounts.create_partner(db, "乙代理")
    accounts.create_user(db, "admin", PASSWORD, "admin")
    accounts.create_user(db, "staff", PASSWORD, "staff")
    accounts.create_user(db, "partner_a", PASSWORD, "partner", a)
    accounts.create_user(db, "partner_b", PASSWORD, "partner", b)
    link_a = links.create(db, a, "甲的链接")
    link_b = links.create(db, b, "乙的链接")
    sub_a, _ = subs.submit(
        db,
        FLAVORS["classic"],
        facts("甲客户科技有限公司", code=VALID["code"]),
        partner_id=a,
        link_id=link_a["id"],
    )
    sub_b, _ = subs.submit(db, FLAVORS["classic"], facts("乙客户科技有限公司", code=VALID["code"], legal_persona_name="王五",
                                                legal_persona_wechat="wangwu_1988"),
                           partner_id=b, link_id=link_b["id"])  # fmt: skip
    return {"partner_a": a, "partner_b": b, "link_a": link_a, "link_b": link_b,
            "sub_a": sub_a, "sub_b": sub_b}  # fmt: skip


def csrf_from(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def login(client, username, password=PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def as_role(client, people):
    def log_in(username):
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    return log_in
