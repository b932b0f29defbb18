"""Two processes starting on a fresh database at the same moment both migrate it.

Seen on the deployment's lanes: both gunicorns read "nothing applied", one applied
migration 1 first, and the other's version row failed with an IntegrityError that killed
its workers at boot. Each script that another process applied first is now skipped.
"""

from portal.db import connect, migrate

SCRIPTS = ["CREATE TABLE IF NOT EXISTS t (x);", "ALTER TABLE t ADD COLUMN y;"]


class AppliedMeanwhile(list):
    """The list of migrations; the other process applies them all just after this one
    read which were applied, the widest window of the race."""

    def __init__(self, scripts, other):
        super().__init__(scripts)
        self.other = other

    def __iter__(self):
        migrate(self.other, list(super().__iter__()))
        return super().__iter__()


def test_a_migration_applied_meanwhile_by_another_process_is_skipped(tmp_path):
    path = str(tmp_path / "portal.sqlite")
    first, second = connect(path), connect(path)
    assert migrate(second, AppliedMeanwhile(SCRIPTS, first)) == []
    versions = [r[0] for r in second.execute("SELECT version FROM schema_migrations")]
    assert versions == [1, 2]
    assert [c.name for c in second["t"].columns] == ["x", "y"]
