"""status_url is the merchant's private link: only endpoints allowed personal data get it."""

import json

from portal.registration import outbox, webhooks
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.authorizers import Vault
from tests.registration.facts import facts


def test_status_url_only_for_endpoints_with_personal_data(db, receiver, deliverer):
    plain, _ = webhooks.create_endpoint(db, Vault(), receiver.url, outbox.EVENT_TYPES)
    personal, _ = webhooks.create_endpoint(
        db, Vault(), receiver.url + "?p=1", outbox.EVENT_TYPES, personal_data=True
    )
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市链接科技有限公司"))
    subs.transition(db, sub["id"], "rejected", "", expect=["queued"], errcode=86004)
    deliverer.run_once()
    deliverer.run_once()
    by_endpoint: dict[int, list[dict]] = {plain: [], personal: []}
    for headers, body in receiver.received:
        endpoint_id = db.execute(
            "SELECT endpoint_id FROM webhook_deliveries WHERE id = ?",
            [int(headers["Portal-Delivery-Id"])],
        ).fetchone()[0]
        by_endpoint[endpoint_id].append(json.loads(body)["data"]["submission"])
    assert len(by_endpoint[plain]) == len(by_endpoint[personal]) == 2
    for shown in by_endpoint[plain]:
        assert "status_url" not in shown and "legal_person" not in shown
        assert sub["public_id"] not in json.dumps(shown)
    for shown in by_endpoint[personal]:
        assert shown["status_url"].endswith(f"/s/{sub['public_id']}")


def test_payload_leaves_status_url_out_unless_personal():
    event = {"id": 7, "type": "submission.created", "created_at": 1.0,
             "snapshot": json.dumps({"id": 3, "state": "queued", "public_id": "secretlink"})}  # fmt: skip
    plain = webhooks.payload(event, None, personal=False, base_url="https://r.example.com")
    assert "status_url" not in plain["data"]["submission"]
    shown = webhooks.payload(event, None, personal=True, base_url="https://r.example.com")
    assert shown["data"]["submission"]["status_url"] == "https://r.example.com/s/secretlink"
