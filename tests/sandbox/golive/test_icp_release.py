"""Release waits for the ICP filing (SETUP §11, the stricter reading: §0), and
SANDBOX_ICP_FILED_AFTER, the merchant filing on their own in WeChat's console."""

import time
from types import SimpleNamespace

import pytest

import portal.sandbox
from portal.sandbox.miniprograms import icp
from tests.sandbox.golive.helpers import add_category, audited, elapse, ready, set_basics

PATH = "/wxa/icp/get_icp_entrance_info"


def control(http, appid: str, **form: str):
    return http.post(f"/sandbox/miniprograms/{appid}/icp", data=form)


def status(mp) -> int:
    return mp.get(PATH)["info"]["status"]


class Clock:
    """The sandbox's filing clock (its module's ``time`` only) under the test's control."""

    def __init__(self, monkeypatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(icp, "time", SimpleNamespace(time=lambda: self.now))


def test_an_unfiled_mini_program_is_not_released(mp, sandbox_db, sandbox_http):
    ready(mp, sandbox_db)
    control(sandbox_http, mp.appid, status="none")  # ready() files it: back to not filed
    audited(mp, sandbox_db)
    assert status(mp) == 1024
    assert mp.post("/wxa/release", {})["errcode"] == 85020
    for under_way in ("2", "3", "4", "5"):  # under review or rejected: not filed either
        control(sandbox_http, mp.appid, status=under_way)
        assert mp.post("/wxa/release", {})["errcode"] == 85020
    assert sandbox_db.execute("SELECT count(*) FROM releases").fetchone()[0] == 0
    control(sandbox_http, mp.appid, status="6")
    assert mp.post("/wxa/release", {})["errcode"] == 0
    assert mp.post("/wxa/release", {})["errcode"] == 85052  # the rest of release's rules


def test_by_default_the_merchant_never_files_alone(mp, sandbox_db, sandbox_app, monkeypatch):
    assert sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] is None
    clock = Clock(monkeypatch)
    set_basics(mp)
    assert add_category(mp)["errcode"] == 0
    elapse(sandbox_db)
    assert status(mp) == 1024
    clock.now += 365 * 86400
    assert status(mp) == 1024


def test_filed_after_zero_files_once_the_basics_and_a_category_are_there(
    mp, sandbox_db, sandbox_app, sandbox_http
):
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = 0
    assert status(mp) == 1027  # nothing to file yet
    set_basics(mp)
    assert status(mp) == 1026  # no approved category
    assert add_category(mp)["errcode"] == 0
    elapse(sandbox_db)
    assert status(mp) == 6
    state = sandbox_http.get(f"/sandbox/miniprograms/{mp.appid}/state").json()["icp"]
    assert (state["status"], state["filed_after"]) == (6, 0)
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = None
    assert status(mp) == 6  # kept once filed


def test_filed_after_counts_from_when_the_mini_program_is_ready(
    mp, sandbox_db, sandbox_app, sandbox_http, monkeypatch
):
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = "60"  # as the environment gives it
    clock = Clock(monkeypatch)
    set_basics(mp)
    assert add_category(mp)["errcode"] == 0
    elapse(sandbox_db)
    assert status(mp) == 1024  # ready now: the clock starts
    clock.now += 59
    assert status(mp) == 1024
    clock.now += 2
    assert status(mp) == 6
    control(sandbox_http, mp.appid, status="none")  # back to not filed: the clock again
    assert status(mp) == 1024
    clock.now += 30
    assert status(mp) == 1024
    control(sandbox_http, mp.appid, status="2")  # the page's control still works
    clock.now += 3600
    assert status(mp) == 2
    control(sandbox_http, mp.appid, revoked="1")
    assert mp.get(PATH)["errcode"] == 61007


def test_a_revocation_alone_does_not_restart_the_clock(
    mp, sandbox_db, sandbox_app, sandbox_http, monkeypatch
):
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = 60
    clock = Clock(monkeypatch)
    set_basics(mp)
    assert add_category(mp)["errcode"] == 0
    elapse(sandbox_db)
    assert status(mp) == 1024
    clock.now += 40
    control(sandbox_http, mp.appid, revoked="1")
    control(sandbox_http, mp.appid, revoked="0")
    clock.now += 21
    assert status(mp) == 6


def test_release_files_nothing_itself(mp, sandbox_db, sandbox_http, sandbox_app):
    """Release only asks; with the setting at 0 the filing is done at the first look."""
    ready(mp, sandbox_db)
    control(sandbox_http, mp.appid, status="none")
    audited(mp, sandbox_db)
    sandbox_app.config["SANDBOX_ICP_FILED_AFTER"] = 0
    assert mp.post("/wxa/release", {})["errcode"] == 0


@pytest.mark.parametrize("value, expected", [("", None), ("0", 0.0), ("20", 20.0)])
def test_the_setting_comes_from_the_environment(tmp_path, monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_SANDBOX_ICP_FILED_AFTER", value)
    app = portal.sandbox.create_app({"SANDBOX_DATABASE": str(tmp_path / "s.sqlite")})
    with app.app_context():
        assert icp.filed_after() == expected
