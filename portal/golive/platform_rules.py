"""The rules of the operator's go-live setup (``portal.golive.platform``), pure: no
database, no Flask. Each cleaner takes what a form or a caller gave and returns the value
to store, or raises ValueError with the reason in Chinese, naming WeChat's errcode where
one would follow (85006, 85007, 85011, 85013, 85023, 85310, 85311, 86069).

Limits from SETUP.md: ≤ 200 server domains per kind and 100 web-view domains (§4);
``user_version`` ≤ 64 characters; ``item_list`` 1–5 pages, ≤ 10 tags of ≤ 20 characters,
titles ≤ 32 (§6); one of four contacts and a notice method (§3). ``privacy_text`` is the
purpose only (WeChat shows "为了<purpose>"), so a leading 为了 is dropped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

PLACEHOLDERS = ("appid", "company", "nickname", "partner", "submission_id")
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
ANY_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: The sample merchant of the preview; every template must also survive HOSTILE.
SAMPLE = {"appid": "wx1234567890abcdef", "company": "示例餐饮管理有限公司",
          "nickname": "示例小店", "partner": "示例代理商", "submission_id": "1"}  # fmt: skip
HOSTILE = {**SAMPLE, **{k: 'A"B\\C\n{}' for k in ("company", "nickname", "partner")}}
DEFAULT_EXT_JSON = """{
  "extAppid": "{appid}",
  "ext": {
    "company": "{company}",
    "name": "{nickname}",
    "partner": "{partner}",
    "submissionId": "{submission_id}"
  }
}"""
SERVER_KINDS = {"requestdomain": "https", "wsrequestdomain": "wss", "uploaddomain": "https",
                "downloaddomain": "https"}  # fmt: skip
WAYS, POLICIES = ("platform", "direct"), ("auto", "confirm")
CONTACTS = ("contact_phone", "contact_email", "contact_weixin", "contact_qq")
CONTACT_RULES = {
    "contact_phone": (re.compile(r"^\+?[0-9][0-9 -]{4,19}$"), "电话只能包含数字、空格、-，5–20 位"),
    "contact_email": (re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$"), "邮箱格式不对"),
    "contact_weixin": (re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$"), "微信号为 6–20 位字母、数字、_ 或 -，以字母开头"),
    "contact_qq": (re.compile(r"^[1-9][0-9]{4,11}$"), "QQ 号为 5–12 位数字"),
}  # fmt: skip
LOCATION_APIS = ("getFuzzyLocation", "getLocation", "onLocationChange", "startLocationUpdate",
                 "startLocationUpdateBackground", "chooseLocation", "choosePoi", "chooseAddress")  # fmt: skip
#: Privacy keys a template's code commonly uses, with WeChat's Chinese names. The keys a
#: commit really uses come from getprivacysetting after the scan; any key may be given.
PRIVACY_KEYS = {
    "Location": "位置信息", "PhoneNumber": "手机号码", "Album": "选中的照片或视频信息",
    "Camera": "摄像头", "Record": "麦克风", "Address": "地址", "UserInfo": "用户信息（微信昵称、头像）",
    "ChooseLocation": "选择的位置信息", "AlbumWriteOnly": "相册（仅写入）权限",
    "Invoice": "发票信息", "MessageFile": "选中的文件", "Clipboard": "剪切板",
    "Contact": "通讯录（仅写入）权限", "DeviceInfo": "设备信息", "Email": "邮箱",
    "EXOrderInfo": "订单信息", "EXIDNumber": "身份证号码", "RunData": "微信运动数据",
    "BlueTooth": "蓝牙", "CalendarWriteOnly": "日历（仅写入）权限", "LicensePlate": "车牌号",
}  # fmt: skip
HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
LIMITS = {"server": 200, "webview": 100, "items": 5, "tags": 10, "tag": 20, "title": 32}


def fill(template: str, facts: Mapping[str, str]) -> str:
    """``template`` with each placeholder replaced by its fact, escaped for a JSON string."""
    return PLACEHOLDER.sub(
        lambda m: json.dumps(str(facts.get(m.group(1), "")), ensure_ascii=False)[1:-1], template
    )


def parse_ext_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"ext_json 模板不是有效的 JSON：{exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("ext_json 模板必须是一个 JSON 对象（以 { 开头、} 结尾）。")
    return data


def ext_json_problem(template: str) -> str | None:
    """Why the ext_json template cannot be committed (None: it can), in Chinese."""
    unknown = sorted({m for m in ANY_PLACEHOLDER.findall(template) if m not in PLACEHOLDERS})
    if unknown:
        known = " ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        return f"ext_json 模板含有未知的占位符 {'、'.join(f'{{{u}}}' for u in unknown)}：可用的有 {known}。"
    try:
        parse_ext_json(fill(template, SAMPLE))
        data = parse_ext_json(fill(template, HOSTILE))
    except ValueError as exc:
        return f'{exc}（占位符须写在引号内，如 "{{company}}"）'
    checks = [
        ("ext", dict, "ext 必须是 JSON 对象"),
        ("extPages", dict, "extPages 必须是 JSON 对象"),
        ("window", dict, "window 必须是 JSON 对象"),
        ("tabBar", dict, "tabBar 必须是 JSON 对象"),
        ("pages", list, "pages 必须是页面路径的数组"),
        ("requiredPrivateInfos", list, "requiredPrivateInfos 必须是接口名的数组"),
    ]
    for key, kind, message in checks:
        if key in data and not isinstance(data[key], kind):
            return f"ext_json 模板的 {message}（否则 commit 返回 85013）。"
    declared = data.get("requiredPrivateInfos", [])
    if any(api not in LOCATION_APIS for api in declared):
        return f"requiredPrivateInfos 只能包含地理位置接口：{'、'.join(LOCATION_APIS)}（否则 commit 返回 85310）。"
    if "getFuzzyLocation" in declared and set(declared) & set(LOCATION_APIS[1:5]):
        return "requiredPrivateInfos 不能同时声明 getFuzzyLocation 和精确定位接口（commit 返回 85311）。"
    return None


def _text(value: Any, what: str, most: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValueError(f"请填写{what}。")
    if len(text) > most:
        raise ValueError(f"{what}最长 {most} 个字符，现在是 {len(text)} 个。")
    if any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in "\t\r\n"
        for c in text
    ):
        raise ValueError(f"{what}含有不可见的控制字符，请重新输入。")
    return text


def _entries(value: Any) -> list[str]:
    """Domains as a list, or as text with one per line (commas, semicolons and spaces too)."""
    items = re.split(r"[\s,;，；、]+", value) if isinstance(value, str) else list(value or ())
    return [str(item).strip() for item in items if str(item).strip()]


def _domain(entry: str, scheme: str, what: str) -> str:
    """``scheme://host[:port]`` for a host typed with or without the protocol."""
    parts = urlsplit(entry if "://" in entry else f"{scheme}://{entry}")
    try:
        host, port = (parts.hostname or "").encode("idna").decode("ascii"), parts.port
    except (UnicodeError, ValueError):
        host, port = "", None
    if parts.scheme.lower() != scheme:
        raise ValueError(f"{what} {entry} 须以 {scheme}:// 开头。")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{what} {entry} 只能是域名，不能带路径或参数。")
    if not HOST.match(host) or host == "api.weixin.qq.com":
        raise ValueError(
            f"{what} {entry} 不是可用的域名（须为已备案的域名，不能是 IP 地址或 localhost）。"
        )
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def _domains(entries: Any, scheme: str, what: str, most: int) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(_domain(e, scheme, what) for e in _entries(entries)))
    if len(found) > most:
        raise ValueError(f"{what}最多 {most} 个，现在是 {len(found)} 个。")
    return found


def _server(value: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    if unknown := set(value) - set(SERVER_KINDS):
        raise ValueError(f"未知的服务器域名类型：{'、'.join(sorted(unknown))}。")
    return {k: _domains(value.get(k), s, k, LIMITS["server"]) for k, s in SERVER_KINDS.items()}


def _contact(value: Mapping[str, Any]) -> dict[str, str]:
    if unknown := set(value) - set(CONTACTS):
        raise ValueError(f"未知的联系方式：{'、'.join(sorted(unknown))}。")
    given = {key: _text(value.get(key), "联系方式", 100) for key in CONTACTS}
    out = {key: text for key, text in given.items() if text}
    for key, text in out.items():
        if not CONTACT_RULES[key][0].match(text):
            raise ValueError(f"{CONTACT_RULES[key][1]}：{text}")
    if not out:
        raise ValueError(
            "请至少填写一种联系方式（电话、邮箱、微信号或 QQ）：微信要求隐私保护指引留下联系方式（86069）。"
        )
    return out


def _purposes(value: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key, purpose in value.items():
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,39}", str(key)):
            raise ValueError(f"隐私接口名 {key} 不对：应为微信的 privacy_key，如 Location。")
        text = re.sub(r"^为了", "", _text(purpose, f"{key} 的用途", 200)).strip()
        if text:
            out[str(key)] = text
    return out


def _items(value: Iterable[Mapping[str, Any]]) -> tuple[dict, ...]:
    out = []
    for row in value:
        item = {
            k: _text(row.get(k), n, 200)
            for k, n in (("address", "页面路径"), ("tag", "标签"), ("title", "标题"))
        }
        if not any(item.values()):
            continue
        address, tags = item["address"].lstrip("/"), item["tag"].split()
        if not re.fullmatch(r"[A-Za-z0-9_\-./]+(\?[^\s]*)?", address):
            raise ValueError(
                f"页面路径 {item['address'] or '（空）'} 不对：应为模板中的页面，如 pages/index/index（85007）。"
            )
        if len(tags) > LIMITS["tags"] or any(len(t) > LIMITS["tag"] for t in tags):
            raise ValueError(
                f"{address} 的标签最多 10 个、每个最长 20 个字符，用空格分隔（85006）。"
            )
        if len(item["title"]) > LIMITS["title"]:
            raise ValueError(f"{address} 的标题最长 32 个字符（85011）。")
        out.append({"address": address, "tag": " ".join(tags), "title": item["title"]})
    if len(out) > LIMITS["items"]:
        raise ValueError("审核表单最多 5 个页面（85023）。")
    return tuple(out)


def _choice(choices: tuple[str, ...], what: str):
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"{what}只能是 {' 或 '.join(choices)}。")
        return value

    return check


def _template_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,12}", str(value).strip()):
        raise ValueError("模板编号（template_id）须为数字。")
    return int(str(value).strip())


def _ext_json(value: Any) -> str:
    text = _text(value, "ext_json 模板", 64 * 1024, required=True)
    if problem := ext_json_problem(text):
        raise ValueError(problem)
    return text


CLEAN = {
    "template_id": _template_id,
    "template_version": lambda v: _text(v, "模板版本号（user_version）", 64),
    "ext_json_template": _ext_json,
    "server_domains": _server,
    "webview_domains": lambda v: _domains(v, "https", "业务域名", LIMITS["webview"]),
    "domain_way": _choice(WAYS, "设置域名的方式"),
    "privacy_contact": _contact,
    "privacy_notice_method": lambda v: _text(v, "隐私告知方式", 200, required=True),
    "privacy_purposes": _purposes,
    "audit_items": _items,
    "release_policy": _choice(POLICIES, "发布方式"),
}


def bare_hosts(domains: Iterable[str]) -> tuple[str, ...]:
    """Hosts as the platform's own lists take them: no protocol, no port, no path."""
    return tuple(dict.fromkeys(urlsplit(d).hostname or "" for d in domains if d))
