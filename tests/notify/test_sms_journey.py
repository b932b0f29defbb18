"""Real processes: a merchant who ticks 接收短信通知 on the form gets a text in the
sandbox at each registration moment (the legal person must act, then success or not)."""

import re

import httpx
import pytest

from portal.stack import FAST, running_stack
from portal.validation_codes import USCI_CHARS, usci_check_char
from tests.conftest import wait_until

pytestmark = pytest.mark.integration

ENV = {**FAST, "PORTAL_SMS_PROVIDER": "sandbox", "PORTAL_PUBLIC_URL": "https://reg.example.com",
       "PORTAL_PLATFORM_NAME": "集成测试平台", "PORTAL_PLATFORM_SHORT_NAME": "集成"}  # fmt: skip


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("sms"), env=ENV) as running:
        yield running


def code_for(name: str) -> str:
    """A valid unified social credit code of its own (a digits-only region part)."""
    body = "91440101" + "".join(USCI_CHARS[ord(c) % 31] for c in name[-9:]).rjust(9, "1")
    return body + usci_check_char(body)


def apply(stack, name: str, phone: str) -> None:
    """The form, ticked, then the confirmation, as a browser would."""
    with httpx.Client(base_url=stack.portal_url, follow_redirects=True) as browser:
        token = lambda page: re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]  # noqa: E731
        fields = {"name": name, "code_type": "1", "code": code_for(name), "legal_persona_name": "张三",
                  "legal_persona_wechat": "zhangsan_88", "contact_phone": phone, "sms_opt_in": "y"}  # fmt: skip
        confirm = browser.post(
            "/apply", data={**fields, "csrf_token": token(browser.get("/apply").text)}
        )
        assert "接收（可随时在进度页关闭）" in confirm.text, confirm.text[:500]
        status = browser.post("/apply/confirm", data={**fields, "action": "submit", "same_company": "yes",
                              "csrf_token": token(confirm.text)})  # fmt: skip
        assert "短信通知：<strong>已开启</strong>" in status.text


def texts(stack, phone):
    found = httpx.get(f"{stack.sandbox_url}/sandbox/sms/messages").json()
    return [t for t in found if t["phone"] == f"+86{phone}"]


def task(stack, name):
    return next(
        t for t in httpx.get(f"{stack.sandbox_url}/sandbox/tasks").json() if t["name"] == name
    )


def reach(stack, phone, moment):
    return wait_until(
        lambda: next((t for t in texts(stack, phone) if t["moment"] == moment), None),
        20,
        f"the {moment} text to {phone}",
    )


def test_the_legal_person_moment_then_success(stack):
    name, phone = "广州市短信集成科技有限公司", "13900139001"
    apply(stack, name, phone)
    first = reach(stack, phone, "legal_person")
    assert first["text"].startswith("【集成】集成测试平台：贵公司的小程序注册申请已送达微信")
    assert "https://reg.example.com/find" in first["text"] and "/s/" not in first["text"]
    sandbox_task = task(stack, name)
    httpx.post(
        f"{stack.sandbox_url}/sandbox/legal-person/{sandbox_task['id']}", data={"choice": "approve"}
    )
    done = reach(stack, phone, "succeeded")
    assert "注册成功" in done["text"]
    assert [t["moment"] for t in texts(stack, phone)] == ["legal_person", "succeeded"]
    page = httpx.get(f"{stack.sandbox_url}/sandbox/sms/").text
    assert done["text"] in page


def test_a_refusal_is_texted_once(stack):
    name, phone = "广州市短信拒绝科技有限公司", "13900139002"
    apply(stack, name, phone)
    reach(stack, phone, "legal_person")
    sandbox_task = task(stack, name)
    httpx.post(
        f"{stack.sandbox_url}/sandbox/legal-person/{sandbox_task['id']}", data={"choice": "refuse"}
    )
    ended = reach(stack, phone, "failed")
    assert "进度页写明了原因和下一步" in ended["text"]
    assert [t["moment"] for t in texts(stack, phone)] == ["legal_person", "failed"]
