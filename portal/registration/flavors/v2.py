"""WeChat's newer enterprise fast-register API (fastregisterenterpriseweapp, new_version).

The merchant gives the company name and its 18-character unified social credit code;
the platform's phone goes along. WeChat answers with a task id and a verification link
(``authorize_url``) that the legal person opens in WeChat within 24 hours. A result
push is matched by ``<info><taskid>`` first, then by name + code. Facts beyond
WeChat's announcement come from SDK code and are marked unconfirmed in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal import normalize
from portal.registration import submissions as subs
from portal.registration.flavors.base import Accepted, Field, Flavor, Probe
from portal.registration.flavors.classic import NAME_FIELD, NO_SPELL
from portal.wechat import codes
from portal.wechat.client import WeChatClient, WeChatError
from portal.wechat.shapes import EnterpriseApplication

USCI = 1
TASK_NOT_FOUND = 89250


class EnterpriseFlavor(Flavor):
    name = "v2"
    title = "快速注册（验证链接）"
    fields = (
        NAME_FIELD,
        Field("code", "企业代码",
              "营业执照上的 18 位统一社会信用代码（此方式不支持旧版注册号或组织机构代码）。",
              {**NO_SPELL, "autocapitalize": "characters"}),
    )  # fmt: skip
    landing_step = "用微信打开验证链接刷脸确认"
    resubmit_effect = "会生成新的验证链接，旧链接作废。"
    legal_person_step = (
        "请法定代表人在 24 小时内用自己的微信打开下方的验证链接（在微信里长按二维码选“识别二维码”，"
        "或在另一台设备上扫码），按提示完成人脸核验。"
    )
    prepare = (
        ("企业名称", "与营业执照一字不差（可在国家企业信用信息公示系统查询后复制）。"),
        ("18 位统一社会信用代码", "新版营业执照上的代码；此方式不支持旧版注册号或组织机构代码。"),
        ("法定代表人 24 小时内有空",
         "提交后会得到一个验证链接，法定代表人需在 24 小时内用本人微信打开并完成人脸核验。"),
    )  # fmt: skip
    after_submit = (
        "微信生成一个专属验证链接，显示在您的进度页上（二维码和链接，也可转发给法定代表人）。",
        "法定代表人需在 24 小时内用本人的微信打开链接，按提示完成人脸核验。",
        "核验通过，小程序即在您的企业名下创建。",
    )
    guide_sections = (
        ("1. 用本人微信打开验证链接",
         "在微信里长按下方二维码选“识别二维码”，或直接点开链接；在电脑上看到本页时，用手机微信扫码。"),
        ("2. 按提示操作",
         "确认企业名称无误后点击同意，按提示完成人脸识别：光线充足、正对手机、摘下帽子和口罩。"),
    )  # fmt: skip
    statuses = codes.V2_STATUSES
    silent_expiry = 2

    def normalized(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {**normalize.facts(facts, ("name", "code")), "code_type": USCI}

    def match_key(self, facts: Mapping[str, Any]) -> str:
        f = self.normalized(facts)
        return normalize.match_key(f["name"], f["code"])

    def find_for_push(
        self, db: sqlite_utils.Database, info: Mapping[str, str], made_at: float | None
    ) -> dict | None:
        """By taskid, whatever the state; by name + code only a submission that never
        learnt its taskid (its create's answer was lost).

        A push whose taskid is not one of ours must never land on a submission that holds
        another taskid (an old task's late push on the merchant's resubmission).
        """
        taskid = (info.get("taskid") or "").strip()
        if taskid:
            found = subs.find_sent(db, "taskid = ?", [taskid], made_at)
            if found is not None:
                return found
        if not info.get("name") or not info.get("code"):
            return None
        where = "match_key = ? AND flavor = ?"
        if taskid:
            where += " AND coalesce(taskid, '') = ''"
        return subs.find_sent(db, where, [self.match_key(info), self.name], made_at)

    def search_entry(self, code: int | None) -> codes.Entry:
        """query answers a task status; 89250 is its errcode for an unknown task."""
        return codes.api_entry(code) if code == TASK_NOT_FOUND else self.result(code)

    def orphaned(self, sub: Mapping[str, Any]) -> bool:
        """WeChat's answer (taskid, link) never arrived: the legal person had no link."""
        return not sub.get("taskid")

    def create(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Accepted:
        app = EnterpriseApplication(sub["name"], sub["code"], sub.get("component_phone") or "")
        task = client.enterprise_create(token, app)
        return Accepted(
            subs.AWAITING,
            "微信已生成验证链接，等待法定代表人在 24 小时内打开并完成核验",
            {"taskid": task.taskid, "authorize_url": task.authorize_url},
        )

    def can_probe(self, sub: Mapping[str, Any]) -> bool:
        """Only a task whose id WeChat told us can be asked about (query takes a taskid)."""
        return bool(sub.get("taskid"))

    def search(self, client: WeChatClient, token: str, sub: Mapping[str, Any]) -> Probe:
        if not sub.get("taskid"):
            # Without a task id there is nothing to ask: the create never answered.
            return Probe("none", None, codes.api_entry(TASK_NOT_FOUND))
        try:
            task = client.enterprise_query(token, sub["taskid"])
        except WeChatError as exc:
            if exc.errcode != TASK_NOT_FOUND:
                raise
            return Probe("none", TASK_NOT_FOUND, exc.entry)
        entry = self.result(task.status)
        learnt = {"authorize_url": task.authorize_url} if task.authorize_url else {}
        if entry.outcome == codes.SUCCEEDED:
            return Probe("created", task.status, entry)
        if entry.outcome == codes.PROGRESS:
            return Probe("awaiting", task.status, entry, learnt)
        ended = entry.known and entry.outcome in (codes.FAILED, codes.EXPIRED)
        return Probe("ended" if ended else "other", task.status, entry)

    def legal_person_link(self, sub: Mapping[str, Any]) -> str | None:
        """The verification link while the legal person can still use it; only http(s)."""
        link = sub.get("authorize_url") or ""
        if sub.get("state") not in (subs.CHECKING, subs.AWAITING):
            return None
        return link if link.startswith(("https://", "http://")) else None
