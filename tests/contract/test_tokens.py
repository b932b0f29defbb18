"""An expired token (the sandbox's ``expire_tokens`` fault: every token it issued,
A-tokens and the C-token alike, expires at once): a call through
``Context.call_authorizer`` meets 42001, refreshes the A-token once and succeeds; a call
through ``Context.call`` does the same with the C-token."""

from __future__ import annotations

import pytest

from tests.contract import steps
from tests.contract.steps import JPEG_MAGIC, PNG_MAGIC

CALLS = {
    "cgi-bin.wxopen.getallcategories": lambda live: live.a.categories.get_all_categories(),
    "cgi-bin.account.getaccountbasicinfo": lambda live: live.a.basic.get_account_basic_info(),
    "cgi-bin.media.upload": lambda live: live.a.basic.upload_media(steps.image()),  # multipart
    "wxa.get_qrcode": lambda live: live.a.code.get_qrcode(),  # an image
    "wxa.getwxacodeunlimit": lambda live: live.a.quota.get_wxacode_unlimit("a=1"),
}


def calls_to(db, endpoint: str, since: int) -> list[int | None]:
    rows = db.execute(
        "SELECT errcode FROM api_calls WHERE endpoint = ? AND id > ? ORDER BY id", [endpoint, since]
    )
    return [row[0] for row in rows.fetchall()]


def last_call(db) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM api_calls").fetchone()[0]


@pytest.mark.parametrize("endpoint", sorted(CALLS))
def test_an_expired_a_token_is_refreshed_once_and_the_call_succeeds(live, db, fault, endpoint):
    if endpoint in ("wxa.get_qrcode", "wxa.getwxacodeunlimit"):
        steps.released(live)
    before, since = live.token(), last_call(db)
    fault(expire_tokens=True)
    answer = CALLS[endpoint](live)
    assert answer
    if endpoint == "wxa.get_qrcode":
        assert answer.startswith(JPEG_MAGIC)
    if endpoint == "wxa.getwxacodeunlimit":
        assert answer.startswith(PNG_MAGIC)
    assert calls_to(db, endpoint, since) == [42001, 0]  # refused once, made once more
    # The A-token refresh itself met the expired C-token first: both were renewed once.
    assert calls_to(db, "api_authorizer_token", since) == [42001, 0]
    assert calls_to(db, "api_component_token", since) == [0]
    after = live.token()
    assert after != before
    assert live.a.basic.get_account_basic_info().appid == live.appid
    assert live.token() == after  # the fresh one was stored and is used from now on


def test_an_expired_c_token_is_refreshed_once_and_the_call_succeeds(live, db, fault):
    before, since = live.ctx.token(), last_call(db)
    fault(expire_tokens=True)
    drafts = live.c.templates.get_template_draft_list()
    assert {draft.draft_id for draft in drafts} == {1, 2}
    assert calls_to(db, "wxa.gettemplatedraftlist", since) == [42001, 0]
    assert calls_to(db, "api_component_token", since) == [0]
    assert live.ctx.token() != before


def test_the_refreshed_a_token_is_the_mini_programs_own(live, other, db, fault):
    fault(expire_tokens=True)
    assert live.a.basic.get_account_basic_info().appid == live.appid
    assert other.a.basic.get_account_basic_info().appid == other.appid
    assert live.token() != other.token()
