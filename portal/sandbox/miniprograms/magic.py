"""The go-live magic values: what a test or a demo types to meet each of WeChat's answers.

Like the company-name values of ``portal.sandbox.rules``, each is a letter and a number
standing alone (not inside a longer run of letters or digits; an ``E`` errcode has five
digits or more), or a plain word:

=====================================  =========================  ==========================
where                                  value                      effect
=====================================  =========================  ==========================
nickname (checkwxverifynickname,       ``E<errcode>``             both answer that errcode
setnickname)                                                      (e.g. E53013 duplicate,
                                                                  E53019, E91005, E91007)
nickname                               contains 小程序            53010 at the check, 91004
                                                                  at setnickname
nickname                               contains 微信 or 腾讯      53012 (forbidden)
nickname                               a protected word: 官方      hit_condition true with a
                                       中国 国家 全国 旗舰 银行   wording; setnickname
                                       医院 学校 政府             answers an audit_id and the
                                                                  name audit passes after
                                                                  SANDBOX_NAME_AUDIT_DELAY
nickname                               ``N3`` / ``N2``            the name goes to audit and
                                                                  passes (3) / fails (2)
certicates key, or the uploaded        ``C2``                     that category's audit is
file name of its media                                            rejected (wxa_category_audit
                                                                  ret 2)
commit user_desc                       ``E<errcode>``             commit answers it (85043,
                                                                  85044, 80066, 9402202 …)
submit_audit version_desc              ``E<errcode>``             submit_audit answers it
                                                                  (86007, 86009, 86010,
                                                                  87006, 9400001, 9402202 …)
submit_audit version_desc, else the    ``A1``                     the audit fails: Reason and
commit's user_desc, else the nickname                             two ScreenShot media ids
(the first that has one)               ``A4``                     it is delayed
                                                                  (weapp_audit_delay), then
                                                                  passes after another delay
                                       ``A0``                     it passes (also the default)
bind_tester wechatid                   starts with ``nosuch``     85001 (not found)
bind_tester wechatid                   starts with ``busy``       85003 (tester of too many)
=====================================  =========================  ==========================

Without a magic value a code audit passes after SANDBOX_AUDIT_DELAY, a name audit after
SANDBOX_NAME_AUDIT_DELAY and a category audit after SANDBOX_CATEGORY_AUDIT_DELAY; until
then the mini program's sandbox page has buttons to pass, fail or delay it.
"""

from __future__ import annotations

import re

MAGIC = re.compile(r"(?<![A-Za-z0-9])([EANC])(\d+)(?![0-9])")
FORBIDDEN_WORDS = ("微信", "腾讯")
PROTECTED_WORDS = ("官方", "中国", "国家", "全国", "旗舰", "银行", "医院", "学校", "政府")
AUDIT_OUTCOMES = {0: "pass", 1: "fail", 4: "delay"}
FAIL_REASON = (
    "1.小程序页面存在功能不完整或内容空白的情况，请完善后再提交。"
    "2.小程序的服务类目与实际提供的服务不符，请选择正确的类目。"
)
DELAY_REASON = "你的小程序审核时间可能超过 7 个工作日，请耐心等待。"
NAME_FAIL_REASON = "名称涉嫌侵犯他人权益，请提供相关商标注册证书或授权书后重新提交。"
CATEGORY_FAIL_REASON = "提交的资质材料不清晰或与所选类目不符，请重新上传。"


def number(text: str | None, letter: str) -> int | None:
    """The number after magic ``letter`` in ``text``, if any. An errcode (``E``) has at
    least five digits, so a name such as 沙箱E1店 is only a name."""
    for found, digits in MAGIC.findall(text or ""):
        if found == letter and (letter != "E" or len(digits) >= 5):
            return int(digits)
    return None


def protected_word(nickname: str) -> str | None:
    """The protected word a name hits (it needs proof and goes to audit)."""
    return next((word for word in PROTECTED_WORDS if word in nickname), None)


def name_audit(nickname: str) -> str | None:
    """None: the name is set at once; "pass" or "fail": it goes to audit and ends so."""
    forced = number(nickname, "N")
    if forced in (2, 3):
        return "fail" if forced == 2 else "pass"
    return "pass" if protected_word(nickname) else None


def audit_outcome(*texts: str | None) -> str:
    """How a code audit ends: the first ``A<status>`` among ``texts``, else "pass"."""
    for text in texts:
        forced = number(text, "A")
        if forced in AUDIT_OUTCOMES:
            return AUDIT_OUTCOMES[forced]
    return "pass"


def tester_errcode(wechatid: str) -> int:
    if wechatid.startswith("nosuch"):
        return 85001
    return 85003 if wechatid.startswith("busy") else 0
