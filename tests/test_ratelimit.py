"""Item 18: a rate limit's check and its record are one atomic step.

Counting and then inserting in two steps let a concurrent burst through: every request
counted before any had recorded. Each thread below has its own SQLite connection to the
same file, as the page workers and processes do, and exactly ``limit`` get through.
"""

import threading

import pytest

from portal import ratelimit
from portal.db import connect

LIMIT = 5
THREADS = 24


def burst(run):
    """Run ``run()`` in THREADS threads released at once; return their answers."""
    start = threading.Barrier(THREADS)
    answers = []

    def one():
        start.wait()
        answers.append(run())

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def events(db, kind="submit"):
    return db.execute("SELECT count(*) FROM rate_events WHERE kind = ?", [kind]).fetchone()[0]


def test_take_lets_exactly_the_limit_through_a_concurrent_burst(app, db):
    path = app.config["DATABASE"]

    def take():
        own = connect(path)
        try:
            return ratelimit.take(own, "submit", "1.2.3.4", LIMIT, 3600)
        finally:
            own.conn.close()

    answers = burst(take)
    assert answers.count(0) == LIMIT and all(a >= 1 for a in answers if a)
    assert events(db) == LIMIT


def test_check_then_record_callers_are_atomic_too(app, db):
    """The routes' pattern (check, do the work, record): a place is held by the check."""
    path = app.config["DATABASE"]
    passed = []

    def request():
        with app.test_request_context("/apply/confirm", method="POST"):
            own = connect(path)
            try:
                wait = ratelimit.minutes_until_allowed(own, "submit", "1.2.3.4", LIMIT, 3600)
                if wait == 0:
                    passed.append(1)
                    ratelimit.record(own, "submit", "1.2.3.4")
                app.process_response(app.response_class())
            finally:
                own.conn.close()
        return wait

    answers = burst(request)
    assert answers.count(0) == LIMIT == len(passed)
    assert events(db) == LIMIT  # recorded once each: the check's place was kept


def test_a_place_not_recorded_is_given_back_when_the_request_ends(app, db):
    """A refused or duplicate attempt (nothing created) does not count, as before."""
    for _ in range(LIMIT + 3):
        with app.test_request_context("/find", method="POST"):
            own = connect(app.config["DATABASE"])
            assert ratelimit.minutes_until_allowed(own, "find", "k", LIMIT, 3600) == 0
            app.process_response(app.response_class())
            own.conn.close()
    assert events(db, "find") == 0


def test_take_all_is_all_or_nothing(db):
    limits = [("find", "1.2.3.4", 10, 3600), ("find-code", "914401", 2, 86400)]
    assert [ratelimit.take_all(db, limits) for _ in range(3)][:2] == [0, 0]
    assert ratelimit.take_all(db, limits) > 0
    assert events(db, "find") == 2 and events(db, "find-code") == 2


@pytest.mark.parametrize("window", [60, 3600, 86400])
def test_the_wait_is_until_the_oldest_counted_event_leaves_the_window(db, window):
    for _ in range(2):
        assert ratelimit.take(db, "submit", "k", 2, window) == 0
    assert ratelimit.take(db, "submit", "k", 2, window) == max(1, -(-window // 60))
