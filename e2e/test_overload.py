"""Overload on a phone: the "请稍后刷新" page, and a status page that backs off on 503."""

from __future__ import annotations

import json
import os
import re
import time

from playwright.sync_api import Page, Route, expect

from e2e.conftest import screenshot
from e2e.pages import (
    assert_not_reloaded,
    confirm_and_submit,
    fill_form,
    legal_person_decides,
    mark_page,
)
from portal.stack import new_credentials
from tests.lanes import start_lanes
from tests.registration.facts import code_for


def submit(page: Page, stack, name: str) -> str:
    page.goto(stack.portal_url + "/apply")
    fill_form(page, name=name, code=code_for(name), person="张三", wechat="zhangsan_88")
    confirm_and_submit(page)
    return page.url


def test_a_page_refused_under_overload_reads_well_on_a_phone(stack, phone):
    # As nginx stamps a request that queued for 5 s in front of busy page workers.
    phone.context.set_extra_http_headers({"X-Request-Start": f"t={time.time() - 5:.3f}"})
    answer = phone.goto(stack.portal_url + "/apply")
    assert answer.status == 503 and answer.headers["retry-after"] == "5"
    expect(phone.get_by_role("heading", name="访问人数较多，请稍后刷新")).to_be_visible()
    expect(phone.get_by_text("已经提交的申请不受影响")).to_be_visible()
    wide = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert wide[0] <= wide[1]
    screenshot(phone, "overload-503-phone")
    phone.context.set_extra_http_headers({})
    phone.get_by_role("link", name="刷新").click()  # the queue has drained: the form is back
    expect(phone.get_by_role("heading", name="填写企业信息")).to_be_visible()


def test_the_status_page_waits_as_long_as_a_503_asks_then_carries_on(stack, phone):
    name = "深圳市退避测试科技有限公司"
    submit(phone, stack, name)
    expect(phone.locator(".badge")).to_have_text("等待法定代表人核验", timeout=20_000)
    mark_page(phone)
    polls: list[float] = []

    def busy(route: Route) -> None:
        polls.append(time.monotonic())
        route.fulfill(
            status=503,
            headers={"Retry-After": "2", "Content-Type": "application/json"},
            body=json.dumps({"error": {"status": 503, "code": "busy"}}),
        )

    phone.route("**/status.json", busy)
    phone.wait_for_timeout(9_000)
    phone.unroute("**/status.json")
    # Once a second without the 503s: 9 polls. Waiting >= Retry-After and doubling: 3.
    assert 2 <= len(polls) <= 4, polls
    gaps = [b - a for a, b in zip(polls, polls[1:], strict=False)]
    assert all(gap >= 1.9 for gap in gaps), gaps
    assert gaps == sorted(gaps), gaps
    # The platform answers again: the result still arrives without a reload.
    legal_person_decides(phone.context.new_page(), stack.sandbox_url, name, "确认，并通过人脸核验")
    expect(phone.locator("#appid")).to_have_value(re.compile(r"wx[0-9a-f]{16}"), timeout=40_000)
    assert_not_reloaded(phone)


def test_a_refused_refresh_backs_off_too(stack, phone):
    submit(phone, stack, "深圳市退避刷新科技有限公司")
    expect(phone.locator(".badge")).to_have_text("等待法定代表人核验", timeout=20_000)
    page_url, pages = phone.url, []

    def changed(route: Route) -> None:  # every poll says "changed": the script refreshes
        route.fulfill(status=200, content_type="application/json", body='{"version": "new"}')

    def busy(route: Route) -> None:
        if route.request.resource_type == "fetch":
            pages.append(time.monotonic())
            route.fulfill(status=503, headers={"Retry-After": "2"}, body="busy")
        else:
            route.continue_()

    phone.route("**/status.json", changed)
    phone.route(page_url, busy)
    phone.wait_for_timeout(7_000)
    phone.unroute_all()
    # Without backing off: a poll and a refresh every second, 7 refreshes.
    assert 1 <= len(pages) <= 3, pages


def test_nginx_says_so_in_chinese_while_the_pages_lane_is_down(phone, tmp_path):
    env = {**os.environ, **new_credentials(), "PORTAL_DATABASE": str(tmp_path / "p.sqlite")}
    lanes = start_lanes(tmp_path / "lanes", env)
    try:
        lanes.kill("pages")
        answer = phone.goto(lanes.url + "/apply")
        assert answer.status == 503 and answer.headers["retry-after"] == "5"
        expect(phone.get_by_role("heading", name="服务暂时不可用，请稍后刷新")).to_be_visible()
        wide = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert wide[0] <= wide[1]
        screenshot(phone, "overload-nginx-503-phone")
    finally:
        lanes.stop()
