"""What a stranger or a careless user sends: never a 500, never a write it should not make."""

import pytest

from portal.inputs import SQLITE_MAX_INT
from tests.consoles.conftest import csrf_from, login
from tests.merchant.helpers import FORM, csrf_token

HUGE = "99999999999999999999"


def snapshot(db):
    tables = ("submissions", "notes", "users", "partners", "signup_links", "console_sessions")
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.mark.parametrize("query", ["name=%00", "legal_name=%00", "name=a%00b", "wechat=%01x"])
def test_a_control_character_searches_nothing(client, people, as_role, query):
    as_role("staff")
    page = client.get(f"/staff/search?{query}").get_data(as_text=True)
    assert "控制字符" in page and "条结果" not in page


@pytest.mark.parametrize(
    "role, path",
    [("staff", "/staff/search?name=甲&page="), ("partner_a", "/partner/?page="),
     ("admin", "/admin/audit?page=")],
)  # fmt: skip
@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, "0", "abc", str(SQLITE_MAX_INT)])
def test_an_absurd_page_number_is_a_normal_page(client, people, as_role, role, path, number):
    as_role(role)
    assert client.get(path + number).status_code == 200


@pytest.mark.parametrize(
    "role, method, path",
    [
        ("staff", "get", "/staff/submissions/{n}"),
        ("staff", "get", "/staff/submissions/{n}/ask"),
        ("staff", "get", "/staff/pushes/{n}"),
        ("partner_a", "get", "/partner/links/{n}/poster"),
        ("partner_a", "get", "/partner/links/{n}/qr.svg"),
        ("admin", "post", "/admin/users/{n}/disable"),
        ("admin", "post", "/admin/partners/{n}/disable"),
        ("partner_a", "post", "/partner/links/{n}/disable"),
        ("admin", "post", "/admin/users/{n}/password"),
        ("staff", "post", "/staff/submissions/{n}/notes"),
        ("staff", "post", "/staff/submissions/{n}/release"),
    ],
)
@pytest.mark.parametrize("number", [HUGE, str(SQLITE_MAX_INT + 1), str(SQLITE_MAX_INT)])
def test_an_id_too_large_for_sqlite_is_a_404(
    client, people, as_role, db, role, method, path, number
):
    as_role(role)
    before = snapshot(db)
    home = {"staff": "/staff/", "partner_a": "/partner/", "admin": "/admin/"}[role]
    token = csrf_from(client.get(home).get_data(as_text=True))
    response = getattr(client, method)(path.format(n=number), data={"csrf_token": token})
    assert response.status_code == 404
    assert snapshot(db) == before


def test_logout_ends_the_session_on_the_server(client, app, people):
    assert login(client, "staff").status_code == 302
    cookie = client.get_cookie("session").value
    page = client.get("/staff/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/staff/").status_code == 302  # to the login page


def test_logout_leaves_the_accounts_other_sessions_alone(app, people):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "staff")
    login(laptop, "staff")
    page = phone.get("/staff/").get_data(as_text=True)
    phone.post("/logout", data={"csrf_token": csrf_from(page)})
    assert laptop.get("/staff/").status_code == 200


def test_a_megabyte_company_name_gets_a_friendly_413_and_stores_nothing(client, db):
    before = snapshot(db)
    data = {**FORM, "name": "广" * 1_000_000, "csrf_token": csrf_token(client), "action": "x"}
    response = client.post("/apply/confirm", data=data)
    assert response.status_code == 413
    assert "提交的内容太大" in response.get_data(as_text=True)
    assert snapshot(db) == before


@pytest.mark.parametrize("name", ["广州😀示例科技有限公司", "广" * 187])
def test_an_absurd_name_under_the_size_limit_is_refused_by_the_checks(client, db, name):
    before = snapshot(db)
    data = {**FORM, "name": name, "csrf_token": csrf_token(client), "action": "x"}
    response = client.post("/apply/confirm", data=data)
    assert response.status_code == 422
    assert snapshot(db) == before
