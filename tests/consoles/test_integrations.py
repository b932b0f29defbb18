"""The admin's webhook and API-key pages: add, refuse bad input, resend, show a key once."""

import re

import httpx

from portal.registration import delivery
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts
from tests.webhooks.receiver import Receiver


def add_endpoint(client, url, **extra):
    token = csrf_from(client.get("/admin/webhooks").get_data(as_text=True))
    data = {"csrf_token": token, "url": url, "event_types": ["submission.created"], **extra}
    return client.post("/admin/webhooks", data=data)


def test_admin_adds_an_endpoint_sees_deliveries_and_resends(app, client, db, as_role):
    as_role("admin")
    receiver = Receiver([500])
    try:
        response = add_endpoint(client, receiver.url, description="CRM")
        assert response.status_code == 302
        page_url = response.headers["Location"]
        secret = re.search(r"whsec_[\w-]+", client.get(page_url).get_data(as_text=True)).group(0)
        subs.submit(db, FLAVORS["classic"], facts("广州市后台科技有限公司"))
        with httpx.Client(timeout=5) as http:
            deliverer = delivery.Deliverer(db, app.config, http)
            deliverer.run_once()
            page = client.get(page_url).get_data(as_text=True)
            assert "HTTP 500" in page and "receiver is down" in page and "待发送" in page
            resend = re.search(r'action="([^"]+/resend)"', page).group(1)
            answer = client.post(resend, data={"csrf_token": csrf_from(page)})
            assert answer.status_code == 302
            assert deliverer.run_once() == 1
        page = client.get(page_url).get_data(as_text=True)
        assert "已送达" in page and "HTTP 200" in page
        headers, _ = receiver.received[-1]
        assert headers["Portal-Signature"].startswith("t=") and secret
    finally:
        receiver.close()


def test_bad_endpoints_are_explained_and_nothing_is_added(app, client, db, as_role):
    as_role("admin")
    for url, message in (("ftp://example.com/x", "http://"), ("", "请填写接收地址")):
        response = add_endpoint(client, url)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    response = add_endpoint(client, "http://127.0.0.1:9/x", event_types=[])
    assert "请至少选择一种事件" in response.get_data(as_text=True)
    app.config["ENV"] = "production"
    response = add_endpoint(client, "http://127.0.0.1:9/x")
    assert "内网或本机" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM webhook_endpoints").fetchone()[0] == 0


def test_an_api_key_is_shown_once_and_revoked_from_the_page(client, db, as_role):
    as_role("admin")
    token = csrf_from(client.get("/admin/api-keys").get_data(as_text=True))
    page = client.post(
        "/admin/api-keys", data={"csrf_token": token, "name": "部署系统",
                                 "scopes": ["submissions:read"]}
    ).get_data(as_text=True)  # fmt: skip
    key = re.search(r"frp_[\w-]+", page).group(0)
    assert "只显示这一次" in page
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert key not in listing and key[:12] in listing
    assert "frp_" not in str(client.get_cookie("session"))
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/submissions", headers=headers).status_code == 200
    revoke = re.search(r'action="([^"]+/revoke)"', listing).group(1)
    client.post(revoke, data={"csrf_token": csrf_from(listing)})
    assert client.get("/api/v1/submissions", headers=headers).status_code == 401
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert "create api key" in actions and "revoke api key" in actions


def test_a_secret_sealed_under_another_key_still_shows_the_page(app, client, db, as_role):
    from portal.registration import webhooks
    from portal.wechat.authorizers import Vault

    key = "a" * 43 + "="
    endpoint_id, _ = webhooks.create_endpoint(
        db, Vault(key), "https://hooks.example.com/x", ["submission.created"]
    )
    as_role("admin")
    page = client.get(f"/admin/webhooks/{endpoint_id}")
    assert page.status_code == 200
    assert "签名密钥无法解密" in page.get_data(as_text=True)
