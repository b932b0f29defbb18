"""The worker's side: rate limit, backoff, failures, age, consent and the sandbox twin."""

import json
import time

import httpx
import pytest

from portal.notify import delivery, outbox
from portal.notify.delivery import Notifier, backoff, rate_wait
from portal.notify.providers import Answer, SandboxProvider, failure
from portal.registration import submissions as subs
from tests.notify.conftest import PHONE, opted_in

NOW = 1_800_000_000.0


def queue(db, sub, moment="succeeded", key=None, now=NOW, params=()):
    outbox.enqueue(db, moment, sub["contact_phone"], list(params), key or f"k:{moment}:{now}",
                   submission_id=sub["id"], now=now)  # fmt: skip


def states(db):
    return [r["state"] for r in db.query("SELECT state FROM sms_messages ORDER BY id")]


def test_a_message_is_rendered_with_the_platform_name_and_sent(app, db, notifier, recorder):
    app.config.update(
        PLATFORM_NAME="示例服务平台", PLATFORM_SHORT_NAME="示例", PUBLIC_URL="https://r.example.com"
    )
    sub = opted_in(db)
    queue(db, sub, "legal_person", params=["24"])
    assert delivery.run_once(notifier, NOW) == {"sent": 1}
    [message] = recorder.sent
    assert message.text.startswith("【示例】示例服务平台：") and "24小时内" in message.text
    assert "https://r.example.com/find" in message.text
    assert message.phone == f"+86{PHONE}" and message.params == ("24",)
    row = db.execute("SELECT state, tries, serial, text FROM sms_messages").fetchone()
    assert row[:3] == ("sent", 1, "s1") and row[3] == message.text


def test_the_per_phone_hourly_limit_postpones_without_spending_a_try(app, db, notifier, recorder):
    app.config.update(SMS_PER_HOUR=2, SMS_PER_DAY=10)
    sub = opted_in(db)
    for n in range(3):
        queue(db, sub, key=f"k{n}", now=NOW + n)
    delivery.run_once(notifier, NOW + 10)
    assert states(db) == ["sent", "sent", "queued"]
    row = db.execute("SELECT tries, next_try_at FROM sms_messages WHERE id = 3").fetchone()
    assert row[0] == 0 and row[1] == pytest.approx(NOW + 10 + 3600, abs=1)
    assert rate_wait(db, f"+86{PHONE}", 2, 10, NOW + 3611) == 0
    delivery.run_once(notifier, NOW + 3611)
    assert states(db) == ["sent"] * 3


def test_the_daily_limit_counts_a_whole_day(db):
    sub = opted_in(db)
    for n in range(3):
        queue(db, sub, key=f"d{n}", now=NOW)
    db.execute("UPDATE sms_messages SET state = 'sent', sent_at = ?", [NOW - 7200])
    assert rate_wait(db, f"+86{PHONE}", 5, 3, NOW) == pytest.approx(86400 - 7200)


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n, 60) for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff(10, 60) == 3600


def test_a_retryable_failure_is_tried_again_later_then_given_up(app, db, notifier, recorder):
    app.config.update(SMS_MAX_TRIES=2, SMS_RETRY_DELAY=30)
    recorder.answers = [
        failure("InternalError.Timeout", "busy"),
        failure("InternalError.Timeout", "busy"),
    ]
    sub = opted_in(db)
    queue(db, sub)
    delivery.run_once(notifier, NOW)
    row = db.execute("SELECT state, tries, next_try_at, answer FROM sms_messages").fetchone()
    assert row[:3] == ("queued", 1, NOW + 30) and "InternalError.Timeout" in row[3]
    delivery.run_once(notifier, NOW + 29)
    assert len(recorder.sent) == 1
    delivery.run_once(notifier, NOW + 30)
    assert states(db) == ["failed"] and len(recorder.sent) == 2


def test_a_daily_limit_answer_is_a_failure_at_once(db, notifier, recorder):
    recorder.answers = [failure("LimitExceeded.PhoneNumberDailyLimit", "日上限")]
    queue(db, opted_in(db))
    delivery.run_once(notifier, NOW)
    assert states(db) == ["failed"]


def test_an_old_message_is_dropped_not_sent(app, db, notifier, recorder):
    queue(db, opted_in(db), now=NOW - app.config["SMS_MAX_AGE"] - 1)
    delivery.run_once(notifier, NOW)
    assert states(db) == ["dropped"] and recorder.sent == []


def test_consent_withdrawn_after_queueing_drops_it(db, notifier, recorder):
    sub = opted_in(db)
    queue(db, sub)
    db.execute("UPDATE sms_consents SET revoked_at = 1")
    delivery.run_once(notifier, NOW)
    assert states(db) == ["dropped"] and recorder.sent == []


def test_a_send_cut_off_by_a_crash_is_never_sent_again(db, notifier, recorder):
    queue(db, opted_in(db))
    assert len(delivery.claim(db, NOW)) == 1  # the worker died here, mid-send
    delivery.run_once(notifier, NOW + delivery.LEASE + 1)
    assert states(db) == ["failed"] and recorder.sent == []


def test_a_leaking_text_is_blocked(app, db, notifier, recorder):
    sub = opted_in(db)
    queue(db, sub, "failed", params=["x"])
    app.config["PLATFORM_NAME"] = "平台" + subs.get(db, sub["id"])["code"]  # a template gone wrong
    delivery.run_once(notifier, NOW)
    assert states(db) == ["failed"] and recorder.sent == []
    assert "已拦截" in db.execute("SELECT answer FROM sms_messages").fetchone()[0]


def test_finished_messages_keep_only_a_masked_phone_after_two_days(db, notifier):
    queue(db, opted_in(db))
    delivery.run_once(notifier, NOW)
    delivery.forget_phones(db, NOW + delivery.KEEP_PHONE + 1)
    assert db.execute("SELECT phone FROM sms_messages").fetchone()[0] == "138****8000"


def test_the_sandbox_twin_delivers_into_the_sandbox(app, db, sandbox_app, sandbox_http):
    app.config.update(PLATFORM_NAME="示例服务平台", PLATFORM_SHORT_NAME="示例")
    sub = opted_in(db)
    queue(db, sub, "failed", params=["已超时"])
    twin = SandboxProvider("http://sandbox/sandbox/sms", "", sandbox_http)
    assert delivery.run_once(Notifier(db, app.config, twin), NOW) == {"sent": 1}
    [text] = sandbox_http.get("/sandbox/sms/messages").json()
    assert text["phone"] == f"+86{PHONE}" and text["moment"] == "failed"
    assert (
        text["text"] == "【示例】示例服务平台：贵公司的小程序注册已超时，进度页写明了原因和下一步。"
    )
    page = sandbox_http.get("/sandbox/sms/").text
    assert text["text"] in page and f"+86{PHONE}" in page
    assert "sandbox/sms" in sandbox_http.get("/sandbox/").text


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {"TemplateParamSet": ["一二三四五六七"]},
            "InvalidParameterValue.TemplateParameterLengthLimit",
        ),
        ({"TemplateParamSet": ["a.cn/x"]}, "InvalidParameterValue.TemplateParameterFormatError"),
        ({"SignName": ""}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"TemplateId": "abc"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"SmsSdkAppId": "14"}, "InvalidParameterValue.SdkAppIdNotExist"),
        ({"PhoneNumberSet": ["+8612345"]}, "InvalidParameterValue.IncorrectPhoneNumber"),
        ({"PhoneNumberSet": ["+8613800000000"]}, "LimitExceeded.PhoneNumberDailyLimit"),
    ],
)
def test_the_sandbox_is_as_strict_as_tencent(sandbox_http, change, code):
    body = {"PhoneNumberSet": ["+8613900139000"], "SmsSdkAppId": "1400000000", "SignName": "示例",
            "TemplateId": "1000001", "TemplateParamSet": ["24"], "Text": "【示例】24"}  # fmt: skip
    body = {**body, **change}
    twin = SandboxProvider("http://sandbox/sandbox/sms", body["SmsSdkAppId"], sandbox_http)
    answer = twin.send(_outgoing(body))
    assert (answer.ok, answer.code) == (False, code)
    assert sandbox_http.get("/sandbox/sms/messages").json() == []


def _outgoing(body):
    from portal.notify.providers import Outgoing

    return Outgoing(body["PhoneNumberSet"][0], "legal_person", body["TemplateId"],
                    tuple(body["TemplateParamSet"]), body["Text"], body["SignName"])  # fmt: skip


def test_the_sandbox_refuses_the_same_template_twice_in_thirty_seconds(sandbox_http):
    twin = SandboxProvider("http://sandbox/sandbox/sms", "1400000000", sandbox_http)
    body = {"PhoneNumberSet": ["+8613900139000"], "SignName": "示例", "TemplateId": "1",
            "TemplateParamSet": [], "Text": "【示例】好"}  # fmt: skip
    assert twin.send(_outgoing(body)).ok
    second = twin.send(_outgoing(body))
    assert (second.ok, second.code, second.retry) == (
        False,
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        True,
    )


def test_an_unreachable_sandbox_is_a_retryable_failure():
    def refuse(request):
        raise httpx.ConnectError("refused")

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    answer = SandboxProvider("http://nowhere/sandbox/sms", "", http).send(
        _outgoing(
            {
                "PhoneNumberSet": ["+8613900139000"],
                "SignName": "s",
                "TemplateId": "1",
                "TemplateParamSet": [],
                "Text": "【s】",
            }
        )  # fmt: skip
    )
    assert (answer.ok, answer.retry) == (False, True)
    assert isinstance(answer, Answer) and json.dumps(answer.code) == '"Transport"'


def test_the_golive_moments_reach_the_sandbox_twin(app, db, sandbox_http):
    from portal.golive import outcomes
    from portal.golive import steps as st

    sub = opted_in(db)
    subs.transition(db, sub["id"], subs.SUCCEEDED, "", expect=[subs.QUEUED], appid="wx" + "1" * 16)
    setup = st.open_setup(db, sub["id"], "wx" + "1" * 16)
    outcomes.needs_merchant(db, setup["id"], st.NAME, 91001, "请补充商标证明", "名称需证明材料")
    outcomes.needs_merchant(db, setup["id"], st.AUDIT, None, "页面空白", "审核未通过")
    outcomes.done(db, setup["id"], st.RELEASE, {}, "已发布")
    twin = SandboxProvider("http://sandbox/sandbox/sms", "", sandbox_http)
    delivery.run_once(Notifier(db, app.config, twin), time.time())
    shown = [(t["moment"], t["params"]) for t in sandbox_http.get("/sandbox/sms/messages").json()]
    assert shown == [
        ("succeeded", ""),
        ("golive_fix", "名称"),
        ("audit_failed", ""),
        ("released", ""),
    ]
