"""The shipped deployment (deploy/): WeChat's pushes keep their own lane, and pages that
queued too long are refused quickly with a 503 instead of being answered late."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from portal.stack import new_credentials
from tests.lanes import start_lanes
from tests.wechat.independent import push_request

pytestmark = pytest.mark.integration


@pytest.fixture
def lanes(tmp_path):
    env = {
        **os.environ,
        **new_credentials(),
        "PORTAL_DATABASE": str(tmp_path / "portal.sqlite"),
        "PORTAL_WECHAT_API_BASE": "http://127.0.0.1:9",
        "PORTAL_SHED_AFTER": "1",
    }
    running = start_lanes(tmp_path / "lanes", env)
    yield running
    if running.pages.poll() is None:
        os.killpg(running.pages.pid, signal.SIGCONT)
    running.stop()


def ticket_push(env: dict[str, str], n: int) -> tuple[dict, bytes]:
    xml = (
        f"<xml><AppId>{env['PORTAL_WECHAT_COMPONENT_APPID']}</AppId><CreateTime>{n}</CreateTime>"
        "<InfoType>component_verify_ticket</InfoType>"
        f"<ComponentVerifyTicket>ticket@@@{n}</ComponentVerifyTicket></xml>"
    )
    return push_request(
        env["PORTAL_WECHAT_TOKEN"],
        env["PORTAL_WECHAT_ENCODING_AES_KEY"],
        env["PORTAL_WECHAT_COMPONENT_APPID"],
        xml,
        nonce=f"n{n}",
    )


def test_pushes_are_answered_while_the_pages_lane_is_frozen_and_late_pages_get_503(lanes):
    url, env = lanes.url, lanes.env
    assert httpx.get(url + "/apply").status_code == 200
    # The page lane gets the client's Host through nginx, not the upstream's name.
    servers = httpx.get(url + "/api/openapi.json").json()["servers"]
    assert servers[0]["url"].startswith("http://127.0.0.1"), servers
    os.killpg(lanes.pages.pid, signal.SIGSTOP)  # every page worker stuck, as under overload
    with ThreadPoolExecutor(8) as pool:
        pages = [pool.submit(httpx.get, url + "/apply", timeout=30) for _ in range(4)]
        poll = pool.submit(httpx.get, url + "/s/abcdefgh/status.json", timeout=30)
        form = pool.submit(httpx.post, url + "/apply", data={"name": "x"}, timeout=30)
        # WeChat's pushes go through their own lane: every one is answered, well within
        # WeChat's 5 s, although no page request is being answered at all.
        for n in range(1, 21):
            params, body = ticket_push(env, n)
            answer = httpx.post(url + "/wechat/events", params=params, content=body, timeout=5)
            assert answer.status_code == 200 and answer.text == "success"
        time.sleep(1.5)  # the queued pages are now older than PORTAL_SHED_AFTER (1 s)
        assert not any(f.done() for f in [*pages, poll, form])
        os.killpg(lanes.pages.pid, signal.SIGCONT)
        for future in pages:
            answer = future.result()
            assert answer.status_code == 503
            assert answer.headers["Retry-After"] == "5"
            assert "访问人数较多，请稍后刷新" in answer.text
        assert poll.result().status_code == 503
        assert poll.result().json()["error"]["code"] == "busy"
        # A form post carries the merchant's typing: answered, however late (no CSRF: 400).
        assert form.result().status_code == 400
    # Once the queue is drained, pages are served again.
    assert httpx.get(url + "/apply").status_code == 200
    assert httpx.get(url + "/healthz").json()["ticket_stale"] is False


def test_pushes_fall_back_to_the_pages_lane_while_the_event_lane_is_down(lanes):
    lanes.kill("events")
    for n in range(1, 6):
        params, body = ticket_push(lanes.env, n)
        answer = httpx.post(lanes.url + "/wechat/events", params=params, content=body, timeout=5)
        assert answer.status_code == 200 and answer.text == "success"
    assert httpx.get(lanes.url + "/healthz").json()["ticket_stale"] is False


def test_a_dead_pages_lane_gives_a_chinese_503_while_pushes_go_on(lanes):
    lanes.kill("pages")
    page = httpx.get(lanes.url + "/apply")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "服务暂时不可用，请稍后刷新" in page.text
    assert httpx.get(lanes.url + "/s/abcdefgh/status.json").status_code == 503
    params, body = ticket_push(lanes.env, 1)
    answer = httpx.post(lanes.url + "/wechat/events", params=params, content=body, timeout=5)
    assert answer.text == "success"


def test_a_body_too_large_for_nginx_is_refused_in_chinese(lanes):
    for size in (280, 400):  # the portal's own 413 (> 256 KB), then nginx's (> 300 KB)
        answer = httpx.post(lanes.url + "/apply", content=b"x" * size * 1024)
        assert answer.status_code == 413
        assert "提交的内容太大" in answer.text


def test_pushes_are_answered_as_soon_as_the_lanes_are_back(lanes):
    """A push refused while both lanes were down must not make nginx shun them after
    (with its default max_fails=1, it answered 502 for ten more seconds)."""
    lanes.kill("events")
    lanes.kill("pages")
    params, body = ticket_push(lanes.env, 1)
    down = httpx.post(lanes.url + "/wechat/events", params=params, content=body, timeout=5)
    assert down.status_code >= 500  # nothing to answer it; WeChat sends it again
    lanes.start("events")
    lanes.start("pages")
    for n in range(2, 7):
        params, body = ticket_push(lanes.env, n)
        answer = httpx.post(lanes.url + "/wechat/events", params=params, content=body, timeout=5)
        assert answer.text == "success"
