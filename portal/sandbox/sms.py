"""The SMS twin: Tencent Cloud SMS's SendSms as the sandbox answers it, and the phones.

``POST /sandbox/sms`` takes what the portal's sandbox provider sends (SendSms's fields,
plus the rendered text), checks it by Tencent's rules, never more leniently, and
answers in Tencent's shape (``{"Response": {"SendStatusSet": [...]}}`` or
``{"Response": {"Error": ...}}``). ``GET /sandbox/sms/`` shows each phone's texts, as
the merchant's or the operator's phone would.

Tencent's rules kept here: a mainland number (+86), an SdkAppId (10 digits), a signature,
a template id (digits), each template value at most 6 characters and never a link, the
text at most 500 characters, and per phone at most one text of one template in 30
seconds and 10 a day. The magic number +8613800000000 always answers
``LimitExceeded.PhoneNumberDailyLimit`` (to show a failed text).
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request

from portal.db import insert, transaction
from portal.timefmt import day_start

bp = Blueprint("sandbox_sms", __name__, url_prefix="/sandbox/sms")

PHONE = re.compile(r"^\+861[3-9]\d{9}$")
SDK_APP_ID = re.compile(r"^\d{10}$")
PARAM_MAX, TEXT_MAX, DAILY, SAME_TEMPLATE_SECONDS = 6, 500, 10, 30
DAILY_LIMITED = "+8613800000000"


def _error(code: str, message: str) -> Response:
    request_id = secrets.token_hex(8)
    return jsonify(
        {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}
    )


def _status(phone: str, code: str, message: str, serial: str = "") -> Response:
    status = {"SerialNo": serial, "PhoneNumber": phone, "Fee": 1 if code == "Ok" else 0,
              "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN"}  # fmt: skip
    return jsonify({"Response": {"SendStatusSet": [status], "RequestId": secrets.token_hex(8)}})


def problem(body: dict[str, Any]) -> tuple[str, str] | None:
    """The request-level error Tencent would answer, or None."""
    phones, params = body.get("PhoneNumberSet"), body.get("TemplateParamSet")
    if not isinstance(phones, list) or len(phones) != 1 or not isinstance(params, list):
        return "InvalidParameter", "PhoneNumberSet 须为一个号码，TemplateParamSet 须为数组"
    if not SDK_APP_ID.match(str(body.get("SmsSdkAppId") or "")):
        return "InvalidParameterValue.SdkAppIdNotExist", "SmsSdkAppId 不存在"
    if not str(body.get("SignName") or ""):
        return "FailedOperation.SignatureIncorrectOrUnapproved", "签名未填写或未审核通过"
    if not str(body.get("TemplateId") or "").isdigit():
        return "FailedOperation.TemplateIncorrectOrUnapproved", "模板 ID 错误或未审核通过"
    for value in params:
        text = str(value)
        if not text or len(text) > PARAM_MAX:
            return "InvalidParameterValue.TemplateParameterLengthLimit", "单个模板变量超过 6 个字符"
        if "://" in text or "/" in text or "www." in text.lower():
            return "InvalidParameterValue.TemplateParameterFormatError", "模板变量不能是链接"
    text = str(body.get("Text") or "")
    if not text.startswith(f"【{body['SignName']}】") or len(text) > TEXT_MAX + 20:
        return "InvalidParameterValue.ContentLengthLimit", "短信内容超过 500 字或与签名不符"
    if any(str(value) not in text for value in params):
        return "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "变量与模板不符"
    return None


@bp.post("")
def send() -> Response:
    """SendSms: check, record, answer as Tencent does."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("InvalidParameter", "请求体不是 JSON 对象")
    if found := problem(body):
        return _error(*found)
    phone = str(body["PhoneNumberSet"][0])
    if not PHONE.match(phone):
        return _status(phone, "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误")
    if phone == DAILY_LIMITED:
        return _status(
            phone, "LimitExceeded.PhoneNumberDailyLimit", "单个手机号日下发短信条数超过设定的上限"
        )
    db, now = g.sandbox_db, time.time()
    with transaction(db):
        today = db.execute(
            "SELECT count(*) FROM sms WHERE phone = ? AND at >= ?", [phone, day_start(now)]
        ).fetchone()[0]
        recent = db.execute(
            "SELECT count(*) FROM sms WHERE phone = ? AND template_id = ? AND at > ?",
            [phone, str(body["TemplateId"]), now - SAME_TEMPLATE_SECONDS],
        ).fetchone()[0]
        if today >= DAILY:
            return _status(
                phone,
                "LimitExceeded.PhoneNumberDailyLimit",
                "单个手机号日下发短信条数超过设定的上限",
            )
        if recent:
            return _status(
                phone, "LimitExceeded.PhoneNumberThirtySecondLimit", "30 秒内同一模板只能发一条"
            )
        serial = secrets.token_hex(10)
        insert(db, "sms", {
            "phone": phone, "sign": str(body["SignName"]), "template_id": str(body["TemplateId"]),
            "params": ",".join(str(p) for p in body["TemplateParamSet"]),
            "moment": str(body.get("Moment") or ""), "text": str(body["Text"]), "serial": serial,
            "at": now,
        })  # fmt: skip
    return _status(phone, "Ok", "send success", serial)


def messages(db) -> dict[str, list[dict]]:
    """Each phone's texts, newest phone first, each phone's texts oldest first."""
    phones: dict[str, list[dict]] = {}
    for row in db.query("SELECT * FROM sms ORDER BY id DESC LIMIT 500"):
        phones.setdefault(row["phone"], []).insert(0, row)
    return phones


@bp.get("/")
def phones() -> str:
    return render_template("sandbox/sms.html", phones=messages(g.sandbox_db), now=time.time())


@bp.get("/messages")
def listing() -> Response:
    """The texts as JSON, for tests: [{phone, moment, text, …}], oldest first."""
    rows = [row for texts in messages(g.sandbox_db).values() for row in texts]
    return jsonify(sorted(rows, key=lambda row: row["id"]))
