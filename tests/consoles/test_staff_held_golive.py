"""Staff see held go-live steps on the dashboard, grouped by reason, and release every
step held for one reason at once (portal.golive.held, portal.staff.bulk_golive)."""

import re

import pytest

from portal.golive import held as golive_held
from portal.golive import outcomes
from portal.golive import steps as st
from portal.registration import retry
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.wechat.client import WeChatError
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts

CONFIRM = "/staff/held/golive/release"
INPUTS = {st.NAME: {"nickname": "沙箱暂停小店"}, st.INTRO: {"signature": "沙箱暂停小店的简介"}}


def _setup(db, name: str, appid: str) -> dict:
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name))
    return st.open_setup(db, sub["id"], appid)


def _hold(db, setup: dict, step: str, errcode: int) -> None:
    """The merchant gave the step; WeChat refused it for the platform: held for staff."""
    st.give(db, setup["id"], step, INPUTS[step])
    refused = WeChatError("wxa.setnickname", errcode, "not authorized")
    outcomes.failed_try(db, setup["id"], step, retry.OPERATOR, refused, 0)
    assert st.step(db, setup["id"], step)["state"] == st.HELD


@pytest.fixture
def held_steps(db):
    """Three steps held for 61007 (two of one setup), one for 61004."""
    first = _setup(db, "甲上线暂停科技有限公司", "wx" + "1" * 16)
    second = _setup(db, "乙上线暂停科技有限公司", "wx" + "2" * 16)
    other = _setup(db, "丙上线暂停科技有限公司", "wx" + "3" * 16)
    _hold(db, first, st.NAME, 61007)
    _hold(db, first, st.INTRO, 61007)
    _hold(db, second, st.NAME, 61007)
    _hold(db, other, st.NAME, 61004)
    return {"first": first, "second": second, "other": other}


def _actions(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT action FROM audit_log WHERE action LIKE '%golive%'")]


def test_the_domain_groups_lists_and_picks_held_steps(db, held_steps):
    assert [(g["errcode"], g["key"], g["count"]) for g in golive_held.groups(db)] == [
        (61007, "61007", 3),
        (61004, "61004", 1),
    ]
    listed = golive_held.listing(db)
    assert [(row["name"], row["step"]) for row in listed] == [
        ("甲上线暂停科技有限公司", st.NAME),
        ("甲上线暂停科技有限公司", st.INTRO),
        ("乙上线暂停科技有限公司", st.NAME),
        ("丙上线暂停科技有限公司", st.NAME),
    ]
    assert listed[0]["submission_id"] == held_steps["first"]["submission_id"]
    assert listed[0]["entry"].console_title and listed[0]["since"]
    pairs, total = golive_held.held_for(db, 61007, 2)
    assert total == 3 and pairs == [(held_steps["first"]["id"], st.NAME),
                                    (held_steps["first"]["id"], st.INTRO)]  # fmt: skip
    assert golive_held.held_for(db, None, 10) == ([], 0)


def test_the_dashboard_shows_held_steps_and_their_groups(client, people, as_role, held_steps):
    as_role("staff")
    page = client.get("/staff/").get_data(as_text=True)
    section = page[page.index('id="held-golive"') : page.index("等待微信或法人")]
    assert "上线步骤暂停、等待平台处理（4）" in section
    assert f'href="{CONFIRM}?errcode=61007"' in section
    assert f'href="{CONFIRM}?errcode=61004"' in section
    assert "小程序还没有授权平台做这项设置（61007）</td><td>3</td>" in section
    link = f'href="/staff/submissions/{held_steps["first"]["submission_id"]}#golive"'
    assert link in section and "甲上线暂停科技有限公司" in section
    assert '<td class="keep">名称</td>' in section and '<td class="keep">简介</td>' in section
    assert "服务器 IP 不在白名单（61004）" in section
    assert page.index('id="held"') < page.index('id="held-golive"')  # right after


def test_the_dashboard_says_none_without_held_steps(client, people, as_role):
    as_role("staff")
    page = client.get("/staff/").get_data(as_text=True)
    section = page[page.index('id="held-golive"') : page.index("等待微信或法人")]
    assert "上线步骤暂停、等待平台处理（0）" in section and "没有。" in section
    assert "批量恢复处理…" not in section


def test_a_partner_cannot_open_the_bulk_pages(client, people, as_role, db, held_steps):
    as_role("partner_a")
    assert client.get(f"{CONFIRM}?errcode=61007").status_code == 403
    token = csrf_from(client.get("/partner/").get_data(as_text=True))
    answer = client.post(CONFIRM, data={"errcode": "61007", "csrf_token": token})
    assert answer.status_code == 403
    assert st.step(db, held_steps["first"]["id"], st.NAME)["state"] == st.HELD


def test_anonymous_users_are_sent_to_login(client, people):
    assert client.get(f"{CONFIRM}?errcode=61007").status_code == 302


@pytest.mark.parametrize("query", ["", "?errcode=abc", "?errcode=61007;drop"])
def test_a_bad_errcode_goes_back_to_the_dashboard(client, people, as_role, query):
    as_role("staff")
    answer = client.get(CONFIRM + query)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/staff/#held-golive")
    assert "没有指定暂停原因" in client.get("/staff/").get_data(as_text=True)


def test_bulk_release_confirms_the_count_then_releases_only_that_reason(
    client, people, as_role, db, held_steps
):
    as_role("admin")  # admins have the staff console too
    confirm = client.get(f"{CONFIRM}?errcode=61007").get_data(as_text=True)
    assert "现在有 <strong>3</strong> 个上线步骤" in confirm and "确认恢复 3 个步骤" in confirm
    assert "小程序还没有授权平台做这项设置（61007）" in confirm and "怎么处理：" in confirm
    assert len(re.findall(r'href="/staff/submissions/\d+#golive"', confirm)) == 3
    assert "丙上线暂停科技有限公司" not in confirm
    first, second, other = held_steps["first"], held_steps["second"], held_steps["other"]
    assert client.post(CONFIRM, data={"errcode": "61007"}).status_code == 400  # no CSRF
    assert [g["count"] for g in golive_held.groups(db)] == [3, 1]  # nothing changed
    answer = client.post(CONFIRM, data={"errcode": "61007", "csrf_token": csrf_from(confirm)})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#held-golive")
    for setup_id, step in (
        (first["id"], st.NAME),
        (first["id"], st.INTRO),
        (second["id"], st.NAME),
    ):
        row = st.step(db, setup_id, step)  # as after the single 重试: due now
        assert row["state"] == st.GIVEN and row["due_at"] is not None
    assert st.step(db, other["id"], st.NAME)["state"] == st.HELD
    assert _actions(db) == ["retry golive step"] * 3 + ["bulk release held golive steps"]
    targets = {r[0] for r in db.execute("SELECT target FROM audit_log WHERE action = ?",
                                        ["retry golive step"])}  # fmt: skip
    assert targets == {
        f"submission {first['submission_id']}",
        f"submission {second['submission_id']}",
    }
    assert "已恢复 3 个上线步骤" in client.get("/staff/").get_data(as_text=True)
    again = client.post(
        CONFIRM,
        data={"errcode": "61007", "csrf_token": csrf_from(confirm)},
        follow_redirects=True,
    )
    assert "没有因这个原因暂停的上线步骤了" in again.get_data(as_text=True)
    assert _actions(db) == ["retry golive step"] * 3 + ["bulk release held golive steps"]
    empty = client.get(f"{CONFIRM}?errcode=61007").get_data(as_text=True)
    assert "现在没有因这个原因暂停的上线步骤" in empty and "确认恢复" not in empty
