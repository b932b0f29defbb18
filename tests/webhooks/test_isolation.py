"""One endpoint's error is that endpoint's failed attempt: it never stops the others.

A secret sealed under a rotated PORTAL_TOKEN_KEY, an IDN host, a bad port or any
other surprise is recorded as a failed attempt, backed off like any failure, and
every other endpoint is still delivered in the same round.
"""

import socket
import time

import httpx
import pytest
from cryptography.fernet import Fernet

from portal.registration import delivery, outbox, webhooks
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.authorizers import Vault
from tests.registration.facts import facts
from tests.webhooks.receiver import Receiver

IDN = "例子.中国"
PUNYCODE = "xn--fsqu00a.xn--fiqs8s"


def rows(db, endpoint_id):
    return list(
        db.query(
            "SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id", [endpoint_id]
        )
    )


def submit(db, count: int) -> None:
    for n in range(count):
        subs.submit(db, FLAVORS["classic"], facts(f"广州市第{n}家隔离科技有限公司"))


@pytest.fixture
def rotated(app, db):
    """A deliverer whose PORTAL_TOKEN_KEY is not the one the first secret was sealed with."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    http = httpx.Client(timeout=5)
    config = {**app.config, "TOKEN_KEY": new, "WEBHOOK_RETRY_DELAY": 10}
    yield Vault(old), Vault(new), delivery.Deliverer(db, config, http)
    http.close()


def test_a_secret_sealed_under_a_rotated_key_fails_alone(db, receiver, rotated):
    old, new, deliverer = rotated
    broken, _ = webhooks.create_endpoint(db, old, receiver.url + "?old", ["submission.created"])
    healthy, _ = webhooks.create_endpoint(db, new, receiver.url, ["submission.created"])
    submit(db, 3)
    assert deliverer.run_once() == 3  # the healthy endpoint's three, in one round
    assert all(r["state"] == "delivered" for r in rows(db, healthy))
    tried = rows(db, broken)
    assert tried[0]["attempts"] == 1 and tried[0]["state"] == "pending"
    assert tried[0]["next_attempt_at"] >= time.time() + 9  # backed off like any failure
    assert "PORTAL_TOKEN_KEY" in tried[0]["last_error"]
    attempt = db.execute(
        "SELECT status, error FROM webhook_attempts WHERE delivery_id = ?", [tried[0]["id"]]
    ).fetchone()
    assert attempt[0] is None and "签名密钥" in attempt[1]
    assert all(r["attempts"] == 0 for r in tried[1:])  # failed this round: skipped
    assert len(receiver.received) == 3


def test_an_unexpected_error_is_recorded_and_the_round_goes_on(db, receiver, deliverer):
    bad, _ = webhooks.create_endpoint(db, Vault(), receiver.url + "?bad", ["submission.created"])
    good, _ = webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
    real = deliverer.body

    def body(event, endpoint):
        if endpoint["id"] == bad:
            raise RuntimeError("boom")
        return real(event, endpoint)

    deliverer.body = body
    submit(db, 2)
    assert deliverer.run_once() == 2
    failed = rows(db, bad)[0]
    assert failed["attempts"] == 1 and "boom" in failed["last_error"]
    assert failed["claimed_until"] is None


def test_an_idn_host_is_resolved_and_sent_as_punycode(db, receiver, deliverer, monkeypatch):
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        return real("127.0.0.1" if host == PUNYCODE else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = receiver.server.server_port
    webhooks.create_endpoint(db, Vault(), f"http://{IDN}:{port}/hooks", ["submission.created"])
    submit(db, 1)
    assert deliverer.run_once() == 1
    assert PUNYCODE in asked and IDN not in asked
    headers, _ = receiver.received[0]
    assert headers["Host"] == f"{PUNYCODE}:{port}"


def test_pinned_tls_name_of_an_idn_host_is_punycode():
    url, headers, extensions = delivery._pinned(f"https://{IDN}/hook", "93.184.216.34")
    assert url == "https://93.184.216.34/hook"
    assert headers == {"Host": PUNYCODE}
    assert extensions == {"sni_hostname": PUNYCODE}


@pytest.mark.parametrize(
    "url", [f"https://{IDN}/hook", "http://127.0.0.1:99999/x", "http://exa mple.com/x",
            "http://a..b/x", "http://" + "a" * 70 + ".com/x"],
)  # fmt: skip
def test_bad_or_unresolvable_hosts_are_recorded_failures(db, receiver, deliverer, url):
    bad, _ = webhooks.create_endpoint(db, Vault(), url, ["submission.created"])
    good, _ = webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
    submit(db, 2)
    assert deliverer.run_once() == 2
    failed = rows(db, bad)[0]
    assert failed["attempts"] == 1 and failed["last_error"]
    problem, address = webhooks.target_problem(url, allow_private=True)
    assert problem and address is None


def test_a_broken_endpoint_does_not_come_first_in_every_round(db, receiver, rotated):
    old, new, deliverer = rotated
    webhooks.create_endpoint(db, old, receiver.url + "?old", outbox.EVENT_TYPES)
    healthy, _ = webhooks.create_endpoint(db, new, receiver.url, outbox.EVENT_TYPES)
    submit(db, 2)
    now = time.time()
    for n in range(3):
        deliverer.run_once(now=now + n * 3600)
    assert all(r["state"] == "delivered" for r in rows(db, healthy))


def test_the_receiver_has_the_post_before_the_delivery_is_recorded(db, deliverer):
    """Why a test waits for the recorded state: when the receiver holds the request, the
    worker has not read the answer yet, so the row is still pending (and claimed)."""
    seen = []

    def on_post(headers):
        row = db.execute(
            "SELECT state, claimed_until IS NOT NULL FROM webhook_deliveries WHERE id = ?",
            [int(headers["Portal-Delivery-Id"])],
        ).fetchone()
        seen.append(tuple(row))

    receiver = Receiver(on_post=on_post)
    try:
        webhooks.create_endpoint(db, Vault(), receiver.url, ["submission.created"])
        submit(db, 1)
        assert deliverer.run_once() == 1
        assert seen == [("pending", 1)]
        assert db.execute("SELECT state FROM webhook_deliveries").fetchone() == ("delivered",)
    finally:
        receiver.close()
