"""The Tencent Cloud provider against a local fake of Tencent Cloud's HTTP API: the request
the official SDK sends (signed TC3-HMAC-SHA256) and the answers it must read."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.notify.providers import Outgoing
from portal.notify.tencent import TencentProvider

SECRET_ID, SECRET_KEY = "AKIDtestsecretid", "test-secret-key-never-sent"


class FakeTencent(BaseHTTPRequestHandler):
    answers: list[dict] = []
    seen: list[tuple[dict, dict]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeTencent.seen.append((dict(self.headers), body))
        answer = json.dumps(FakeTencent.answers.pop(0)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTencent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTencent.answers, FakeTencent.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def provider(url):
    return TencentProvider(SECRET_ID, SECRET_KEY, "1400123456", "ap-guangzhou", url, 5)


MESSAGE = Outgoing("+8613800138000", "legal_person", "2345678", ("24",), "【示例】…24…", "示例")


def status(code, message="send success"):
    return {"Response": {"SendStatusSet": [{"SerialNo": "2640:1", "PhoneNumber": "+8613800138000",
            "Fee": 1, "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN"}],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}  # fmt: skip


def test_the_sdk_sends_sendsms_2021_01_11_signed_and_ok_is_sent(fake):
    FakeTencent.answers = [status("Ok")]
    answer = provider(fake).send(MESSAGE)
    assert (answer.ok, answer.code, answer.serial) == (True, "Ok", "2640:1")
    [(headers, body)] = FakeTencent.seen
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["x-tc-action"] == "SendSms" and headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["authorization"].startswith(f"TC3-HMAC-SHA256 Credential={SECRET_ID}/")
    assert "Signature=" in headers["authorization"]
    assert body == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400123456",
        "SignName": "示例",
        "TemplateId": "2345678",
        "TemplateParamSet": ["24"],
    }
    assert SECRET_KEY not in json.dumps(headers) + json.dumps(body, ensure_ascii=False)


def test_a_request_error_is_a_failure_with_tencents_code(fake):
    FakeTencent.answers = [{"Response": {"Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit",
                            "Message": "单个手机号日下发短信条数超过设定的上限"}, "RequestId": "r1"}}]  # fmt: skip
    answer = provider(fake).send(MESSAGE)
    assert (answer.ok, answer.code, answer.retry) == (
        False,
        "LimitExceeded.PhoneNumberDailyLimit",
        False,
    )


def test_a_send_status_other_than_ok_is_a_failure(fake):
    FakeTencent.answers = [
        status("FailedOperation.PhoneNumberInBlacklist", "手机号在免打扰名单库中")
    ]
    answer = provider(fake).send(MESSAGE)
    assert (answer.ok, answer.code, answer.retry) == (
        False,
        "FailedOperation.PhoneNumberInBlacklist",
        False,
    )


def test_tencent_busy_may_be_retried(fake):
    FakeTencent.answers = [{"Response": {"Error": {"Code": "InternalError.Timeout", "Message": "超时"},
                            "RequestId": "r2"}}]  # fmt: skip
    assert provider(fake).send(MESSAGE).retry


def test_nobody_listening_is_a_retryable_failure():
    answer = provider("http://127.0.0.1:9").send(MESSAGE)
    assert not answer.ok and answer.retry, answer
