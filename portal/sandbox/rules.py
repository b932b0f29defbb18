"""The sandbox's rule checks and magic values, like a payment provider's test mode.

Magic values ride in the company name, so they survive every form and flavor:
- ``E<errcode>`` (e.g. ``沙箱E86004科技有限公司``): create answers that errcode.
- ``S<status>`` (e.g. ``沙箱S103科技有限公司``): the task ends with that push status:
  a company-check status (101-105, 1000, -1, 1001-1008, anything else) right after
  the check; ``S0`` is approved without the simulator; ``S100001``-``S100003`` expire
  right after the check instead of waiting out the legal person's 24 hours.
Without a magic value the task waits for the legal-person simulator.
"""

from __future__ import annotations

import re
from typing import Any

MAGIC = re.compile(r"(?<![A-Za-z0-9])([ES])(-?\d+)(?![0-9])")
WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
CODE_LENGTHS = {1: (18,), 2: (9, 10), 3: (15,)}
ERRMSG = {
    -1: "system error",
    86004: "invalid wechat",
    61070: "name, wechat name not in accordance",
    89247: "inner error",
    89248: "invalid code type",
    89249: "task running",
    89250: "task not found",
    89251: "legal person checking",
    89252: "front checking",
    89253: "lack of some params",
    89254: "lack of some component rights",
    89255: "invalid code",
    45009: "reach max api daily quota limit",
    61004: "access clientip is not registered",
    61007: "api is unauthorized to component",
    86021: "company is not in operation",
    86022: "company name and code do not match",
    86030: "lack of some params",
    40033: "invalid charset. please check your request, if include \\uxxxx will create fail!",
    40013: "invalid appid",
    40125: "invalid appsecret",
    61010: "code is expired",
    61023: "refresh_token is invalid",
    61003: "component is not authorized by this account",
    40097: "invalid args",
}
PUSH_MSG = {
    0: "OK",
    100001: "超时未进行身份证校验",
    100002: "超时未进行人脸识别校验",
    100003: "超时未确认",
    101: "企业已注销",
    102: "企业不存在或企业信息未更新",
    103: "企业法定代表人姓名不一致",
    104: "企业法定代表人身份证号码不一致",
    105: "法定代表人身份证号码，工商数据未更新，请5-15个工作日之后尝试",
    1000: "企业信息或法定代表人信息不一致",
    -1: "企业与法人姓名不一致",
}
EXPIRY = (100001, 100002, 100003)
#: The newer API's task statuses the sandbox reports (V2 notes, unconfirmed).
V2_PUSH_MSG = {0: "OK", 2: "任务超时", 3: "用户拒绝", 6: "人脸识别失败", 14: "企业信息校验失败"}


def magic(name: str, letter: str) -> int | None:
    """The magic errcode (E) or push status (S) in a company name, if any."""
    for found_letter, number in MAGIC.findall(name or ""):
        if found_letter == letter:
            return int(number)
    return None


def check_classic_create(body: dict[str, Any]) -> int:
    """Return the errcode WeChat would answer a classic create with (0: accepted)."""
    required = ("name", "code", "code_type", "legal_persona_wechat", "legal_persona_name")
    if any(body.get(key) in (None, "") for key in required):
        return 89253
    try:
        code_type = int(body["code_type"])
    except (TypeError, ValueError):
        return 89248
    if code_type not in CODE_LENGTHS:
        return 89248
    if len(str(body["code"])) not in CODE_LENGTHS[code_type]:
        return 89255
    if not WECHAT_ID.match(str(body["legal_persona_wechat"])):
        return 86004
    forced = magic(str(body["name"]), "E")
    return forced if forced is not None else 0


USCI = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def check_v2_create(body: dict[str, Any]) -> int:
    """Return the errcode the newer create would answer with (0: accepted)."""
    if body.get("new_version") is not True:
        return 86030
    if any(not str(body.get(key) or "").strip() for key in ("name", "code", "component_phone")):
        return 86030
    if not USCI.match(str(body["code"])):
        return 89255
    forced = magic(str(body["name"]), "E")
    return forced if forced is not None else 0


def errmsg(errcode: int) -> str:
    return ERRMSG.get(errcode, "ok" if errcode == 0 else "error")


def push_msg(status: int, api: str = "classic") -> str:
    table = V2_PUSH_MSG if api == "v2" else PUSH_MSG
    return table.get(status, f"sandbox status {status}")
