"""The webhook outbox: an event per change, written in the transaction that made it.

``enqueue`` runs inside the caller's transaction (a state change, a push), so an event
exists exactly when its change was committed: a crash either keeps both or neither.
It stores a snapshot of the submission without personal data or secrets; the worker
builds each endpoint's payload from it (``webhooks.payload``) and delivers it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from portal.db import insert
from portal.notify import outbox as sms

#: Event type → what it means (the admin's checkboxes, the OpenAPI description).
EVENT_TYPES: dict[str, str] = {
    "submission.created": "申请已保存，等待提交给微信",
    "submission.sent": "微信已受理创建任务",
    "submission.awaiting_legal_person": "等待法人确认（人脸核验）",
    "submission.succeeded": "注册成功，已得到 AppID",
    "submission.authorized": "新小程序已授权给平台",
    "submission.failed": "微信推送了失败结果",
    "submission.rejected": "微信拒绝了创建请求",
    "submission.expired": "法人未在 24 小时内完成确认，或已拒绝（result_status 写明是哪一种）",
    "submission.held": "平台暂停处理，等待客服",
    "miniprogram.name_set": "小程序名称已设置（含名称审核通过）",
    "miniprogram.category_approved": "小程序类目已通过",
    "miniprogram.audit_submitted": "小程序代码已提交微信审核",
    "miniprogram.audit_passed": "小程序代码审核通过",
    "miniprogram.audit_failed": "小程序代码审核未通过",
    "miniprogram.audit_withdrawn": "小程序代码审核已撤回（并非未通过）",
    "miniprogram.released": "小程序已发布上线",
    "authorizer.unauthorized": "小程序取消了对平台的授权",
    "authorizer.updateauthorized": "小程序更新了授权的权限集",
    "platform.alert": "运维告警：票据超时、有暂停的申请、提审额度用尽或数据库复制停止（开始时发一次）",
    "ping": "测试事件（管理员在接收地址页面发送）",
}
#: The test event: never subscribed to, enqueued for one endpoint by ``enqueue_test``.
TEST_EVENT = "ping"
#: What an endpoint can subscribe to (the admin's checkboxes).
SUBSCRIBABLE = {k: v for k, v in EVENT_TYPES.items() if k != TEST_EVENT}

#: The state a submission moved to → the event it makes.
STATE_EVENTS = {
    "queued": "submission.created",
    "awaiting_legal_person": "submission.awaiting_legal_person",
    "succeeded": "submission.succeeded",
    "authorized": "submission.authorized",
    "failed": "submission.failed",
    "rejected": "submission.rejected",
    "expired": "submission.expired",
    "held": "submission.held",
}

#: Columns a snapshot keeps: never a token, an auth_code or the legal person's facts
#: (those are read from the submission at delivery, for endpoints that may have them).
SNAPSHOT_COLUMNS = (
    "id",
    "flavor",
    "state",
    "name",
    "code",
    "code_type",
    "appid",
    "taskid",
    "errcode",
    "errmsg",
    "push_status",
    "push_msg",
    "refused",
    "previous_id",
    "partner_id",
    "public_id",
    "created_at",
    "updated_at",
)


def state_events(from_state: str | None, to_state: str) -> list[str]:
    """The events of one state change (a create WeChat accepted is also "sent")."""
    if from_state == to_state:
        return []
    found = []
    if from_state == "sending" and to_state in ("checking", "awaiting_legal_person"):
        found.append("submission.sent")
    if to_state == "queued" and from_state is not None:
        return found  # queued again to be resent: not a new submission
    if to_state in STATE_EVENTS:
        found.append(STATE_EVENTS[to_state])
    return found


def _subscribed(db: sqlite_utils.Database, event_type: str) -> list[int]:
    rows = db.execute("SELECT id, event_types FROM webhook_endpoints WHERE disabled = 0")
    return [id_ for id_, types in rows if event_type in types.split(",")]


def enqueue(
    db: sqlite_utils.Database,
    event_type: str,
    subject: str,
    snapshot: Mapping[str, Any],
    *,
    submission_id: int | None = None,
    now: float | None = None,
) -> int | None:
    """Record one event and a delivery per endpoint that wants it (in the caller's transaction).

    Nothing is stored when no endpoint subscribes: events exist to be delivered.
    """
    endpoints = _subscribed(db, event_type)
    if not endpoints:
        return None
    now = time.time() if now is None else now
    event_id = _record(db, event_type, subject, snapshot, submission_id, now)
    for endpoint_id in endpoints:
        _deliver_to(db, event_id, endpoint_id, subject, now)
    return event_id


def enqueue_test(db: sqlite_utils.Database, endpoint_id: int, now: float | None = None) -> int:
    """A ``ping`` event for one endpoint only, delivered like any other (in the caller's
    transaction); return its delivery's id."""
    now = time.time() if now is None else now
    subject = f"endpoint:{endpoint_id}"
    event_id = _record(db, TEST_EVENT, subject, {"endpoint_id": endpoint_id}, None, now)
    return _deliver_to(db, event_id, endpoint_id, subject, now)


def _record(
    db: sqlite_utils.Database,
    event_type: str,
    subject: str,
    snapshot: Mapping[str, Any],
    submission_id: int | None,
    now: float,
) -> int:
    row = {
        "type": event_type,
        "subject": subject,
        "submission_id": submission_id,
        "snapshot": json.dumps(dict(snapshot), ensure_ascii=False),
        "created_at": now,
    }
    return insert(db, "webhook_events", row)


def _deliver_to(
    db: sqlite_utils.Database, event_id: int, endpoint_id: int, subject: str, now: float
) -> int:
    row = {
        "event_id": event_id,
        "endpoint_id": endpoint_id,
        "subject": subject,
        "state": "pending",
        "next_attempt_at": now,
        "created_at": now,
    }
    return insert(db, "webhook_deliveries", row)


def submission_changed(
    db: sqlite_utils.Database, row: Mapping[str, Any], from_state: str | None, now: float
) -> None:
    """Enqueue the events of a submission's state change (``row`` as it now is)."""
    sms.submission_changed(db, row, from_state, now)  # the merchant's SMS, if they opted in
    events = state_events(from_state, row["state"])
    if not events:
        return
    snapshot = {column: row.get(column) for column in SNAPSHOT_COLUMNS}
    snapshot["previous_state"] = from_state
    for event_type in events:
        enqueue(
            db, event_type, f"submission:{row['id']}", snapshot, submission_id=row["id"], now=now
        )
