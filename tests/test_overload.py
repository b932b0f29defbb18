"""Overload: page reads that queued too long get a quick 503, the event URL never does."""

from __future__ import annotations

import logging
import time

import pytest

import portal
from portal.api.errors import GENERIC
from portal.overload import queued_for
from tests.conftest import CREDENTIALS


def stamped(seconds_ago: float, unit: str = "s") -> dict[str, str]:
    """nginx's ``X-Request-Start`` for a request that arrived ``seconds_ago``."""
    at = time.time() - seconds_ago
    value = {"s": f"{at:.3f}", "ms": str(int(at * 1000)), "us": str(int(at * 1e6))}[unit]
    return {"X-Request-Start": f"t={value}"}


def test_a_page_that_queued_too_long_is_refused_at_once_in_chinese(client):
    answer = client.get("/apply", headers=stamped(3))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "请稍后刷新" in page and "已经提交的申请不受影响" in page
    assert "http" not in page.replace("http-equiv", "")  # nothing from another host


def test_a_page_that_did_not_queue_long_is_served(client):
    assert client.get("/apply", headers=stamped(0.2)).status_code == 200
    assert client.get("/apply").status_code == 200  # no proxy stamp: nothing to judge by


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_the_stamp_is_read_in_seconds_milliseconds_or_microseconds(client, unit):
    assert client.get("/apply", headers=stamped(3, unit)).status_code == 503
    assert client.get("/apply", headers=stamped(0.1, unit)).status_code == 200


@pytest.mark.parametrize("header", ["t=", "t=soon", "garbage", "t=nan", "t=-inf", "t=1e999"])
def test_a_malformed_stamp_never_refuses(client, header):
    assert client.get("/apply", headers={"X-Request-Start": header}).status_code == 200


def test_polls_and_the_api_get_a_json_error_with_retry_after(client):
    poll = client.get("/s/abcdefgh/status.json", headers=stamped(3))
    assert poll.status_code == 503 and poll.headers["Retry-After"] == "5"
    assert poll.json["error"]["code"] == "busy"
    api = client.get("/api/v1/submissions", headers=stamped(3))
    assert api.status_code == 503
    code, message = GENERIC[503]  # the API's one error object, as its other errors
    assert api.json == {"error": {"status": 503, "code": code, "message": message}}


def test_a_head_request_gets_no_body(client):
    answer = client.head("/apply", headers=stamped(3))
    assert answer.status_code == 503 and answer.data == b""


def test_the_event_url_health_check_static_files_and_posts_are_never_refused(client):
    late = stamped(30)
    # A push that waited is still judged on its merits (here: unsigned, so 400/403).
    assert client.post("/wechat/events", data=b"<xml/>", headers=late).status_code in (400, 403)
    assert client.get("/healthz", headers=late).status_code == 200
    with client.get("/static/css/portal.css", headers=late) as css:
        assert css.status_code == 200
    # A form carries what the merchant typed: answered however late (here: no CSRF token).
    assert client.post("/apply", data={"name": "x"}, headers=late).status_code == 400


def test_the_busy_page_names_the_platform_and_its_support(tmp_path):
    app = portal.create_app(
        {
            **CREDENTIALS,
            "DATABASE": str(tmp_path / "p.sqlite"),
            "PLATFORM_NAME": "云帆<商户>服务平台",
            "PLATFORM_SHORT_NAME": "云帆",
            "SUPPORT_PHONE": "400-123-4567",
        }
    )
    page = app.test_client().get("/apply", headers=stamped(3)).get_data(as_text=True)
    assert "<title>访问人数较多，请稍后刷新 · 云帆</title>" in page
    assert "云帆&lt;商户&gt;服务平台此刻正忙" in page
    assert "客服电话 400-123-4567" in page


def test_zero_turns_shedding_off(tmp_path):
    app = portal.create_app(
        {**CREDENTIALS, "TESTING": True, "DATABASE": str(tmp_path / "p.sqlite"), "SHED_AFTER": 0}
    )
    assert app.test_client().get("/apply", headers=stamped(60)).status_code == 200


def test_refusals_are_logged_at_most_every_ten_seconds_with_a_count(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.overload"):
        for _ in range(5):
            client.get("/apply", headers=stamped(3))
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.overload"]
    assert len(lines) == 1
    assert lines[0].startswith("overload: refused 1 page request(s) with 503")


def test_queued_for_reads_nginx_msec():
    assert queued_for("t=1000.500", 1002.0) == pytest.approx(1.5)
    assert queued_for("1000.5", 1002.0) == pytest.approx(1.5)
    assert queued_for("t=", 1002.0) is None
    assert queued_for("t=-inf", 1002.0) is None
    assert queued_for("t=1", 1002.0) is None  # "waited 17 minutes": a broken stamp
