"""Privacy (SETUP §3), A-token despite the ``/cgi-bin/component/`` path (a C-token: 48001).

- setprivacysetting: ``privacy_ver`` 1 or 2 (86071; default 2); ``owner_setting`` needs
  ``notice_method`` and one of the four contacts (86069); ``store_expire_timestamp`` a
  future Unix time (86072); ``setting_list`` of known keys with a purpose each, required
  (and not empty: the stricter reading) for 2 and forbidden for 1 (40097); code that
  uses no privacy key needs no setting at all (submit_audit); 1 without a live version
  86074; an ``ext_file_media_id`` the sandbox never issued 40007. Version 2 is the development
  setting: it reaches the live version with the next audit and release (§3 rule 1).
- getprivacysetting: ``privacy_list`` holds the keys found in the committed code once
  the privacy scan has ended.
- get_code_privacy_info (GET): 86001 with no commit, 61039 while the scan runs
  (SANDBOX_PRIVACY_SCAN seconds after each commit), then ``without_conf_list`` (keys the
  code uses that setting_list lacks) and ``without_auth_list`` (location APIs the code
  calls that ext_json's requiredPrivateInfos does not declare). submit_audit refuses
  both with 61040.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Response, g

from portal.sandbox.miniprograms import model
from portal.sandbox.miniprograms.calls import GET, POST, a_call, answer, integer

PRIVACY_KEYS = {
    "UserInfo": "用户信息（微信昵称、头像）",
    "Location": "位置信息",
    "Address": "地址",
    "Invoice": "发票信息",
    "RunData": "微信运动数据",
    "Record": "麦克风",
    "Album": "选中的照片或视频信息",
    "Camera": "摄像头",
    "PhoneNumber": "手机号码",
    "Contact": "通讯录（仅写入）权限",
    "DeviceInfo": "设备信息",
    "EXIDNumber": "身份证号码",
    "EXOrderInfo": "订单信息",
    "EXUserPublishContent": "发布内容",
    "EXUserFollowAcct": "所关注账号",
    "EXUserOpLog": "操作日志",
    "AlbumWriteOnly": "相册（仅写入）权限",
    "LicensePlate": "车牌号",
    "BlueTooth": "蓝牙",
    "CalendarWriteOnly": "日历（仅写入）权限",
    "Email": "邮箱",
    "MessageFile": "选中的文件",
    "ChooseLocation": "选择的位置信息",
    "Clipboard": "剪切板",
}
CONTACTS = ("contact_email", "contact_phone", "contact_qq", "contact_weixin")
DEV, LIVE = 2, 1


def uncovered(version: dict, setting: dict | None) -> list[str]:
    """The privacy keys the code uses that the setting does not cover."""
    covered = {row["privacy_key"] for row in (setting or {}).get("setting_list", [])}
    return [key for key in model.listed(version["privacy_keys"]) if key not in covered]


def undeclared(version: dict) -> list[str]:
    """The location APIs the code calls that requiredPrivateInfos does not declare."""
    declared = set(model.listed(version["declared_apis"]))
    return [api for api in model.listed(version["location_apis"]) if api not in declared]


def scanning(version: dict | None) -> bool:
    return version is not None and time.time() < version["scan_until"]


def _owner_errcode(owner: Any) -> int:
    if not isinstance(owner, dict):
        return 86069
    if not any(isinstance(owner.get(k), str) and owner[k].strip() for k in CONTACTS):
        return 86069
    notice = owner.get("notice_method")
    if not isinstance(notice, str) or not notice.strip():
        return 86069
    expire = owner.get("store_expire_timestamp")
    if expire not in (None, ""):
        stamp = integer(expire)
        if stamp is None or stamp <= time.time():
            return 86072
    return 40007 if owner.get("ext_file_media_id") else 0


def _settings_errcode(rows: Any) -> int:
    if not isinstance(rows, list) or not rows:
        return 40097
    keys = [row.get("privacy_key") if isinstance(row, dict) else None for row in rows]
    if any(key not in PRIVACY_KEYS for key in keys) or len(set(keys)) != len(keys):
        return 40097
    texts = [row.get("privacy_text") for row in rows]
    return 0 if all(isinstance(t, str) and t.strip() for t in texts) else 40097


@a_call("/cgi-bin/component/setprivacysetting", POST)
def setprivacysetting(mp: dict, data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    ver = integer(data.get("privacy_ver", DEV))
    if ver not in (DEV, LIVE):
        return answer(86071)
    owner = data.get("owner_setting")
    failed = _owner_errcode(owner)
    if failed:
        return answer(failed)
    if ver == LIVE:
        if "setting_list" in data:
            return answer(40097)
        if model.current_release(db, appid) is None:
            return answer(86074)
        live = dict(mp["privacy_live"] or {})
        live["owner_setting"] = owner
        model.update(db, appid, privacy_live=live, privacy_updated=time.time())
        return answer(0)
    failed = _settings_errcode(data.get("setting_list"))
    if failed:
        return answer(failed)
    rows = [
        {"privacy_key": row["privacy_key"], "privacy_text": row["privacy_text"]}
        for row in data["setting_list"]
    ]
    setting = {"owner_setting": owner, "setting_list": rows}
    model.update(db, appid, privacy=setting, privacy_updated=time.time())
    return answer(0)


@a_call("/cgi-bin/component/getprivacysetting", POST)
def getprivacysetting(mp: dict, data: dict) -> Response:
    ver = integer(data.get("privacy_ver", DEV))
    if ver not in (DEV, LIVE):
        return answer(86071)
    db, appid = g.sandbox_db, mp["appid"]
    setting = mp["privacy"] if ver == DEV else mp["privacy_live"]
    if ver == LIVE and model.current_release(db, appid) is None:
        return answer(86074)
    version = model.latest_version(db, appid)
    found = [] if version is None or scanning(version) else model.listed(version["privacy_keys"])
    rows = [
        {**row, "privacy_label": PRIVACY_KEYS[row["privacy_key"]]}
        for row in (setting or {}).get("setting_list", [])
    ]
    desc = [{"privacy_key": k, "privacy_desc": v} for k, v in PRIVACY_KEYS.items()]
    return answer(
        0,
        code_exist=0 if version is None else 1,
        privacy_list=found,
        setting_list=rows,
        update_time=int(mp["privacy_updated"] or 0),
        owner_setting=(setting or {}).get("owner_setting", {}),
        privacy_desc={"privacy_desc_list": desc},
        sdk_privacy_info_list=[],
    )


@a_call("/wxa/security/get_code_privacy_info", GET)
def get_code_privacy_info(mp: dict, _data: dict) -> Response:
    version = model.latest_version(g.sandbox_db, mp["appid"])
    if version is None:
        return answer(86001)
    if scanning(version):
        return answer(61039)
    return answer(
        0,
        without_auth_list=undeclared(version),
        without_conf_list=uncovered(version, mp["privacy"]),
    )
