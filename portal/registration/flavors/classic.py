"""The seed's API (fastregisterweapp.rst): four facts, a template message to the legal person."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal import normalize
from portal.registration import submissions as subs
from portal.registration.flavors.base import Accepted, Field, Flavor, Probe
from portal.validation_codes import CODE_TYPES
from portal.wechat import codes
from portal.wechat.client import WeChatClient
from portal.wechat.shapes import ClassicApplication

NO_SPELL = {"autocorrect": "off", "spellcheck": "false", "autocomplete": "off"}
NAME_FIELD = Field(
    "name",
    "企业名称",
    "与营业执照上的名称一字不差，可在国家企业信用信息公示系统查询后复制。注意“广州”与“广州市”不同，"
    "括号用中文全角（）。无字号的个体工商户填“个体户”加法人姓名，如“个体户张三”。",
    {"autocomplete": "organization", "autocorrect": "off", "spellcheck": "false"},
)
SEARCH_STATES = {89252: "checking", 89251: "awaiting", 89250: "none"}


class ClassicFlavor(Flavor):
    name = "classic"
    title = "快速注册（模板消息）"
    fields = (
        NAME_FIELD,
        Field("code_type", "企业代码类型", "新版营业执照上的 18 位代码就是统一社会信用代码。",
              choices=tuple((str(k), v) for k, v in CODE_TYPES.items())),
        Field("code", "企业代码",
              "营业执照上的统一社会信用代码（18 位）；旧版执照为注册号（15 位）或组织机构代码（9 位）。",
              {**NO_SPELL, "autocapitalize": "characters"}),
        Field("legal_persona_name", "法人姓名",
              "营业执照上的法定代表人，须与其微信支付绑定银行卡的姓名一致（改过名的请先更新微信实名）。",
              {"autocomplete": "off", "autocorrect": "off"}, personal=True),
        Field("legal_persona_wechat", "法人微信号",
              "法定代表人本人的微信号：微信 → 我，头像旁“微信号”后面的内容。不是手机号、QQ 号或昵称。",
              {**NO_SPELL, "autocapitalize": "off"}, personal=True),
    )  # fmt: skip
    silent_expiry = 100003
    nudge = (
        "已提交 {minutes} 分钟。微信通常在提交后 10–30 分钟内核对完成，并由“公众平台安全助手”给法定代表人"
        "发出“创建小程序申请”消息（这一步微信不会通知平台，所以本页可能仍显示“微信核对中”）。"
        "请现在提醒法定代表人在微信顶部搜索“公众平台安全助手”查看，收到后在 24 小时内完成核验。"
    )
    landing_step = "在微信里收到“公众平台安全助手”的消息后刷脸确认"
    resubmit_effect = "微信核对后会再给法定代表人发一条新消息。"
    legal_person_step = (
        "微信核对通过后，“公众平台安全助手”会向法定代表人的微信发送一条“创建小程序申请”消息；"
        "法定代表人需在 24 小时内点开消息，完成身份证信息与人脸识别。"
    )
    prepare = (
        ("企业名称", "与营业执照一字不差（可在国家企业信用信息公示系统查询后复制）。"),
        ("企业代码", "营业执照上的统一社会信用代码（18 位），旧版执照可用注册号或组织机构代码。"),
        ("法定代表人的姓名和微信号", "微信号在 微信 → 我 里查看，不是手机号。"),
        ("法定代表人 24 小时内有空",
         "微信核对通过后，“公众平台安全助手”会给法人发消息，需在 24 小时内完成身份证和人脸核验。"),
    )  # fmt: skip
    after_submit = (
        "微信核对企业与法定代表人信息，通常需要几分钟到几十分钟。",
        "核对通过后，“公众平台安全助手”会给法定代表人的微信发送“创建小程序申请”消息。",
        "法定代表人需在 24 小时内点开消息，完成身份证和人脸核验。",
        "核验通过，小程序即在您的企业名下创建。",
    )
    guide_sections = (
        ("1. 留意这条消息",
         "发送者是微信公众号“公众平台安全助手”，消息标题为“创建小程序申请”。微信核对企业信息后才会发出，"
         "可能在提交后几分钟到几十分钟才到；没看到时，可在微信顶部搜索“公众平台安全助手”查找。"),
        ("2. 点开消息，按提示操作",
         "确认企业名称无误后点击同意；填写身份证信息（需与营业执照上的法定代表人一致）；"
         "按提示完成人脸识别：光线充足、正对手机、摘下帽子和口罩。"),
    )  # fmt: skip

    def normalized(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        tidied = normalize.facts(
            facts, ("name", "code", "legal_persona_wechat", "legal_persona_name")
        )
        return {**tidied, "code_type": int(facts.get("code_type") or 0)}

    def match_key(self, facts: Mapping[str, Any]) -> str:
        """The four facts the document recommends as a task's identity."""
        f = self.normalized(facts)
        return normalize.match_key(
            f["name"], f["code"], f["legal_persona_wechat"], f["legal_persona_name"]
        )

    def find_for_push(
        self, db: sqlite_utils.Database, info: Mapping[str, str], made_at: float | None
    ) -> dict | None:
        return subs.find_sent(db, "match_key = ?", [self.match_key(info)], made_at)

    def create(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Accepted:
        app = ClassicApplication(
            name=sub["name"],
            code=sub["code"],
            code_type=int(sub["code_type"]),
            legal_persona_wechat=sub["legal_persona_wechat"],
            legal_persona_name=sub["legal_persona_name"],
            component_phone=sub.get("component_phone") or "",
        )
        errcode = client.fastregister_create(token, app)
        if errcode == 89251:
            return Accepted(subs.AWAITING, codes.api_entry(89251).explanation)
        return Accepted(subs.CHECKING, "微信已受理，正在核对企业与法人信息")

    def search(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Probe:
        errcode = client.fastregister_search(
            token, sub["name"], sub["legal_persona_wechat"], sub["legal_persona_name"]
        )
        return Probe(SEARCH_STATES.get(errcode, "other"), errcode, codes.api_entry(errcode))
