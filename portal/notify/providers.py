"""The SMS provider protocol, the answer every provider gives, and the sandbox twin.

A provider sends one message and answers in Tencent Cloud's terms: ``Ok``, or an error
code such as ``LimitExceeded.PhoneNumberDailyLimit``. ``retry`` says whether trying
again later can help (Tencent busy, the network, a per-minute limit); anything else is
a failure that no retry fixes. The sandbox twin posts the message to the sandbox's
``/sandbox/sms``, which checks it by Tencent's rules and answers in Tencent's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

#: Codes that a later try may get past; every other code is a failure.
RETRYABLE = (
    "InternalError",
    "RequestLimitExceeded",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit",
    "ClientNetworkError",
    "ServerNetworkError",
    "Transport",
)


@dataclass(frozen=True)
class Outgoing:
    phone: str  # +86…
    moment: str
    template_id: str
    params: tuple[str, ...]
    text: str  # as the phone shows it, 【sign】 first
    sign: str


@dataclass(frozen=True)
class Answer:
    ok: bool
    code: str
    message: str = ""
    serial: str = ""
    retry: bool = field(default=False)

    def short(self) -> str:
        return f"{self.code}: {self.message}"[:300] if self.message else self.code


class Provider(Protocol):
    name: str

    def send(self, message: Outgoing) -> Answer: ...


def retryable(code: str) -> bool:
    return any(code == c or code.startswith(c + ".") for c in RETRYABLE)


def failure(code: str, message: str) -> Answer:
    return Answer(False, code or "Unknown", message, retry=retryable(code or ""))


def from_response(body: Mapping[str, Any]) -> Answer:
    """Tencent's ``{"Response": {...}}`` for one number: the request's Error, or the
    number's SendStatus (whose Code must be exactly "Ok")."""
    response = body.get("Response") if isinstance(body, Mapping) else None
    if not isinstance(response, Mapping):
        return failure("BadResponse", "no Response object")
    error = response.get("Error")
    if isinstance(error, Mapping):
        return failure(str(error.get("Code") or ""), str(error.get("Message") or ""))
    statuses = response.get("SendStatusSet") or []
    if not isinstance(statuses, list) or not statuses or not isinstance(statuses[0], Mapping):
        return failure("BadResponse", "no SendStatusSet")
    status = statuses[0]
    code, message = str(status.get("Code") or ""), str(status.get("Message") or "")
    if code != "Ok":
        return failure(code, message)
    return Answer(True, "Ok", message, serial=str(status.get("SerialNo") or ""))


class SandboxProvider:
    """Delivers into the sandbox (its phone page), checked there by Tencent's rules."""

    name = "sandbox"

    def __init__(self, url: str, sdk_app_id: str, http: httpx.Client) -> None:
        self.url = url
        self.sdk_app_id = sdk_app_id or "1400000000"
        self.http = http

    def send(self, message: Outgoing) -> Answer:
        payload = {
            "PhoneNumberSet": [message.phone],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": message.sign,
            "TemplateId": message.template_id,
            "TemplateParamSet": list(message.params),
            "Moment": message.moment,
            "Text": message.text,
        }
        try:
            response = self.http.post(self.url, json=payload)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            return failure("Transport", type(exc).__name__)
        return from_response(body)
