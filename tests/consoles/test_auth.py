"""Login, throttling that survives a restart, sessions that can be revoked, safe next."""

import pytest

from portal import accounts
from portal.auth.routes import safe_next
from tests.consoles.conftest import PASSWORD, csrf_from, login


def test_a_wrong_password_is_refused_in_chinese(client, people):
    response = login(client, "staff", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码不对" in response.get_data(as_text=True)


def test_five_failures_lock_the_account_with_a_wait_in_minutes(client, people):
    for _ in range(5):
        login(client, "staff", "wrong-password")
    response = login(client, "staff", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert "请 15 分钟后再试" in response.get_data(as_text=True)


def test_the_lock_survives_a_restart(app, client, people):
    for _ in range(5):
        login(client, "staff", "wrong-password")
    import portal

    restarted = portal.create_app(dict(app.config))
    assert login(restarted.test_client(), "staff", PASSWORD).status_code == 429


def test_many_failures_from_one_address_lock_that_address(client, people):
    for n in range(20):
        login(client, f"nobody{n}", "wrong-password")
    assert login(client, "admin", PASSWORD).status_code == 429


def test_logout_everywhere_ends_other_sessions(app, people):
    first, second = app.test_client(), app.test_client()
    login(first, "staff")
    login(second, "staff")
    assert second.get("/staff/").status_code == 200
    token = csrf_from(first.get("/staff/").get_data(as_text=True))
    first.post("/logout-everywhere", data={"csrf_token": token})
    assert second.get("/staff/").status_code == 302


def test_disabling_an_account_ends_its_sessions(app, db, people):
    staff = app.test_client()
    login(staff, "staff")
    user_id = db.execute("SELECT id FROM users WHERE username = 'staff'").fetchone()[0]
    accounts.set_user_disabled(db, user_id, True)
    assert staff.get("/staff/").status_code == 302
    assert login(app.test_client(), "staff").status_code == 401


def test_logout_requires_a_csrf_token(client, people):
    login(client, "staff")
    assert client.post("/logout").status_code == 400
    assert client.get("/staff/").status_code == 200


def test_login_follows_a_safe_next(client, people):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"username": "staff", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login?next=/staff/search", data=data)
    assert response.headers["Location"] == "/staff/search"


@pytest.mark.parametrize(
    "target, safe",
    [("/staff/", True), ("//evil.example/", False), ("https://evil.example/", False),
     ("/\\evil.example", False), ("staff", False), ("", False), (None, False)],
)  # fmt: skip
def test_safe_next(target, safe):
    assert (safe_next(target) is not None) is safe


def test_session_cookie_flags(client, people):
    response = login(client, "staff")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "li", "--role", "partner", "--partner", "丙代理",
                                 "--password", "a-long-password"])  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.execute("SELECT role, partner_id FROM users WHERE username = 'li'").fetchone()
    assert user[0] == "partner" and user[1] is not None
    again = runner.invoke(
        args=["create-user", "li", "--role", "staff", "--password", "a-long-password"]
    )
    assert again.exit_code == 1 and "taken" in again.output
    short = runner.invoke(args=["create-user", "x", "--role", "staff", "--password", "short"])
    assert short.exit_code == 1
