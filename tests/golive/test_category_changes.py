"""The category step after WeChat rejects a category, in-process against the sandbox:
new photos for the same category go by modifycategory (addcategory would answer 53304
and the photos would never reach WeChat); a changed choice is added, and once it is
approved the rejected one we added is deleted."""

import pytest

from portal.golive import steps as st
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import jpeg, run_until

setup = pipeline.setup  # the pipeline's fixture, with this module's fast_sandbox below
ADD, MODIFY = "cgi-bin.wxopen.addcategory", "cgi-bin.wxopen.modifycategory"
DELETE = "cgi-bin.wxopen.deletecategory"


@pytest.fixture
def fast_sandbox(sandbox_app):
    """The pipeline's fast sandbox, but a category audit ends when a test says so."""
    sandbox_app.config.update(
        SANDBOX_PRIVACY_SCAN=0, SANDBOX_AUDIT_DELAY=0, SANDBOX_NAME_AUDIT_DELAY=0,
        SANDBOX_CATEGORY_AUDIT_DELAY=3600,
    )  # fmt: skip
    return sandbox_app


def end_category_audits(sandbox_db, appid, outcome: str) -> None:
    sandbox_db.execute(
        "UPDATE mp_categories SET outcome = ?, ends_at = 0 WHERE appid = ? AND status = 1",
        [outcome, appid],
    )
    sandbox_db.conn.commit()


def category(db, setup_id) -> dict:
    return st.step(db, setup_id, st.CATEGORY)


def choice(db, setup_id, sensitive: bool) -> dict:
    choices = category(db, setup_id)["result"]["choices"]
    return next(c for c in choices if bool(c["sensitive"]) == sensitive)


def give(db, setup_id, picked: dict, photo_color=(1, 2, 3)) -> None:
    names = [group[0] for group in picked.get("groups", [])] or picked["qualifications"][:1]
    values = {k: picked[k] for k in ("first", "second", "first_name", "second_name")}
    files = [(f"qualification:{n}", "image/jpeg", jpeg(photo_color)) for n in names]
    st.give(db, setup_id, st.CATEGORY, {**values, "qualifications": names}, files)


def held(sandbox_db, appid) -> dict[tuple[int, int], int]:
    sandbox_db.conn.commit()
    sql = "SELECT first, second, status FROM mp_categories WHERE appid = ?"
    return {(r[0], r[1]): r[2] for r in sandbox_db.execute(sql, [appid]).fetchall()}


def rejected(db, jobs, wechat_side, sandbox_db, setup) -> dict:
    """A sensitive category given, added, and rejected by WeChat's category audit."""
    picked = choice(db, setup["id"], sensitive=True)
    give(db, setup["id"], picked)
    jobs.run_once()  # the category task adds it; WeChat audits it
    assert category(db, setup["id"])["state"] == st.WAITING
    end_category_audits(sandbox_db, setup["appid"], "fail")
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.NEEDS_MERCHANT,
    )  # fmt: skip
    return picked


def test_new_photos_for_a_rejected_category_go_by_modifycategory(
    db, jobs, wechat_side, setup, sandbox_db
):
    picked = rejected(db, jobs, wechat_side, sandbox_db, setup)
    pair = (picked["first"], picked["second"])
    assert held(sandbox_db, setup["appid"]) == {pair: 2}
    assert calls(db, ADD) == 1 and calls(db, MODIFY) == 0

    give(db, setup["id"], picked, photo_color=(9, 9, 9))  # a clearer photo of the permit
    jobs.run_once()
    assert category(db, setup["id"])["state"] == st.WAITING
    assert held(sandbox_db, setup["appid"]) == {pair: 1}  # back with WeChat's auditors
    end_category_audits(sandbox_db, setup["appid"], "pass")
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    assert calls(db, ADD) == 1 and calls(db, MODIFY) == 1
    assert held(sandbox_db, setup["appid"]) == {pair: 3}


def test_a_changed_choice_is_added_and_the_rejected_one_deleted_once_approved(
    db, jobs, wechat_side, setup, sandbox_db
):
    old = rejected(db, jobs, wechat_side, sandbox_db, setup)
    new = choice(db, setup["id"], sensitive=False)
    give(db, setup["id"], new)
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    assert held(sandbox_db, setup["appid"]) == {(new["first"], new["second"]): 3}
    assert calls(db, ADD) == 2 and calls(db, MODIFY) == 0 and calls(db, DELETE) == 1
    added = category(db, setup["id"])["result"]["added"]
    assert sorted(map(tuple, added)) == sorted(
        [(old["first"], old["second"]), (new["first"], new["second"])]
    )


def test_a_category_set_in_wechats_console_is_never_deleted(
    db, jobs, wechat_side, setup, sandbox_db
):
    """Only categories this setup added go: one the merchant set themselves stays."""
    plain = [c for c in category(db, setup["id"])["result"]["choices"] if not c["sensitive"]]
    theirs, ours = plain[0], plain[1]
    sandbox_db.execute(
        "INSERT INTO mp_categories (appid, first, second, certicates, status, outcome, "
        "created_at, ends_at) VALUES (?, ?, ?, '[]', 3, 'pass', 0, 0)",
        [setup["appid"], theirs["first"], theirs["second"]],
    )
    sandbox_db.conn.commit()
    give(db, setup["id"], ours)
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    assert set(held(sandbox_db, setup["appid"])) == {
        (theirs["first"], theirs["second"]),
        (ours["first"], ours["second"]),
    }
    assert calls(db, DELETE) == 0


def test_an_add_whose_answer_was_lost_is_not_sent_again(db, jobs, wechat_side, setup):
    """The worker died after addcategory reached WeChat: the next run reads getcategory
    and finds it set, so WeChat sees one add."""
    from portal.wechat.miniprogram.categories import CategoryChoice

    plain = choice(db, setup["id"], sensitive=False)
    give(db, setup["id"], plain)
    pick = CategoryChoice(plain["first"], plain["second"], ())
    jobs.ctx.call_authorizer(
        setup["submission_id"], setup["appid"],
        lambda token: jobs.ctx.mp.categories.add_category(token, [pick]),
    )  # fmt: skip
    db.execute(
        "UPDATE setup_steps SET state = ?, phase = 'add', due_at = 0 WHERE id = ?",
        [st.WORKING, category(db, setup["id"])["id"]],
    )
    db.conn.commit()
    run_until(
        jobs, wechat_side, db, setup["id"],
        lambda: category(db, setup["id"])["state"] == st.DONE,
    )  # fmt: skip
    assert calls(db, ADD) == 1
