"""Every template: within Tencent's rules, named after the platform, and leak-free."""

import json

import pytest

from portal.notify import masking, moments, settings
from portal.notify.delivery import Notifier, outgoing
from portal.notify.phones import e164, mask
from portal.sandbox.sms import problem
from tests.conftest import CREDENTIALS

#: A submission and settings full of what must never reach a phone.
SUBMISSION = {
    "id": 7, "code": "91440101MA59VWXY1B", "legal_persona_name": "欧阳娜娜",
    "legal_persona_wechat": "ouyang_nana_88", "public_id": "Zx8s-capability-token-AAA",
    "appid": "wx1111222233334444", "taskid": "task-0123456789", "authorize_url": "https://x/y",
    "component_phone": "020-12345678", "contact_phone": "13800138000",
}  # fmt: skip
CONFIG = {
    **CREDENTIALS, "SECRET_KEY": "s" * 40, "TOKEN_KEY": "k" * 44, "SMS_SECRET_ID": "AKIDxyz",
    "SMS_SECRET_KEY": "tencent-secret", "PLATFORM_NAME": "示例服务平台", "PLATFORM_SHORT_NAME": "示例",
    "PUBLIC_URL": "https://register.example.com", "SMS_PER_HOUR": 5,
}  # fmt: skip
EVERY_VALUE = [(key, value) for key, m in moments.MOMENTS.items() for value in (m.values or ("",))]


def values_for(key, value):
    if key == moments.LEGAL_PERSON:
        return ("24",)
    return (value,) if value else ()


@pytest.mark.parametrize(("key", "value"), EVERY_VALUE)
def test_every_template_is_within_tencents_rules_and_leaks_nothing(key, value):
    row = {"moment": key, "params": json.dumps(values_for(key, value)),
           "phone": "+8613800138000", "submission_id": 7}  # fmt: skip
    message = outgoing(Notifier(None, CONFIG, None), row)
    assert message.text.startswith("【示例】示例服务平台")
    assert all(moments.param_problem(v) is None for v in message.params)
    assert (
        len(moments.approved_text(key, "示例服务平台", moments.link_line(CONFIG)))
        <= moments.TEXT_MAX
    )
    forbidden = masking.forbidden(SUBMISSION, CONFIG)
    assert masking.leaks(message.text, forbidden) == []
    assert "13800138000" not in message.text and "/s/" not in message.text
    if moments.MOMENTS[key].audience == moments.MERCHANT:
        assert "https://register.example.com/find" in message.text
    body = {"PhoneNumberSet": [message.phone], "SmsSdkAppId": "1400000000", "SignName": message.sign,
            "TemplateId": "1000001", "TemplateParamSet": list(message.params), "Text": message.text}  # fmt: skip
    assert problem(body) is None  # the sandbox twin accepts what the portal renders


def test_the_guard_sees_a_leak_and_masks_it_in_the_record():
    found = masking.leaks("法人微信 ouyang_nana_88", masking.forbidden(SUBMISSION, CONFIG))
    assert found == ["ou**********88"]


@pytest.mark.parametrize("value", ["1234567", "x.cn/a", "a/b", "www.x", ""])
def test_values_tencent_would_refuse(value):
    assert moments.param_problem(value)


def test_phones_are_normalized_and_masked():
    assert e164("138 0013 8000") == e164("+86 13800138000") == "+8613800138000"
    assert e164("020-12345678") is None and e164("12800138000") is None
    assert mask("+8613800138000") == "138****8000"


def test_check_config_prints_each_template_to_submit_to_tencent():
    lines = settings.lines({**CONFIG, "SMS_PROVIDER": "tencent", "SMS_REGION": "ap-guangzhou",
                            "SMS_TEMPLATES": '{"legal_person": "123"}', "SMS_PER_DAY": 10,
                            "SMS_OPERATOR_PHONES": "13900139000"})  # fmt: skip
    text = "\n".join(lines)
    assert (
        "SMS template legal_person (id 123)" in text and "SMS template released (id unset)" in text
    )
    assert "139****9000" in text and "tencent-secret" not in text and "SecretKey set" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"SMS_PROVIDER": "aliyun"}, "must be one of sandbox, tencent, off"),
        ({"SMS_PROVIDER": "tencent"}, "PORTAL_SMS_SECRET_KEY is missing"),
        ({"SMS_PROVIDER": "tencent"}, "PORTAL_SMS_SDK_APP_ID must be"),
        ({"SMS_PROVIDER": "tencent"}, "lacks a Tencent template id"),
        ({"SMS_TEMPLATES": "[1]"}, "must be a JSON object"),
        ({"SMS_TEMPLATES": '{"hello": "1"}'}, "unknown moments hello"),
        ({"SMS_OPERATOR_PHONES": "020-1234567"}, "not mainland mobile"),
        ({"SMS_ENDPOINT": "sms.example"}, "is not a URL"),
    ],
)
def test_each_sms_setting_problem_is_one_line(change, expected):
    from portal import config

    found = config.problems({**config.DEFAULTS, **CREDENTIALS, **change})
    assert any(expected in line for line in found), found


def test_the_provider_follows_the_host_when_unset():
    assert settings.provider({"WECHAT_API_BASE": "https://api.weixin.qq.com"})[0] == "off"
    assert settings.provider({"WECHAT_API_BASE": "http://127.0.0.1:8001"})[0] == "sandbox"
    assert settings.endpoint({"WECHAT_API_BASE": "http://127.0.0.1:8001"}, "sandbox") == (
        "http://127.0.0.1:8001/sandbox/sms"
    )


def test_a_signature_that_is_the_platforms_name_is_not_repeated_in_the_text():
    """【平台】平台：… reads like a mistake; a different signature keeps the name."""
    same = moments.render(moments.SUCCEEDED, (), "示例服务平台", "", "示例服务平台")
    assert same.startswith("【示例服务平台】贵公司的小程序已注册成功")
    other = moments.render(moments.SUCCEEDED, (), "示例服务平台", "", "示例")
    assert other.startswith("【示例】示例服务平台：贵公司的小程序已注册成功")
    alert = moments.render(moments.ALERT, ("票据超时",), "示例服务平台", "", "示例服务平台")
    assert alert.startswith("【示例服务平台】运维提醒：票据超时")


def test_every_alert_value_sent_is_one_the_template_lists():
    """check-config prints the alert template's values for Tencent's approval."""
    from portal.notify import alerts

    sent = {value for value, _meaning in alerts.CONDITIONS.values()}
    assert sent <= set(moments.MOMENTS[moments.ALERT].values)
