"""What is sent when: each moment's text, written as a Tencent Cloud SMS template.

Tencent sends only pre-approved templates: constant text with ``{1}``, ``{2}`` … for the
values of one message. Its rules shape every text here (and the sandbox twin enforces
them, never more lenient):

- a value is at most 6 characters (non-verification templates) and never a link, so a
  message cannot carry the company's name or a per-merchant link;
- a link must be constant text of the approved template.

So the merchant's messages name the platform and carry the constant address of the
find page (``{PUBLIC_URL}/find``), where the company code and this very phone open the
status page. The private status link is a capability: it is never put in an SMS, which
is a weak channel (lock screens, shared and recycled numbers, carriers' logs), and it
could not be approved as a template value anyway. No value is ever a code, a token, a
secret or the legal person's facts: each is one of a few fixed words or a small number.
``approved_text`` is what the operator submits to Tencent for approval (check-config
prints it); ``render`` is the text the phone shows, which the sandbox twin displays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MERCHANT, OPERATOR = "merchant", "operator"
#: Tencent: at most this many characters in one value of a non-verification template.
PARAM_MAX = 6
#: Tencent: a template's content is at most 500 characters.
TEXT_MAX = 500


@dataclass(frozen=True)
class Moment:
    key: str
    audience: str
    title: str  # what it is, for check-config and the sandbox's page
    body: str  # {platform} and {link} are constants of the approved template; {1} … values
    values: tuple[str, ...] = ()  # what each {n} may be, for the operator's approval notes


LEGAL_PERSON = "legal_person"
SUCCEEDED = "succeeded"
FAILED = "failed"
GOLIVE_FIX = "golive_fix"
AUDIT_FAILED = "audit_failed"
RELEASED = "released"
ALERT = "alert"

MOMENTS: dict[str, Moment] = {
    m.key: m
    for m in (
        Moment(
            LEGAL_PERSON,
            MERCHANT,
            "申请已送达微信，等待法定代表人确认",
            "{platform}：贵公司的小程序注册申请已送达微信，请法定代表人在{1}小时内按进度页的说明"
            "在微信里完成确认，逾期需重新提交。{link}",
            ("剩余小时数，如 24",),
        ),
        Moment(
            SUCCEEDED,
            MERCHANT,
            "注册成功",
            "{platform}：贵公司的小程序已注册成功，请回到进度页设置名称、头像、简介和类目。{link}",
        ),
        Moment(
            FAILED,
            MERCHANT,
            "注册没有成功（未通过、被退回、已超时或被法人拒绝）",
            "{platform}：贵公司的小程序注册{1}，进度页写明了原因和下一步。{link}",
            ("未通过", "被退回", "已超时", "被法人拒绝"),
        ),
        Moment(
            GOLIVE_FIX,
            MERCHANT,
            "上线设置需要商户修改（名称需证明材料、类目未通过等）",
            "{platform}：您的小程序{1}需要修改，请打开进度页查看原因和修改方法。{link}",
            ("名称", "头像", "简介", "类目"),
        ),
        Moment(
            AUDIT_FAILED,
            MERCHANT,
            "代码审核未通过",
            "{platform}：您的小程序未通过微信的代码审核，请打开进度页查看原因。{link}",
        ),
        Moment(
            RELEASED,
            MERCHANT,
            "小程序已发布上线",
            "{platform}：您的小程序已发布上线，在微信里搜索小程序名称即可打开。{link}",
        ),
        Moment(
            ALERT,
            OPERATOR,
            "运维提醒（票据超时、有暂停的申请、提审额度用尽、数据库复制停止）",
            "{platform}运维提醒：{1}，请登录管理后台查看平台状态。",
            ("票据超时", "有暂停申请", "提审额度用尽", "数据库复制停"),
        ),
    )
}
#: The state a submission moved to → (moment, its value).
STATE_MOMENTS: dict[str, tuple[str, str | None]] = {
    "awaiting_legal_person": (LEGAL_PERSON, None),
    "succeeded": (SUCCEEDED, None),
    "failed": (FAILED, "未通过"),
    "rejected": (FAILED, "被退回"),
    "expired": (FAILED, "已超时"),
}
#: The value of a refusal (an expiry ``results`` stored as ``refused``).
REFUSED_VALUE = "被法人拒绝"
#: A go-live step the merchant must change → its name in the message.
STEP_WORDS = {"name": "名称", "avatar": "头像", "intro": "简介", "category": "类目"}


def link_line(config: Mapping[str, Any]) -> str:
    """The constant link of the merchant's templates: the find page, or nothing."""
    public = str(config.get("PUBLIC_URL") or "").rstrip("/")
    return f"查看进度：{public}/find （凭企业代码和本手机号）" if public else ""


def approved_text(key: str, platform: str, link: str, sign: str = "") -> str:
    """The template's content as submitted to Tencent: constants filled, {n} kept.

    When the signature is the platform's name, 【sign】 already says who writes, so the
    text does not open with the name again (【平台】平台：… reads like a mistake)."""
    body = MOMENTS[key].body
    if sign and sign == platform:
        body = body.replace("{platform}：", "", 1).replace("{platform}运维提醒", "运维提醒", 1)
    return body.replace("{platform}", platform).replace("{link}", link).rstrip()


def render(key: str, params: Sequence[str], platform: str, link: str, sign: str) -> str:
    """The text the phone shows: 【sign】 and the approved template with its values."""
    text = approved_text(key, platform, link, sign)
    for number, value in enumerate(params, start=1):
        text = text.replace("{" + str(number) + "}", value)
    return f"【{sign}】{text}"


def param_problem(value: str) -> str | None:
    """Why Tencent would refuse this template value, or None."""
    if not value:
        return "模板变量不能为空"
    if len(value) > PARAM_MAX:
        return f"模板变量最多 {PARAM_MAX} 个字符"
    if "://" in value or "www." in value.lower() or "/" in value:
        return "模板变量不能是链接"
    return None
