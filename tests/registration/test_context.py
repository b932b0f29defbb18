"""The worker's context: calls with the mini program's own token, refreshed once."""

import pytest

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks.context import AuthorizerMissing
from portal.wechat.client import WeChatError
from tests.registration.facts import facts


@pytest.fixture
def appid(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0上下文科技有限公司"))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    row = subs.get(db, sub["id"])
    assert row["state"] == subs.AUTHORIZED
    return row["appid"]


def test_an_invalid_authorizer_token_is_refreshed_once_and_the_call_made_again(db, jobs, appid):
    ctx = jobs.ctx
    seen = []

    def call(token):
        seen.append(token)
        if len(seen) == 1:
            raise WeChatError("wxa.commit", 42001, "access_token expired")
        return "done"

    assert ctx.call_authorizer(None, appid, call) == "done"
    assert len(seen) == 2 and seen[0] != seen[1]
    assert ctx.authorizer_token(appid) == seen[1]  # the fresh one was stored


def test_a_second_refusal_is_not_retried_again(jobs, appid):
    calls = []

    def refuse(token):
        calls.append(token)
        raise WeChatError("wxa.commit", 40001, "invalid credential")

    with pytest.raises(WeChatError):
        jobs.ctx.call_authorizer(None, appid, refuse)
    assert len(calls) == 2


def test_an_expired_stored_token_is_refreshed_before_the_call(db, jobs, appid):
    before = jobs.ctx.authorizer_token(appid)
    db.execute("UPDATE authorizers SET expires_at = 0 WHERE appid = ?", [appid])
    db.conn.commit()
    assert jobs.ctx.authorizer_token(appid) != before


def test_a_mini_program_without_tokens_is_named(jobs):
    with pytest.raises(AuthorizerMissing):
        jobs.ctx.call_authorizer(None, "wx0000000000000000", lambda token: None)
