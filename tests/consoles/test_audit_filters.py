"""portal.audit.filtered: the admin's audit log narrowed by actor, action, dates and
submission, newest first, one page at a time, each row as a person reads it."""

import pytest

from portal import audit
from portal.audit import AuditFilters

DAY = 86400.0
NOW = 1_700_000_000.0


def _audit(db, at, username, action, target, detail=""):
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, action, target, detail, address) "
        "VALUES (?, NULL, ?, ?, ?, ?, '')",
        [at, username, action, target, detail],
    )
    db.conn.commit()


@pytest.fixture
def logged(db):
    _audit(db, NOW - 10 * DAY, "staff", "view submission", "submission 7", "mark-1")
    _audit(db, NOW - DAY, "staff", "add note", "submission 8", "mark-2")
    _audit(db, NOW, "alice", "view push xml", "push 3", "submission 7")
    _audit(db, NOW + 1, "alice", "view submission", "submission 7", "mark-4")
    return db


def _details(rows):
    return [row["detail"] for row in rows]


def test_no_filter_gives_every_row_newest_first(logged):
    assert _details(audit.filtered(logged, AuditFilters())) == [
        "mark-4", "submission 7", "mark-2", "mark-1",
    ]  # fmt: skip


def test_each_filter_narrows_and_they_combine(logged):
    assert _details(audit.filtered(logged, AuditFilters(actor="alice"))) == [
        "mark-4", "submission 7",
    ]  # fmt: skip
    by_action = audit.filtered(logged, AuditFilters(action="view submission"))
    assert _details(by_action) == ["mark-4", "mark-1"]
    assert {row["action_label"] for row in by_action} == {"查看申请"}
    since = audit.filtered(logged, AuditFilters(date_from=NOW - 2 * DAY))
    assert _details(since) == ["mark-4", "submission 7", "mark-2"]
    before = audit.filtered(logged, AuditFilters(date_to=NOW))  # the end is exclusive
    assert _details(before) == ["mark-2", "mark-1"]
    both = AuditFilters(actor="staff", date_from=NOW - 2 * DAY, date_to=NOW)
    assert _details(audit.filtered(logged, both)) == ["mark-2"]
    assert audit.filtered(logged, AuditFilters(actor="nobody")) == []


def test_a_submission_matches_its_target_or_a_detail_naming_it(logged):
    rows = audit.filtered(logged, AuditFilters(submission=7))
    assert _details(rows) == ["mark-4", "submission 7", "mark-1"]  # the push names it
    assert _details(audit.filtered(logged, AuditFilters(submission=8))) == ["mark-2"]
    assert audit.filtered(logged, AuditFilters(submission=70)) == []  # no prefix match


def test_pages_split_the_filtered_rows(logged):
    filters = AuditFilters(submission=7)
    assert _details(audit.filtered(logged, filters, page=1, per_page=2)) == [
        "mark-4", "submission 7",
    ]  # fmt: skip
    assert _details(audit.filtered(logged, filters, page=2, per_page=2)) == ["mark-1"]
    assert audit.filtered(logged, filters, page=3, per_page=2) == []
