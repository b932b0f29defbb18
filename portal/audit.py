"""The audit log: who viewed personal data or acted, when, from where. Admins read it."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl

import sqlite_utils
from flask import request
from flask_login import current_user

from portal.db import get_db, insert, transaction


def record(action: str, target: str = "", detail: str = "", actor: str | None = None) -> None:
    """Log an action of the logged-in user (or of ``actor``, an API key) on ``target``."""
    db = get_db()
    user = current_user if actor is None and current_user.is_authenticated else None
    with transaction(db):
        insert(
            db,
            "audit_log",
            {
                "at": time.time(),
                "user_id": user.id if user else None,
                "username": user.username if user else (actor or ""),
                "action": action,
                "target": target,
                "detail": detail[:500],
                "address": request.remote_addr or "",
            },
        )


#: What each action means, for the admin's audit log page.
LABELS = {
    "add note": "添加备注", "ask wechat": "请求向微信查询", "create link": "创建推广链接",
    "create partner": "添加代理商", "login": "登录", "logout": "退出登录",
    "logout everywhere": "退出所有设备", "release held submission": "恢复暂停的申请",
    "reset password": "重置密码", "search submissions": "查找申请",
    "submit on behalf": "代商户提交", "view merchants": "查看名下商户",
    "view push xml": "查看推送原文", "view submission": "查看申请",
    "disable link": "停用推广链接", "enable link": "启用推广链接",
    "disable partner": "停用代理商", "enable partner": "启用代理商",
    "disable user": "停用账号", "enable user": "启用账号",
    "purge personal data": "按保留期限清除个人信息", "recover status link": "找回进度页链接",
    "api call": "API 调用", "create api key": "创建 API 密钥", "revoke api key": "吊销 API 密钥",
    "create webhook": "添加 Webhook", "disable webhook": "停用 Webhook",
    "enable webhook": "启用 Webhook", "rotate webhook secret": "更换 Webhook 签名密钥",
    "resend webhook": "重新发送 Webhook",
}  # fmt: skip
SEARCH_FIELDS = {"name": "企业名称", "code": "企业代码", "legal_name": "法人姓名",
                 "wechat": "法人微信号", "state": "状态", "partner": "代理商",
                 "date_from": "从", "date_to": "到", "page": "页"}  # fmt: skip


def shown(row: dict) -> dict:
    """An audit row as a person reads it: the action in Chinese, a search's terms decoded."""
    detail = row["detail"]
    if row["action"] == "search submissions" and "=" in detail:
        terms = [(SEARCH_FIELDS.get(k, k), v) for k, v in parse_qsl(detail) if v]
        detail = "，".join(f"{k}：{v}" for k, v in terms)
    return {**row, "action_label": LABELS.get(row["action"], row["action"]), "detail": detail}


def recent(db: sqlite_utils.Database, page: int = 1, per_page: int = 50) -> list[dict]:
    rows = db.query(
        "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
        [per_page, (page - 1) * per_page],
    )
    return [shown(row) for row in rows]
