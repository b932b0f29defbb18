"""Migration 23: stored comparison keys follow ``normalize.match_key``, so a result push
that repeats an older submission's facts (typed before the name rules changed) still
finds it, and the same person typed again is the same task."""

import time

from portal import normalize
from portal.db import connect, migrate
from portal.migrations import MIGRATIONS
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS

CODE = "91440101MA59TEST9X"


def old_key(*parts: str) -> str:
    """match_key as it was before migration 23."""
    return "|".join((p or "").replace("-", "").casefold() for p in parts)


def test_an_older_submission_is_found_by_its_push_and_by_its_facts_typed_again(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    migrate(db, MIGRATIONS[:22])
    now = time.time()
    rows = (("阿卜杜.热合曼", "wx_abudu1"), ("JohnSmith", "johnsmith88"))
    for n, (person, wechat) in enumerate(rows, start=1):
        name = f"广州市迁移{n}科技有限公司"
        db.execute(
            "INSERT INTO submissions (id, public_id, flavor, name, code, code_type, "
            "legal_persona_wechat, legal_persona_name, match_key, state, sent_at, "
            "first_sent_at, deadline_at, next_search_at, created_at, updated_at) "
            "VALUES (?, ?, 'classic', ?, ?, 1, ?, ?, ?, 'checking', ?, ?, ?, ?, ?, ?)",
            [n, f"p{n}", name, CODE, wechat, person, old_key(name, CODE, wechat, person),
             now - 60, now - 60, now + 86400, now + 60, now - 60, now - 60],
        )  # fmt: skip
    db.conn.commit()
    assert 23 in migrate(db)
    classic = FLAVORS["classic"]
    echoed = {"name": "广州市迁移1科技有限公司", "code": CODE,
              "legal_persona_wechat": "wx_abudu1", "legal_persona_name": "阿卜杜.热合曼"}  # fmt: skip
    assert normalize.person_name("阿卜杜.热合曼") == "阿卜杜·热合曼"  # what the key now sees
    assert classic.find_for_push(db, echoed, now)["id"] == 1
    retyped = {"name": "广州市迁移2科技有限公司", "code": CODE,
               "legal_persona_wechat": "johnsmith88", "legal_persona_name": "John Smith"}  # fmt: skip
    assert subs.in_flight_for(db, classic.match_key(retyped))["id"] == 2


def test_migration_23_stores_mobiles_as_the_form_now_does(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    migrate(db, MIGRATIONS[:22])
    typed = ("+8613800138000", "8613900139000", "137-0013-7000", "020-12345678", "13600136000")
    for n, phone in enumerate(typed, start=1):
        db.execute(
            "INSERT INTO submissions (id, public_id, flavor, name, code, match_key, state, "
            "contact_phone, created_at, updated_at) "
            "VALUES (?, ?, 'classic', 'n', 'c', 'k', 'queued', ?, 1, 1)",
            [n, f"p{n}", phone],
        )
    db.conn.commit()
    migrate(db)
    stored = [r[0] for r in db.execute("SELECT contact_phone FROM submissions ORDER BY id")]
    assert stored == ["13800138000", "13900139000", "13700137000", "020-12345678", "13600136000"]
    assert stored == [normalize.contact_phone(p) for p in typed]
