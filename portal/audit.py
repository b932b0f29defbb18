"""The audit log: who viewed personal data or acted, when, from where. Admins read it.

Calls nobody authenticated (a bad API key, the public description) are not written one
by one: each row takes SQLite's write lock, so a flood of them stalled every write in
the portal. ``tally`` counts them in memory, per process and per address, and writes one
summary row at most every ``TALLY_SECONDS`` (the first at once). A process that stops
loses at most that interval's counts.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import sqlite_utils
from flask import current_app, request
from flask_login import current_user

from portal.db import get_db, insert, transaction

#: At most one summary row per tally this often.
TALLY_SECONDS = 60.0
#: Distinct addresses a tally keeps apart in one interval; the rest count as one.
TALLY_ADDRESSES = 1000
OTHER_ADDRESSES = "其他地址"
#: Rows on one page of the admin's audit log.
PER_PAGE = 50


def _row(
    action: str, target: str, detail: str, username: str, user_id: int | None, address: str
) -> dict:
    return {
        "at": time.time(),
        "user_id": user_id,
        "username": username,
        "action": action,
        "target": target,
        "detail": detail[:500],
        "address": address,
    }


def record(action: str, target: str = "", detail: str = "", actor: str | None = None) -> None:
    """Log an action of the logged-in user (or of ``actor``, an API key) on ``target``."""
    db = get_db()
    user = current_user if actor is None and current_user.is_authenticated else None
    row = _row(
        action,
        target,
        detail,
        user.username if user else (actor or ""),
        user.id if user else None,
        request.remote_addr or "",
    )
    with transaction(db):
        insert(db, "audit_log", row)
        # This write holds the lock anyway: add the summaries that are due.
        for summary in _due(time.time()):
            insert(db, "audit_log", summary)


@dataclass
class _Tally:
    action: str
    actor: str
    count: int = 0
    addresses: Counter = field(default_factory=Counter)
    last: str = ""
    flushed_at: float = 0.0

    def add(self, address: str, detail: str) -> None:
        self.count += 1
        if address in self.addresses or len(self.addresses) < TALLY_ADDRESSES:
            self.addresses[address] += 1
        else:
            self.addresses[OTHER_ADDRESSES] += 1
        self.last = detail

    def take(self, now: float) -> dict | None:
        """The summary row of what was counted since the last one (None if nothing)."""
        if not self.count or now - self.flushed_at < TALLY_SECONDS:
            return None
        seen = ", ".join(f"{a or '?'} ×{n}" for a, n in self.addresses.most_common(5))
        more = len(self.addresses) - 5
        detail = f"{seen}{f' 等 {len(self.addresses)} 个地址' if more > 0 else ''}；最近一次：{self.last}"
        row = _row(self.action, f"{self.count} calls", detail[-500:], self.actor, None, "")
        row["address"] = self.addresses.most_common(1)[0][0]
        self.count, self.addresses, self.last, self.flushed_at = 0, Counter(), "", now
        return row


_lock = threading.Lock()


def _tallies() -> dict[tuple[str, str], _Tally]:
    return current_app.extensions.setdefault("audit_tallies", {})


def _due(now: float) -> list[dict]:
    with _lock:
        rows = [tally.take(now) for tally in _tallies().values()]
    return [row for row in rows if row]


def tally(action: str, detail: str, actor: str) -> None:
    """Count an unauthenticated call; write one summary row at most every TALLY_SECONDS."""
    now = time.time()
    with _lock:
        counted = _tallies().setdefault((action, actor), _Tally(action, actor))
        counted.add(request.remote_addr or "", detail)
        row = counted.take(now)
    if row is not None:
        db = get_db()
        with transaction(db):
            insert(db, "audit_log", row)


#: What each action means, for the admin's audit log page.
LABELS = {
    "save golive setup": "保存上线设置", "refresh golive templates": "刷新代码模板列表",
    "add golive draft": "草稿加入模板库", "register golive domains": "登记服务器域名",
    "ask golive permissions": "查询小程序权限集",
    "retry golive step": "重试暂停的上线步骤", "give back golive step": "退回上线步骤给商户修改",
    "undo code audit": "请求撤回代码审核",
    "speedup code audit": "请求加急代码审核", "view message push xml": "查看消息推送原文",
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
    "reveal status link": "查看商户进度页链接（代理商重新发送）",
    "bulk release held submissions": "批量恢复暂停的申请",
    "bulk release held golive steps": "批量恢复暂停的上线步骤",
    "send webhook test": "发送 Webhook 测试事件",
}  # fmt: skip
SEARCH_FIELDS = {"name": "企业名称", "code": "企业代码", "legal_name": "法人姓名",
                 "wechat": "法人微信号", "state": "状态", "partner": "代理商",
                 "date_from": "从", "date_to": "到", "page": "页", "phone": "联系电话",
                 "outcome": "失败代码", "changed_from": "状态变化从"}  # fmt: skip


#: The target retention gives a search line whose personal terms it purged
#: (portal.registration.retention.SEARCH_PURGED; a search has no target of its own).
SEARCH_PURGED = "检索词已按保留期限清除"


def shown(row: dict) -> dict:
    """An audit row as a person reads it: the action in Chinese, a search's terms decoded."""
    detail = row["detail"]
    if row["action"] == "search submissions" and "=" in detail:
        terms = [(SEARCH_FIELDS.get(k, k), v) for k, v in parse_qsl(detail) if v]
        detail = "，".join(f"{k}：{v}" for k, v in terms)
    if row["action"] == "search submissions" and row["target"] == SEARCH_PURGED:
        detail = "，".join(filter(None, [detail, "姓名、微信号等检索词已按保留期限清除"]))
    return {**row, "action_label": LABELS.get(row["action"], row["action"]), "detail": detail}


@dataclass
class AuditFilters:
    """What the admin's audit log is narrowed to; empty fields filter nothing."""

    actor: str = ""
    action: str = ""  # the action the log stores, not its Chinese label
    date_from: float | None = None  # from this timestamp on
    date_to: float | None = None  # before this timestamp
    submission: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["1 = 1"], []
        if self.actor:
            clauses.append("username = ?")
            params.append(self.actor)
        if self.action:
            clauses.append("action = ?")
            params.append(self.action)
        if self.date_from is not None:
            clauses.append("at >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("at < ?")
            params.append(self.date_to)
        if self.submission is not None:
            # Its own rows, and those that name it in their detail (a push of it).
            clauses.append("(target = ? OR detail = ?)")
            params += [f"submission {self.submission}"] * 2
        return " AND ".join(clauses), params


def filtered(
    db: sqlite_utils.Database, filters: AuditFilters, page: int = 1, per_page: int = PER_PAGE
) -> list[dict]:
    """One page of the rows ``filters`` let through, newest first, as ``shown`` reads them."""
    where, params = filters.where()
    rows = db.query(
        f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    return [shown(row) for row in rows]
