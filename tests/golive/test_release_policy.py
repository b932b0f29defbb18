"""The operator switches the release policy from confirm to auto while passed audits
wait for their merchants' word: under auto no page offers that button, so the switch
itself makes them due, and the worker releases them (in-process against the sandbox)."""

from portal import accounts
from portal.golive import audits, platform
from portal.golive import steps as st
from tests.consoles.conftest import PASSWORD, csrf_from, login
from tests.golive import test_pipeline as pipeline
from tests.golive.test_pipeline import give_all, run_until

setup = pipeline.setup
fast_sandbox = pipeline.fast_sandbox


def release(db, setup_id) -> dict:
    return st.step(db, setup_id, st.RELEASE)


def test_switching_to_auto_releases_what_waited_for_confirmation(db, jobs, wechat_side, setup):
    platform.save(db, release_policy="confirm")
    give_all(db, setup["id"])
    passed = lambda: st.step(db, setup["id"], st.AUDIT)["state"] == st.DONE  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], passed)
    for _ in range(3):
        jobs.run_once()
    assert release(db, setup["id"])["state"] == st.TODO  # waiting for the merchant
    lines = [e["detail"] for e in st.timeline(db, setup["id"])]
    assert lines.index("微信审核通过") < lines.index("审核通过，等待商户确认发布")

    assert audits.set_release_policy(db, "auto") == 1
    assert platform.get(db).release_policy == "auto"
    assert release(db, setup["id"])["state"] == st.GIVEN
    run_until(jobs, wechat_side, db, setup["id"], lambda: st.live(db, setup["id"]))
    assert audits.AUTO_NOW in {e["detail"] for e in st.timeline(db, setup["id"])}


def test_switching_to_confirm_or_a_bad_value_releases_nothing(db, jobs, wechat_side, setup):
    platform.save(db, release_policy="confirm")
    give_all(db, setup["id"])
    passed = lambda: st.step(db, setup["id"], st.AUDIT)["state"] == st.DONE  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], passed)
    assert audits.set_release_policy(db, "confirm") == 0
    try:
        audits.set_release_policy(db, "soon")
    except ValueError as exc:
        assert "auto 或 confirm" in str(exc)
    else:
        raise AssertionError("a bad policy was saved")
    assert platform.get(db).release_policy == "confirm"
    assert release(db, setup["id"])["state"] == st.TODO


def test_the_admin_page_says_how_many_it_releases(client, db, jobs, wechat_side, setup):
    platform.save(db, release_policy="confirm")
    give_all(db, setup["id"])
    passed = lambda: st.step(db, setup["id"], st.AUDIT)["state"] == st.DONE  # noqa: E731
    run_until(jobs, wechat_side, db, setup["id"], passed)
    accounts.create_user(db, "admin", PASSWORD, "admin")
    assert login(client, "admin").status_code == 302
    token = csrf_from(client.get("/admin/golive").get_data(as_text=True))
    data = {"csrf_token": token, "release-csrf_token": token, "release-release_policy": "auto"}
    response = client.post("/admin/golive/release", data=data, follow_redirects=True)
    assert "1 个审核已通过、等待商户确认的小程序现在发布" in response.get_data(as_text=True)
    assert release(db, setup["id"])["state"] == st.GIVEN
