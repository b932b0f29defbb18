"""The name's proof, in-process against the sandbox (findings 4 and 8a): a name WeChat's
check flags goes back to the merchant with WeChat's wording before anything is set; the
proof photos the merchant gives go to setnickname as naming_other_stuff_1..5 (never the
licence again); and a name-audit push applies only to the name under audit."""

import pytest

from portal.golive import steps as st
from portal.registration import messages as recorded
from portal.wechat.messages import parse_message
from tests.golive import test_pipeline as pipeline
from tests.golive.audit_waiting import calls
from tests.golive.test_pipeline import jpeg

setup = pipeline.setup  # the pipeline's fixture, with this module's fast_sandbox below
SET, CHECK = "wxa.setnickname", "cgi-bin.wxverify.checkwxverifynickname"
QUERY = "wxa.api_wxa_querynickname"
LICENCE = ("licence", "image/jpeg", jpeg((1, 2, 3)))


@pytest.fixture
def fast_sandbox(sandbox_app):
    """The pipeline's fast sandbox, but a name audit ends when a test says so."""
    sandbox_app.config.update(
        SANDBOX_PRIVACY_SCAN=0, SANDBOX_AUDIT_DELAY=0, SANDBOX_NAME_AUDIT_DELAY=3600,
        SANDBOX_CATEGORY_AUDIT_DELAY=0,
    )  # fmt: skip
    return sandbox_app


@pytest.fixture
def sent(jobs, monkeypatch):
    """What the worker passed to setnickname: [(nickname, license, naming_other_stuff)]."""
    seen = []
    basic = jobs.ctx.mp.basic
    real = basic.set_nickname

    def spy(token, nick_name, *, license="", id_card="", naming_other_stuff=()):
        seen.append((nick_name, license, list(naming_other_stuff)))
        return real(
            token, nick_name, license=license, id_card=id_card,
            naming_other_stuff=naming_other_stuff,
        )  # fmt: skip

    monkeypatch.setattr(basic, "set_nickname", spy)
    return seen


def name(db, setup_id) -> dict:
    return st.step(db, setup_id, st.NAME)


def proofs(count: int) -> list[tuple[str, str, bytes]]:
    return [(f"proof:{n}", "image/jpeg", jpeg((10 * n, 90, 30))) for n in range(1, count + 1)]


def give_name(db, setup_id, nickname, proof_count=0):
    values = {"nickname": nickname}
    if proof_count:
        values["proofs"] = [f"proof:{n}" for n in range(1, proof_count + 1)]
    st.give(db, setup_id, st.NAME, values, [LICENCE, *proofs(proof_count)])


def work(db, jobs, setup_id, until, rounds=10):
    for _ in range(rounds):
        db.execute(
            "UPDATE setup_steps SET due_at = 0 WHERE setup_id = ? AND step = ? "
            "AND due_at IS NOT NULL",
            [setup_id, st.NAME],
        )
        db.conn.commit()
        jobs.run_once()
        if until():
            return
    raise AssertionError(name(db, setup_id))


def end_name_audits(sandbox_db, appid, outcome=None):
    sql = "UPDATE name_audits SET ends_at = 0" + (", outcome = ?" if outcome else "")
    sandbox_db.execute(
        sql + " WHERE appid = ? AND status = 1", [*([outcome] if outcome else []), appid]
    )
    sandbox_db.conn.commit()


def test_a_flagged_name_asks_the_merchant_for_proof_before_anything_is_set(
    db, jobs, setup, sent, sandbox_db
):
    give_name(db, setup["id"], "沙箱官方旗舰小店")
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.NEEDS_MERCHANT)
    row = name(db, setup["id"])
    assert calls(db, CHECK) == 1 and calls(db, SET) == 0 and sent == []
    assert "商标注册证书" in row["reason"] and "证明材料照片" in row["reason"]
    assert row["result"]["proof_needed"] is True
    assert row["result"]["proof_for"] == "沙箱官方旗舰小店"

    give_name(db, setup["id"], "沙箱官方旗舰小店", proof_count=2)
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.WAITING)
    [(nickname, licence, stuff)] = sent
    assert nickname == "沙箱官方旗舰小店" and len(stuff) == 2 and licence not in stuff
    uploaded = dict(sandbox_db.execute("SELECT media_id, filename FROM media").fetchall())
    assert [uploaded[m] for m in stuff] == ["proof-1.jpg", "proof-2.jpg"]
    assert calls(db, SET) == 1
    row = name(db, setup["id"])
    assert row["result"]["audit_nickname"] == "沙箱官方旗舰小店"

    end_name_audits(sandbox_db, setup["appid"])
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.DONE)
    assert calls(db, SET) == 1  # once


def test_a_plain_name_is_set_at_once_with_the_licence_only(db, jobs, setup, sent):
    give_name(db, setup["id"], "沙箱平常小店")
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.DONE)
    [(_nickname, licence, stuff)] = sent
    assert licence and stuff == []


def push_outcomes(db, appid) -> list[str]:
    sql = "SELECT outcome FROM message_pushes WHERE appid = ? AND event = 'wxa_nickname_audit'"
    return [r[0] for r in db.execute(sql + " ORDER BY id", [appid]).fetchall()]


def test_a_late_push_for_a_rejected_name_does_not_reject_the_new_one(
    db, jobs, setup, sandbox_db, wechat_side
):
    give_name(db, setup["id"], "沙箱N2旧名店", proof_count=1)  # the sandbox rejects N2
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.WAITING)
    end_name_audits(sandbox_db, setup["appid"])
    # The poll learns the rejection first; the push stays with WeChat for now.
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.NEEDS_MERCHANT)

    give_name(db, setup["id"], "沙箱官方新名店", proof_count=1)
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.WAITING)
    wechat_side()  # the old name's rejection arrives late
    jobs.run_once()
    assert push_outcomes(db, setup["appid"]) == ["recorded: the push is for another name"]
    assert name(db, setup["id"])["state"] == st.WAITING

    end_name_audits(sandbox_db, setup["appid"], "pass")
    wechat_side()  # WeChat ends the new name's audit and pushes it
    jobs.run_once()
    assert push_outcomes(db, setup["appid"])[-1] == "passed"
    assert name(db, setup["id"])["state"] == st.DONE


def nickname_push(nickname: str, ret: int, to_user: str) -> str:
    return (
        f"<xml><ToUserName>{to_user}</ToUserName><FromUserName>o_x</FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType>event</MsgType>"
        f"<Event>wxa_nickname_audit</Event><ret>{ret}</ret><nickname>{nickname}</nickname>"
        "<reason>名称涉嫌侵权</reason></xml>"
    )


@pytest.mark.parametrize(
    "pushed, state, outcome",
    [
        ("沙箱官方  空格店", st.NEEDS_MERCHANT, "rejected"),  # runs of whitespace are one
        ("", st.WAITING, "name audit checked now"),  # no name: the poll decides, now
    ],
)
def test_a_push_is_matched_by_its_nickname(db, jobs, setup, sandbox_db, pushed, state, outcome):
    give_name(db, setup["id"], "沙箱官方 空格店", proof_count=1)
    work(db, jobs, setup["id"], lambda: name(db, setup["id"])["state"] == st.WAITING)
    xml = nickname_push(pushed, 2, "gh_0123456789ab")
    recorded.record(db, setup["appid"], parse_message(xml), xml)
    polled = calls(db, QUERY)
    jobs.run_once()
    assert push_outcomes(db, setup["appid"]) == [outcome]
    assert name(db, setup["id"])["state"] == state
    if state == st.WAITING:  # the push made the audit due: its own audit_id was asked
        assert calls(db, QUERY) == polled + 1
