"""Who may open what: a table of role × URL → status, and partners kept apart."""

import pytest

ANON, ADMIN, STAFF, PARTNER = None, "admin", "staff", "partner_a"


def urls(people):
    sub, link = people["sub_a"], people["link_a"]
    return {
        "/staff/": {ADMIN: 200, STAFF: 200, PARTNER: 403, ANON: 302},
        "/staff/search?name=客户": {ADMIN: 200, STAFF: 200, PARTNER: 403, ANON: 302},
        f"/staff/submissions/{sub['id']}": {ADMIN: 200, STAFF: 200, PARTNER: 403, ANON: 302},
        f"/staff/submissions/{sub['id']}/ask": {ADMIN: 200, STAFF: 200, PARTNER: 403, ANON: 302},
        "/partner/": {ADMIN: 403, STAFF: 403, PARTNER: 200, ANON: 302},
        "/partner/links": {ADMIN: 403, STAFF: 403, PARTNER: 200, ANON: 302},
        f"/partner/links/{link['id']}/qr.svg": {ADMIN: 403, STAFF: 403, PARTNER: 200, ANON: 302},
        f"/partner/links/{link['id']}/qr.png": {ADMIN: 403, STAFF: 403, PARTNER: 200, ANON: 302},
        f"/partner/links/{link['id']}/poster": {ADMIN: 403, STAFF: 403, PARTNER: 200, ANON: 302},
        "/admin/": {ADMIN: 200, STAFF: 403, PARTNER: 403, ANON: 302},
        "/admin/users": {ADMIN: 200, STAFF: 403, PARTNER: 403, ANON: 302},
        "/admin/audit": {ADMIN: 200, STAFF: 403, PARTNER: 403, ANON: 302},
        "/admin/webhooks": {ADMIN: 200, STAFF: 403, PARTNER: 403, ANON: 302},
        "/admin/api-keys": {ADMIN: 200, STAFF: 403, PARTNER: 403, ANON: 302},
        # The API answers to API keys only: a console login is not one.
        "/api/v1/submissions": {ADMIN: 401, STAFF: 401, PARTNER: 401, ANON: 401},
        "/api/openapi.json": {ADMIN: 200, STAFF: 200, PARTNER: 200, ANON: 200},
        "/": {ADMIN: 200, STAFF: 200, PARTNER: 200, ANON: 200},
        "/login": {ADMIN: 302, STAFF: 302, PARTNER: 302, ANON: 200},
    }


@pytest.mark.parametrize("role", [ANON, ADMIN, STAFF, PARTNER])
def test_role_url_table(client, people, as_role, role):
    if role:
        as_role(role)
    table = urls(people)
    got = {url: client.get(url).status_code for url in table}
    assert got == {url: expected[role] for url, expected in table.items()}


def test_anonymous_users_are_sent_to_login_with_a_next(client, people):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/login?next=%2Fstaff%2F" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/partner/links/{link_b}/qr.svg",
        "/partner/links/{link_b}/qr.png",
        "/partner/links/{link_b}/poster",
    ],
)
def test_a_partner_cannot_reach_another_partners_link_by_id(client, people, as_role, path):
    as_role("partner_a")
    response = client.get(path.format(link_b=people["link_b"]["id"]))
    assert response.status_code == 404


def test_a_partner_cannot_disable_another_partners_link(client, people, as_role, db):
    from tests.consoles.conftest import csrf_from

    as_role("partner_a")
    token = csrf_from(client.get("/partner/links").get_data(as_text=True))
    response = client.post(
        f"/partner/links/{people['link_b']['id']}/disable", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert (
        db.execute(
            "SELECT disabled FROM signup_links WHERE id = ?", [people["link_b"]["id"]]
        ).fetchone()[0]
        == 0
    )


def test_a_partner_sees_only_its_own_merchants_masked(client, people, as_role):
    as_role("partner_a")
    page = client.get("/partner/").get_data(as_text=True)
    assert "甲客户科技有限公司" in page and "乙客户科技有限公司" not in page
    assert "张*" in page and "zh*******88" in page
    assert "zhangsan_88" not in page and "张三" not in page
    for page_number in (2, 99):
        assert "乙客户" not in client.get(f"/partner/?page={page_number}").get_data(as_text=True)


def test_a_partner_sees_only_its_own_links(client, people, as_role):
    as_role("partner_a")
    page = client.get("/partner/links").get_data(as_text=True)
    assert "甲的链接" in page and "乙的链接" not in page
    assert people["link_b"]["slug"] not in page
