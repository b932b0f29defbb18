"""A backup taken while the portal's tables are being written opens as a consistent copy."""

import sqlite3
import threading

from portal.db import connect
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts


def test_a_backup_during_concurrent_writes_is_consistent_and_restores(app, tmp_path):
    stop = threading.Event()
    written = []

    def writer(prefix: str) -> None:
        db = connect(app.config["DATABASE"])
        n = 0
        while not stop.is_set():
            sub, _ = subs.submit(db, FLAVORS["classic"], facts(f"备份{prefix}{n}科技有限公司"))
            subs.transition(db, sub["id"], subs.SENDING, "x", expect=[subs.QUEUED])
            written.append(sub["id"])
            n += 1
        db.conn.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("甲", "乙")]
    for thread in threads:
        thread.start()
    while len(written) < 50:
        pass
    target = tmp_path / "backups" / "portal-copy.sqlite"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    stop.set()
    for thread in threads:
        thread.join()
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = copy.execute("SELECT count(*) FROM submissions").fetchone()[0]
    assert 50 <= copied <= len(written)
    # Consistent: every copied submission has both of its events, none half-written.
    events = copy.execute(
        "SELECT submission_id, count(*) FROM submission_events GROUP BY submission_id"
    ).fetchall()
    assert len(events) == copied and all(n in (1, 2) for _, n in events)
    half = copy.execute(
        "SELECT count(*) FROM submissions s WHERE s.state = 'sending' AND "
        "(SELECT count(*) FROM submission_events e WHERE e.submission_id = s.id) != 2"
    ).fetchone()[0]
    assert half == 0
    # Restoring is opening the copy: the portal runs on it.
    copy.close()
    import portal

    restored = portal.create_app({**app.config, "DATABASE": str(target)})
    assert restored.test_client().get("/healthz").status_code == 200
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
