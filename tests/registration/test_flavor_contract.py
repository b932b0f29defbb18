"""One contract, both APIs: every flavor takes a submission through the same lifecycle
against the sandbox, and the status page explains it."""

import html

import pytest

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks import lookups
from tests.registration.facts import code_for, facts

pytestmark = pytest.mark.parametrize("flavor", sorted(FLAVORS))

V2_CODE = "91330100716105852F"
FAILURE = {"classic": 103, "v2": 14}  # a company-check failure in each API
EXPIRY = {"classic": 100003, "v2": 2}


def company(flavor, name):
    if flavor == "v2":
        return {"name": name, "code": code_for(name)}
    return facts(name)


def submit(db, flavor, name):
    sub, created = subs.submit(
        db, FLAVORS[flavor], company(flavor, name), component_phone="020-12345678"
    )
    assert created
    return sub


def legal_person(sandbox_http, choice):
    """The legal person acts on the only task waiting for them, through the simulator."""
    task = next(
        t for t in sandbox_http.get("/sandbox/tasks").json() if t["state"] == "legal_person"
    )
    if task["taskid"]:
        v2_choice = {"approve": "approve", "expire": "expire"}[choice]
        sandbox_http.post(f"/sandbox/verify/{task['taskid']}", data={"choice": v2_choice})
    else:
        classic_choice = {"approve": "approve", "expire": "expire_100003"}[choice]
        sandbox_http.post(f"/sandbox/legal-person/{task['id']}", data={"choice": classic_choice})


def page(client, db, sub):
    public_id = subs.get(db, sub["id"])["public_id"]
    return html.unescape(client.get(f"/s/{public_id}").get_data(as_text=True))


def test_approved_by_the_legal_person_ends_authorized(
    flavor, db, jobs, wechat_side, sandbox_http, client
):
    sub = submit(db, flavor, "契约测试科技有限公司")
    jobs.run_once()
    assert subs.get(db, sub["id"])["state"] in (subs.CHECKING, subs.AWAITING)
    wechat_side()
    legal_person(sandbox_http, "approve")
    wechat_side()
    jobs.run_once()
    done = subs.get(db, sub["id"])
    assert done["state"] == subs.AUTHORIZED and done["appid"].startswith("wx")
    assert done["appid"] in page(client, db, sub)


def test_a_company_check_failure_is_explained(flavor, db, jobs, wechat_side, client):
    status = FAILURE[flavor]
    sub = submit(db, flavor, f"契约S{status}科技有限公司")
    jobs.run_once()
    wechat_side()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.FAILED, status)
    shown = page(client, db, sub)
    assert FLAVORS[flavor].result(status).title in shown and "修改信息并重新提交" in shown


def test_letting_24_hours_pass_expires(flavor, db, jobs, wechat_side, sandbox_http, client):
    sub = submit(db, flavor, "契约过期科技有限公司")
    jobs.run_once()
    wechat_side()
    legal_person(sandbox_http, "expire")
    wechat_side()
    row = subs.get(db, sub["id"])
    assert (row["state"], row["push_status"]) == (subs.EXPIRED, EXPIRY[flavor])
    assert FLAVORS[flavor].result(EXPIRY[flavor]).title in page(client, db, sub)


def test_the_same_facts_in_flight_are_not_sent_twice(flavor, db):
    first = submit(db, flavor, "契约去重科技有限公司")
    again, created = subs.submit(db, FLAVORS[flavor], company(flavor, " 契约去重科技有限公司 "))
    assert not created and again["id"] == first["id"]


def test_the_status_page_says_what_the_legal_person_does(flavor, db, jobs, wechat_side, client):
    sub = submit(db, flavor, "契约步骤科技有限公司")
    jobs.run_once()
    wechat_side()
    shown = page(client, db, sub)
    assert FLAVORS[flavor].legal_person_step in shown
    has_link = FLAVORS[flavor].legal_person_link(subs.get(db, sub["id"])) is not None
    assert ("打开验证链接" in shown) is has_link


def test_a_search_is_answered_in_the_flavors_terms(flavor, db, jobs, wechat_side):
    sub = submit(db, flavor, "契约查询科技有限公司")
    jobs.run_once()
    wechat_side()
    probe = lookups.probe(jobs.ctx, subs.get(db, sub["id"]))
    assert probe.kind == "awaiting" and probe.entry.title
