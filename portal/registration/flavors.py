"""Registration flavors: what differs between WeChat's fast-register APIs, in one place.

A flavor knows which facts a merchant gives, how a submission is sent to WeChat and
asked about, how a result push is matched back, and what the legal person does next.
Pages, consoles and the worker ask the flavor; nothing else branches on the API.
Today: ``classic``, the seed's ``/cgi-bin/component/fastregisterweapp``. The newer
``fastregisterenterpriseweapp`` (V2) becomes a second class here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.registration import normalize
from portal.wechat.client import ClassicApplication, WeChatClient


@dataclass(frozen=True)
class Field:
    name: str
    label: str


class ClassicFlavor:
    """The seed's API: four facts, a template message to the legal person."""

    name = "classic"
    fields = (
        Field("name", "企业名称"),
        Field("code_type", "企业代码类型"),
        Field("code", "企业代码"),
        Field("legal_persona_name", "法人姓名"),
        Field("legal_persona_wechat", "法人微信号"),
    )
    legal_person_step = (
        "微信核对通过后，“公众平台安全助手”会向法定代表人的微信发送一条“创建小程序申请”消息；"
        "法定代表人需在 24 小时内点开消息，完成身份证信息与人脸识别。"
    )

    def normalized(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Return the facts as they will be stored and sent."""
        return {
            "name": normalize.company_name(facts.get("name", "")),
            "code": normalize.company_code(facts.get("code", "")),
            "code_type": int(facts.get("code_type") or 0),
            "legal_persona_wechat": normalize.wechat_id(facts.get("legal_persona_wechat", "")),
            "legal_persona_name": normalize.person_name(facts.get("legal_persona_name", "")),
        }

    def match_key(self, facts: Mapping[str, Any]) -> str:
        """The key of the four facts the document recommends as a task's identity."""
        f = self.normalized(facts)
        return normalize.match_key(
            f["name"], f["code"], f["legal_persona_wechat"], f["legal_persona_name"]
        )

    def push_match_keys(self, info: Mapping[str, str]) -> list[str]:
        """Keys to try, best first, for a result push's ``<info>``."""
        return [self.match_key(info)]

    def create(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> int:
        app = ClassicApplication(
            name=sub["name"],
            code=sub["code"],
            code_type=int(sub["code_type"]),
            legal_persona_wechat=sub["legal_persona_wechat"],
            legal_persona_name=sub["legal_persona_name"],
            component_phone=sub.get("component_phone") or "",
        )
        return client.fastregister_create(token, app)

    def search(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> int:
        return client.fastregister_search(
            token, sub["name"], sub["legal_persona_wechat"], sub["legal_persona_name"]
        )


FLAVORS = {ClassicFlavor.name: ClassicFlavor()}


def flavor(name: str) -> ClassicFlavor:
    """Return the flavor a submission was made under."""
    return FLAVORS[name]
