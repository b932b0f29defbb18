"""The merchant's consent to SMS: given with the form (接收短信通知), kept with its time,
withdrawn on the status page. No consent, no SMS: the outbox asks ``active`` each time.

Consent belongs to one submission and its contact phone; a resubmission of the same
facts made from the status page carries it over (the same merchant, the same phone).
"""

from __future__ import annotations

import time

import sqlite_utils

from portal.db import first, transaction
from portal.notify.phones import e164

#: The line beside the checkbox, saying which messages the merchant will get.
WHAT_YOU_GET = (
    "勾选后，平台会在需要您或法定代表人操作时发短信提醒：等待法人确认、注册成功或未成功、"
    "上线设置需要修改、审核未通过、小程序发布上线。不含验证码，可随时在进度页关闭。"
)
NEEDS_MOBILE = "接收短信通知需要填写手机号（11 位）；座机收不到短信。"


def form_problem(phone: str, wanted: bool) -> str | None:
    """What the form says when the checkbox is ticked without a mobile number."""
    if wanted and e164(phone) is None:
        return NEEDS_MOBILE
    return None


def grant(db: sqlite_utils.Database, submission_id: int, now: float | None = None) -> None:
    """Record the consent given with the form, with its time (given again: the new time)."""
    now = time.time() if now is None else now
    with transaction(db):
        db.execute(
            "INSERT INTO sms_consents (submission_id, granted_at) VALUES (?, ?) "
            "ON CONFLICT(submission_id) DO UPDATE SET granted_at = excluded.granted_at, "
            "revoked_at = NULL",
            [submission_id, now],
        )


def revoke(db: sqlite_utils.Database, submission_id: int, now: float | None = None) -> bool:
    """Withdraw consent and drop what is still queued; True when it was on."""
    now = time.time() if now is None else now
    with transaction(db):
        cursor = db.execute(
            "UPDATE sms_consents SET revoked_at = ? WHERE submission_id = ? AND revoked_at IS NULL",
            [now, submission_id],
        )
        db.execute(
            "UPDATE sms_messages SET state = 'dropped', answer = '商户已关闭短信通知', "
            "updated_at = ? WHERE submission_id = ? AND state = 'queued' AND audience = 'merchant'",
            [now, submission_id],
        )
    return cursor.rowcount == 1


def get(db: sqlite_utils.Database, submission_id: int) -> dict | None:
    return first(db, "SELECT * FROM sms_consents WHERE submission_id = ?", [submission_id])


def active(db: sqlite_utils.Database, submission_id: int) -> bool:
    row = get(db, submission_id)
    return row is not None and row["revoked_at"] is None


def carry(db: sqlite_utils.Database, previous_id: int, submission_id: int) -> None:
    """A resubmission of the same facts keeps the previous one's consent."""
    if active(db, previous_id):
        grant(db, submission_id)
