"""Every create errcode and push status, forced through the sandbox's magic values,
reaches the status page as a readable explanation with the next step."""

import html
from dataclasses import replace

import pytest

from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks import upkeep
from portal.wechat import codes
from tests.registration.facts import facts
from tests.wechat.test_codes import CREATE_TABLE, PUSH_TABLE, REFERENCE_API, REFERENCE_PUSH

CREATE_CODES = sorted({c for c in CREATE_TABLE + REFERENCE_API if c not in (0, 89251, 89252)})
PUSH_CODES = sorted({s for s in PUSH_TABLE + REFERENCE_PUSH if s != 0} | {4242})


def page_for(client, db, sub):
    public_id = subs.get(db, sub["id"])["public_id"]
    return html.unescape(client.get(f"/s/{public_id}").get_data(as_text=True))


@pytest.mark.parametrize("errcode", CREATE_CODES)
def test_every_create_errcode_is_explained(client, db, jobs, errcode):
    upkeep.run(jobs.ctx, {"id": None})
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(f"沙箱E{errcode}科技有限公司"))
    jobs.run_once()
    entry = codes.api_entry(errcode)
    page = page_for(client, db, sub)
    state = subs.get(db, sub["id"])["state"]
    if entry.kind == codes.FIXABLE:
        assert state == subs.REJECTED
        assert entry.title in page and entry.next_step in page and entry.explanation in page
        button = "修改信息并重新提交" if entry.fields else "信息无需修改，重新提交"
        assert button in page
    elif retry.POLICIES[retry.classify(errcode, entry)].action == retry.RETRY:
        # WeChat created nothing and the merchant can do nothing: it stays queued and says so.
        assert state == subs.QUEUED
        assert f"微信暂时无法受理（{entry.title}）" in page and "无需重新填写" in page
    else:
        # Only the operator can fix it: held for staff, and the merchant is told so.
        assert state == subs.HELD
        assert f"平台方面的问题（{entry.title}）" in page and "无需重新填写" in page


@pytest.mark.parametrize("status", PUSH_CODES)
def test_every_push_status_is_explained(client, db, jobs, wechat_side, status):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(f"沙箱S{status}科技有限公司"))
    jobs.run_once()
    wechat_side()
    row = subs.get(db, sub["id"])
    entry = codes.push_entry(status, row["push_msg"])
    page = page_for(client, db, sub)
    assert row["state"] == (subs.EXPIRED if entry.outcome == codes.EXPIRED else subs.FAILED)
    assert entry.title in page and entry.explanation in page and entry.next_step in page
    assert entry.actor_label in page
    if not entry.known:
        assert "4242" in page and "联系客服" in page


def test_success_shows_the_appid(client, db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0科技有限公司"))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert row["state"] == subs.AUTHORIZED
    assert row["appid"] in page_for(client, db, sub)


def test_wechat_not_answering_is_explained_while_the_worker_retries(client, db, jobs, sandbox_http):
    upkeep.run(jobs.ctx, {"id": None})
    sandbox_http.post("/sandbox/faults", json={"http_500": {"count": 1, "match": "action=create"}})
    jobs.ctx.timing = replace(jobs.ctx.timing, retry_delay=3600)
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱超时科技有限公司"))
    jobs.run_once()
    assert subs.get(db, sub["id"])["state"] == subs.SENDING
    assert "微信暂未答复本次提交" in page_for(client, db, sub)
