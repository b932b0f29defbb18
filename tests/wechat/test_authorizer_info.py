"""Contract: the client's authorizer_info and authorizers against the in-process sandbox.

The client speaks to the real sandbox app (``sandbox_http``) with the component token
from the shared token store (``jobs.ctx.tokens``), recording each call in the call log, as
the worker does.
"""

import json

import httpx
import pytest

from portal.sandbox import pusher
from portal.wechat import codes
from portal.wechat.client import WeChatClient, WeChatError
from portal.wechat.shapes import AuthorizerInfo, ClassicApplication, ListedAuthorizer
from tests.registration.facts import facts


def created(jobs, sandbox_db, sandbox_app, name="沙箱S0契约科技有限公司") -> str:
    """Fast-register a mini program through the client (magic S0: approved at once)."""
    f = facts(name)
    app = ClassicApplication(f["name"], f["code"], 1, f["legal_persona_wechat"],
                             f["legal_persona_name"], "020-12345678")  # fmt: skip
    assert jobs.ctx.tokens.call(lambda token: jobs.ctx.client.fastregister_create(token, app)) == 0
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    return sandbox_db.execute("SELECT appid FROM tasks WHERE name = ?", [name]).fetchone()[0]


def info(jobs, appid) -> AuthorizerInfo:
    return jobs.ctx.tokens.call(lambda token: jobs.ctx.client.authorizer_info(token, appid))


def calls(db, endpoint="api_get_authorizer_info"):
    return [
        tuple(row)
        for row in db.execute(
            "SELECT errcode, http_status FROM api_calls WHERE endpoint = ? ORDER BY id", [endpoint]
        )
    ]


def test_a_new_mini_program_is_described(db, jobs, sandbox_db, sandbox_app):
    name = "沙箱S0（深圳）契约科技有限公司"
    appid = created(jobs, sandbox_db, sandbox_app, name)
    found = info(jobs, appid)
    assert found.appid == appid
    assert found.principal_name == name
    assert found.nick_name == ""
    assert found.user_name.startswith("gh_")
    assert found.account_status == 1
    assert found.is_mini_program is True
    assert found.func_info and all(isinstance(i, int) for i in found.func_info)
    listed = jobs.ctx.tokens.call(lambda token: jobs.ctx.client.find_authorizer(token, appid))
    assert found.refresh_token and found.refresh_token == listed.refresh_token
    assert calls(db) == [(0, 200)]


def test_an_account_that_never_authorized_is_61003_an_operator_problem(db, jobs):
    with pytest.raises(WeChatError) as raised:
        info(jobs, "wx00000000000000aa")
    assert raised.value.errcode == 61003
    assert raised.value.endpoint == "api_get_authorizer_info"
    assert raised.value.kind == codes.OPERATOR_PROBLEM
    assert raised.value.entry.actor == codes.OPERATOR and raised.value.entry.known
    assert calls(db) == [(61003, 200)]


def test_an_expired_component_token_is_refreshed_once(db, jobs, sandbox_db, sandbox_app,
                                                      sandbox_http):  # fmt: skip
    appid = created(jobs, sandbox_db, sandbox_app)
    first = jobs.ctx.tokens.current()
    sandbox_http.post("/sandbox/faults", json={"expire_tokens": True})
    assert info(jobs, appid).principal_name == "沙箱S0契约科技有限公司"
    assert jobs.ctx.tokens.current() != first
    assert calls(db) == [(42001, 200), (0, 200)]
    assert len(calls(db, "api_component_token")) == 2  # the first token, then one refresh
    logged = " ".join(str(v) for row in db.execute("SELECT * FROM api_calls") for v in row)
    assert first not in logged and jobs.ctx.tokens.current() not in logged


def test_authorizers_lists_every_mini_program_the_sandbox_created(jobs, sandbox_db, sandbox_app):
    appids = [
        created(jobs, sandbox_db, sandbox_app, f"沙箱S0列表{i}科技有限公司") for i in range(3)
    ]
    listed = jobs.ctx.tokens.call(lambda token: list(jobs.ctx.client.authorizers(token)))
    assert [row.appid for row in listed] == appids
    assert all(row.refresh_token for row in listed)


# Paging, against a scripted WeChat: pages of two rows out of five.


def paged_wechat(total: int, page: int = 2, claimed: int | None = None):
    """A WeChat listing ``total`` authorizers, ``page`` a page, claiming ``claimed`` in all."""
    appids = [f"wx{i:016x}" for i in range(total)]
    asked: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        asked.append(body["offset"])
        rows = appids[body["offset"] : body["offset"] + page]
        listed = [{"authorizer_appid": a, "refresh_token": f"r-{a}", "auth_time": 1} for a in rows]
        count = total if claimed is None else claimed
        return httpx.Response(200, json={"total_count": count, "list": listed})

    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://wechat")
    client = WeChatClient(http, component_appid="wx0123456789abcdef", component_appsecret="s")
    return client, appids, asked


def test_authorizers_pages_through_the_whole_list():
    client, appids, asked = paged_wechat(5)
    rows = list(client.authorizers("T"))
    assert [row.appid for row in rows] == appids
    assert rows[0] == ListedAuthorizer(appids[0], f"r-{appids[0]}", 1)
    assert asked == [0, 2, 4]


def test_an_empty_page_ends_the_list_even_if_total_count_says_more():
    client, appids, asked = paged_wechat(3, claimed=10)
    assert [row.appid for row in client.authorizers("T")] == appids
    assert asked == [0, 2, 3]  # the page at 3 was empty: no endless loop


def test_find_authorizer_stops_at_the_page_that_has_it():
    client, appids, asked = paged_wechat(5)
    assert client.find_authorizer("T", appids[2]).refresh_token == f"r-{appids[2]}"
    assert asked == [0, 2]
    assert client.find_authorizer("T", "wx-missing") is None
