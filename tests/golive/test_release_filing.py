"""The release and the ICP filing (SETUP §11, §9, §12.14), in-process against the sandbox:
the worker reads the filing as soon as the four merchant steps are done; a release that
WeChat answers 85020 while the filing is not 6 waits for it (the merchant's words on the
release step, no try spent, nothing held) and goes out once, when ``golive.icp`` reads 6;
an 85020 while filed is still held for staff."""

import json

from portal.golive import icp, outcomes, platform
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.wechat.miniprogram.icp import IcpEntrance
from tests.golive import test_pipeline as pipeline
from tests.golive.test_icp import FakeWeChat, ctx_of, round_
from tests.golive.test_pipeline import give_all, run_until
from tests.merchant.test_setup import authorized, post, url, with_choices

setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox
RELEASE_FAULT = {"errcode": {"count": 1, "errcode": 85020, "match": "/wxa/release"}}


def release(db, setup_id) -> dict:
    return st.step(db, setup_id, st.RELEASE)


def release_calls(sandbox_db) -> int:
    return sandbox_db.execute("SELECT count(*) FROM calls WHERE endpoint = 'release'").fetchone()[0]


def releases(sandbox_db) -> int:
    return sandbox_db.execute("SELECT count(*) FROM releases").fetchone()[0]


def file_at_sandbox(db, sandbox_http, setup) -> None:
    """The merchant's filing is done in WeChat's console (the sandbox page's control), and
    the worker's next read is due (as a few hours later)."""
    form = {"status": "6"}
    assert sandbox_http.post(f"/sandbox/miniprograms/{setup['appid']}/icp", data=form).is_redirect
    db.execute("UPDATE setup_icp SET next_at = 0 WHERE setup_id = ?", [setup["id"]])
    db.conn.commit()


def waits_for_the_filing(db, setup_id) -> None:
    row = release(db, setup_id)
    assert row["state"] == st.WAITING and row["due_at"] is None
    assert json.loads(row["retry_counts"] or "{}") == {}  # no try spent
    assert row["result"]["waiting"] == icp.RELEASE_WAITS and not row["reason"]
    lines = [e["detail"] for e in st.timeline(db, setup_id) if e["step"] == st.RELEASE]
    assert icp.RELEASE_WAITS in lines


def test_an_unfiled_release_waits_then_goes_out_once_when_filed(
    db, jobs, wechat_side, setup, sandbox_app, sandbox_db, sandbox_http, client
):
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = None  # the merchant has not filed
    give_all(db, setup["id"])
    waiting = lambda: release(db, setup["id"])["state"] == st.WAITING  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], waiting)
    waits_for_the_filing(db, setup["id"])
    for _ in range(3):  # the worker does not send it again, nor hold it
        pipeline.run_until(jobs, wechat_side, db, setup["id"], lambda: True)
    waits_for_the_filing(db, setup["id"])
    assert (release_calls(sandbox_db), releases(sandbox_db)) == (1, 0)
    assert icp.filing(db, setup["id"]).status == 1024  # read again at once: not filed

    sub = subs.get(db, setup["submission_id"])
    page = client.get(url(sub)).get_data(as_text=True)
    assert icp.RELEASE_WAITS in page and "等待 ICP 备案" in page and "icp-release-waits" in page

    file_at_sandbox(db, sandbox_http, setup)
    run_until(jobs, wechat_side, db, setup["id"], lambda: st.live(db, setup["id"]))
    assert (release_calls(sandbox_db), releases(sandbox_db)) == (2, 1)  # released once
    assert release(db, setup["id"])["state"] == st.DONE
    moves = [
        (e["from_state"], e["to_state"], e["detail"])
        for e in st.timeline(db, setup["id"])
        if e["step"] == st.RELEASE
    ]
    assert (st.WAITING, st.GIVEN, "ICP 备案已完成，平台继续发布") in moves
    assert [m[1] for m in moves].count(st.DONE) == 1


def test_with_policy_confirm_the_button_before_filing_waits_the_same_way(
    db, jobs, wechat_side, setup, sandbox_app, sandbox_db, sandbox_http, client
):
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = None
    platform.save(db, release_policy="confirm")
    give_all(db, setup["id"])
    passed = lambda: st.step(db, setup["id"], st.AUDIT)["state"] == st.DONE  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], passed)
    sub = subs.get(db, setup["submission_id"])
    assert ">发布</button>" in client.get(url(sub)).get_data(as_text=True)  # before filing
    assert post(client, sub, "release").status_code == 303
    waiting = lambda: release(db, setup["id"])["state"] == st.WAITING  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], waiting)
    waits_for_the_filing(db, setup["id"])
    file_at_sandbox(db, sandbox_http, setup)
    run_until(jobs, wechat_side, db, setup["id"], lambda: st.live(db, setup["id"]))
    assert releases(sandbox_db) == 1


def test_85020_while_filed_is_still_held_for_staff(
    db, jobs, wechat_side, setup, sandbox_db, sandbox_http
):
    platform.save(db, release_policy="confirm")
    give_all(db, setup["id"])
    ready = lambda: (  # noqa: E731
        st.step(db, setup["id"], st.AUDIT)["state"] == st.DONE
        and icp.filing(db, setup["id"]).filed  # SANDBOX_ICP_FILED_AFTER 0: filed at once
    )
    run_until(jobs, wechat_side, db, setup["id"], ready)
    assert sandbox_http.post("/sandbox/faults", json=RELEASE_FAULT).status_code == 200
    st.give(db, setup["id"], st.RELEASE, {"confirmed": True})
    held = lambda: release(db, setup["id"])["state"] == st.HELD  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], held)
    row = release(db, setup["id"])
    assert row["errcode"] == 85020 and "85020" in row["reason"]
    assert "waiting" not in row["result"] and releases(sandbox_db) == 0


def test_the_filing_is_read_before_the_submit(db, jobs, wechat_side, setup, sandbox_http):
    """The code pipeline cannot submit yet (commit answers -1 twice), and the filing was
    read already: step 8 shows as soon as the four steps are done."""
    fault = {"errcode": {"count": 2, "errcode": -1, "match": "/wxa/commit"}}
    assert sandbox_http.post("/sandbox/faults", json=fault).status_code == 200
    give_all(db, setup["id"])
    run_until(jobs, wechat_side, db, setup["id"], lambda: icp.row(db, setup["id"]))
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.TODO
    assert icp.filing(db, setup["id"]).filed  # SANDBOX_ICP_FILED_AFTER 0 in the fast sandbox


def test_the_four_merchant_steps_done_make_the_read_due(db):
    setup = with_choices(db, authorized(db))
    ctx = ctx_of(db, FakeWeChat(IcpEntrance(1024)))
    for name in st.MERCHANT_STEPS[:-1]:
        db.execute(
            "UPDATE setup_steps SET state = ? WHERE setup_id = ? AND step = ?",
            [st.DONE, setup["id"], name],
        )
    db.conn.commit()
    assert round_(ctx) == 0  # one of the four is not done yet
    outcomes.done(db, setup["id"], st.MERCHANT_STEPS[-1], {}, "类目已通过")  # the last one
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.TODO
    assert round_(ctx) == 1 and icp.filing(db, setup["id"]).status == 1024


def test_reading_6_makes_a_waiting_release_due_in_the_same_transaction(db):
    setup = with_choices(db, authorized(db))
    db.execute(
        "UPDATE setup_steps SET state = ?, due_at = NULL WHERE setup_id = ? AND step = ?",
        [st.WAITING, setup["id"], st.RELEASE],
    )
    db.conn.commit()
    icp.record(db, setup["id"], 1024, [])
    assert release(db, setup["id"])["state"] == st.WAITING  # not filed: still waits
    icp.record(db, setup["id"], icp.FILED, [])
    row = release(db, setup["id"])
    assert row["state"] == st.GIVEN and row["due_at"] is not None
    icp.record(db, setup["id"], icp.FILED, [])  # read again: nothing more
    assert release(db, setup["id"])["state"] == st.GIVEN


def test_while_the_release_waits_the_filing_is_read_again_soon_then_less_often(db):
    """The merchant may file any minute once the release waits: the next read comes after
    as long as the release has waited (at least a minute), never later than usual."""
    setup = with_choices(db, authorized(db))
    icp.record(db, setup["id"], 1024, [], now=1000.0)
    assert icp.row(db, setup["id"])["next_at"] == 1000.0 + icp.INTERVAL  # nothing waits
    db.execute(
        "UPDATE setup_steps SET state = ?, due_at = NULL, updated_at = ? "
        "WHERE setup_id = ? AND step = ?",
        [st.WAITING, 2000.0, setup["id"], st.RELEASE],
    )
    db.conn.commit()
    reads = []
    for now in (2000.0, 2600.0, 2000.0 + 10 * icp.INTERVAL):
        icp.record(db, setup["id"], 1024, [], now=now)
        reads.append(icp.row(db, setup["id"])["next_at"] - now)
    assert reads == [icp.WAITING_FIRST, 600.0, icp.INTERVAL]
