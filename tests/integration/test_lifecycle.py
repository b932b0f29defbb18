"""A submission's whole life with the portal, sandbox and worker as real processes."""

import httpx
import pytest

from portal.db import connect
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.conftest import wait_until
from tests.registration.facts import facts

pytestmark = pytest.mark.integration


@pytest.fixture
def db(stack):
    database = connect(stack.env["PORTAL_DATABASE"])
    yield database
    database.conn.close()


def reach(db, sub, states, timeout=20):
    def reached():
        row = subs.get(db, sub["id"])
        return row if row["state"] in states else None

    return wait_until(reached, timeout, f"submission {sub['id']} to reach {states}")


def sandbox_task(stack, name):
    tasks = httpx.get(f"{stack.sandbox_url}/sandbox/tasks").json()
    return next((t for t in tasks if t["name"] == name), None)


def test_the_ticket_arrives_and_the_worker_gets_a_token(stack):
    health = wait_until(
        lambda: (
            (h := httpx.get(f"{stack.portal_url}/healthz").json())["token_expires_in_seconds"] and h
        ),
        what="a component token",
    )
    assert not health["ticket_stale"]


def test_queued_to_authorized_through_the_legal_person_simulator(stack, db):
    name = "广州市集成测试科技有限公司"
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), component_phone="020-12345678")
    reach(db, sub, {subs.CHECKING, subs.AWAITING})
    task = wait_until(
        lambda: (t := sandbox_task(stack, name)) and t["state"] == "legal_person" and t,
        what="the template message",
    )
    httpx.post(f"{stack.sandbox_url}/sandbox/legal-person/{task['id']}", data={"choice": "approve"})
    done = reach(db, sub, {subs.AUTHORIZED})
    assert done["appid"] == sandbox_task(stack, name)["appid"]
    authorizer = db.execute(
        "SELECT state FROM authorizers WHERE appid = ?", [done["appid"]]
    ).fetchone()
    assert authorizer[0] == "authorized"
    path = [e["to_state"] for e in subs.timeline(db, sub["id"])]
    assert path[0] == subs.QUEUED and path[-2:] == [subs.SUCCEEDED, subs.AUTHORIZED]


def test_a_103_push_fails_the_submission_with_its_catalogue_entry(stack, db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S103集成科技有限公司"))
    failed = reach(db, sub, {subs.FAILED})
    assert failed["push_status"] == 103
    push = db.execute("SELECT outcome FROM pushes WHERE submission_id = ?", [sub["id"]]).fetchone()
    assert push[0] == subs.FAILED


def test_the_worker_survives_a_restart_without_losing_work(stack, db):
    stack.stop("worker")
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("重启测试科技有限公司"))
    assert subs.get(db, sub["id"])["state"] == subs.QUEUED
    stack.start_worker()
    reach(db, sub, {subs.CHECKING, subs.AWAITING})
