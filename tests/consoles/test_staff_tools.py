"""Staff find a caller by phone, follow the dashboard's counters and failures, release
held submissions in bulk, and are offered 代商户修改并重新提交 only where it fits."""

import re

from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.staff.filters import PHONE_KEY, phone_digits
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts


def _submit(db, name, **extra):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name), **extra)
    return sub


def _hold(db, sub, errcode):
    subs.transition(db, sub["id"], subs.HELD, "", expect=[subs.QUEUED], held_from=subs.QUEUED,
                    errcode=errcode, errmsg="x")  # fmt: skip


def _found(client, query):
    page = client.get("/staff/search?" + query).get_data(as_text=True)
    return set(re.findall(r'href="/staff/submissions/(\d+)"', page)), page


def test_phone_digits_normalises_what_a_caller_says():
    assert phone_digits("138 0000 1234") == "13800001234"
    assert phone_digits("+86 138-0000-1234") == "13800001234"
    assert phone_digits("1234") == "1234"
    assert phone_digits("020-12345678") == "02012345678"
    assert phone_digits("12") == "" and phone_digits("abc1234") == ""


def test_staff_search_by_the_whole_phone_or_its_last_four(client, db, people, as_role):
    mobile = _submit(db, "甲电话科技有限公司", contact_phone="13800001234")
    landline = _submit(db, "乙座机科技有限公司", contact_phone="020-87651234")
    _submit(db, "丙无关科技有限公司", contact_phone="13900009999")
    as_role("staff")
    assert _found(client, "phone=138+0000+1234")[0] == {str(mobile["id"])}
    assert _found(client, "phone=%2B86-13800001234")[0] == {str(mobile["id"])}
    assert _found(client, "phone=02087651234")[0] == {str(landline["id"])}
    assert _found(client, "phone=1234")[0] == {str(mobile["id"]), str(landline["id"])}
    ids, page = _found(client, "phone=12")
    assert not ids and "请填写完整的电话号码，或它的后 4 位数字" in page


def test_the_phone_search_reads_an_index(db, people):
    for expression, value in ((f"substr({PHONE_KEY}, -4)", "1234"), (PHONE_KEY, "13800001234")):
        plan = " ".join(
            row[3]
            for row in db.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM submissions WHERE {expression} = ?", [value]
            )
        )
        assert "USING INDEX submissions_phone_" in plan, plan


def test_dashboard_counters_and_failures_link_to_their_lists(client, db, people, as_role):
    failed = _submit(db, "甲失败科技有限公司")
    subs.transition(db, failed["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=105)
    as_role("staff")
    page = client.get("/staff/").get_data(as_text=True)
    today = re.search(r'href="(/staff/search\?state=queued&amp;date_from=[\d-]+)"', page).group(1)
    ids, _ = _found(client, today.replace("&amp;", "&").split("?", 1)[1])
    assert ids == {str(people["sub_a"]["id"]), str(people["sub_b"]["id"])}
    failure = re.search(r'href="(/staff/search\?[^"]*outcome=105[^"]*)"', page).group(1)
    ids, _ = _found(client, failure.replace("&amp;", "&").split("?", 1)[1])
    assert ids == {str(failed["id"])}
    assert 'href="#call-errors"' in page and 'id="call-errors"' in page


def test_bulk_release_confirms_the_count_then_releases_only_that_reason(
    client, db, people, as_role
):
    held = [_submit(db, f"甲暂停{i}科技有限公司") for i in range(3)]
    for sub in held:
        _hold(db, sub, 61007)
    _hold(db, people["sub_b"], 40001)
    as_role("staff")
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/held/release?errcode=61007"' in dashboard
    confirm = client.get("/staff/held/release?errcode=61007").get_data(as_text=True)
    assert "现在有 <strong>3</strong> 条" in confirm and "确认恢复 3 条" in confirm
    assert all(subs.get(db, s["id"])["state"] == subs.HELD for s in held)  # nothing yet
    assert client.post("/staff/held/release", data={"errcode": "61007"}).status_code == 400
    answer = client.post(
        "/staff/held/release", data={"errcode": "61007", "csrf_token": csrf_from(confirm)}
    )
    assert answer.status_code == 302
    for sub in held:  # back where the worker left them, due now, as after the single action
        row = subs.get(db, sub["id"])
        assert row["state"] == subs.QUEUED and row["next_attempt_at"] is not None
    assert subs.get(db, people["sub_b"]["id"])["state"] == subs.HELD
    actions = [
        r[0] for r in db.execute("SELECT action FROM audit_log WHERE action LIKE '%release%'")
    ]
    assert actions == ["release held submission"] * 3 + ["bulk release held submissions"]
    assert "已恢复 3 条" in client.get("/staff/").get_data(as_text=True)


def test_resubmit_for_the_merchant_is_offered_and_allowed_only_after_a_failure(
    client, db, people, as_role
):
    done = people["sub_a"]
    subs.transition(db, done["id"], subs.SUCCEEDED, "", expect=[subs.QUEUED], appid="wx1")
    failed = people["sub_b"]
    subs.transition(db, failed["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=105)
    as_role("staff")
    page = client.get(f"/staff/submissions/{done['id']}").get_data(as_text=True)
    assert "代商户修改并重新提交" not in page
    refused = client.get(f"/staff/submissions/{done['id']}/resubmit")
    assert refused.status_code == 303
    assert refused.headers["Location"].endswith(f"/staff/submissions/{done['id']}")
    shown = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "小程序已经创建，不能重新提交" in shown
    page = client.get(f"/staff/submissions/{failed['id']}").get_data(as_text=True)
    assert f'href="/staff/submissions/{failed["id"]}/resubmit"' in page
    allowed = client.get(f"/staff/submissions/{failed['id']}/resubmit")
    assert allowed.status_code == 302
    assert allowed.headers["Location"].endswith(f"/apply?from={failed['public_id']}")
