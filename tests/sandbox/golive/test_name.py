"""The name (SETUP §1.2–§1.4): the check, setting it, its audit and push, and the limits
on renaming."""

import pytest

from tests.sandbox.golive.helpers import audited, elapse, ready, submit

CHECK = "/cgi-bin/wxverify/checkwxverifynickname"
SET = "/wxa/setnickname"
QUERY = "/wxa/api_wxa_querynickname"
BASIC = "/cgi-bin/account/getaccountbasicinfo"


@pytest.mark.parametrize(
    "name, errcode",
    [
        ("沙箱小程序店", 53010),  # may not contain 小程序
        ("沙", 53010),  # 2 of the 4 characters a name needs (a Chinese one counts 2)
        ("沙箱" * 8, 53010),  # 32 of 30
        ("沙箱<店>", 53010),  # characters a name may not hold
        ("沙箱微信店", 53012),  # forbidden word
        ("zhangsan_88", 53018),  # the legal person's WeChat ID (tests.registration.facts)
        ("ZHANGSAN_88", 53018),  # WeChat IDs are the same in either case
        ("沙箱E53019云店", 53019),  # magic: in protection period
        ("沙箱E53013云店", 53013),
        (123, 53010),
    ],
)
def test_names_that_fail_the_check(mp, name, errcode):
    assert mp.post(CHECK, {"nick_name": name})["errcode"] == errcode


def test_a_name_another_mini_program_holds_is_a_duplicate(mp, other):
    assert mp.post(SET, {"nick_name": "沙箱独家店", "license": mp.media()})["errcode"] == 0
    assert other.post(CHECK, {"nick_name": "沙箱独家店"})["errcode"] == 53013
    assert (
        other.post(SET, {"nick_name": "沙箱独家店", "license": other.media()})["errcode"] == 53013
    )


def test_a_plain_name_hits_nothing_and_is_set_at_once(mp):
    answer = mp.post(CHECK, {"nick_name": "沙箱云店"})
    assert answer == {"errcode": 0, "errmsg": "ok", "hit_condition": False, "wording": ""}
    answer = mp.post(SET, {"nick_name": "沙箱云店", "license": mp.media()})
    assert answer["errcode"] == 0 and "audit_id" not in answer
    assert mp.post(BASIC, raw=b"")["nickname"] == "沙箱云店"


def test_setnickname_refuses_an_invalid_name_with_91004(mp):
    assert mp.post(SET, {"nick_name": "沙箱小程序店", "license": mp.media()})["errcode"] == 91004


def test_an_organisation_needs_its_licence_and_a_hit_name_needs_proof(mp):
    assert mp.post(SET, {"nick_name": "沙箱云店"})["errcode"] == 91009
    hit = mp.post(CHECK, {"nick_name": "沙箱官方旗舰店"})
    assert hit["hit_condition"] is True and "官方" in hit["wording"]
    answer = mp.post(SET, {"nick_name": "沙箱官方旗舰店", "license": mp.media()})
    assert answer["errcode"] == 91009  # the proof the wording asks for is missing


@pytest.mark.parametrize("field", ["license", "naming_other_stuff_1"])
def test_proof_must_be_this_mini_programs_live_temporary_media(mp, sandbox_db, field):
    body = {"nick_name": "沙箱官方店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    body[field] = mp.upload(path="/wxa/uploadmedia")["mediaid"]
    assert mp.post(SET, body)["errcode"] == 40007
    body[field] = mp.media()
    sandbox_db.execute("UPDATE media SET created_at = created_at - 3 * 86400 - 1")
    sandbox_db.conn.commit()
    assert mp.post(SET, body)["errcode"] == 40007  # expired after 3 days


def hit_name(mp, name="沙箱官方店"):
    body = {"nick_name": name, "license": mp.media(), "naming_other_stuff_1": mp.media()}
    answer = mp.post(SET, body)
    assert answer["errcode"] == 0 and isinstance(answer["audit_id"], int), answer
    return answer["audit_id"]


def test_a_hit_name_goes_to_audit_and_passes_with_a_push(mp, sandbox_db, pushes):
    audit_id = hit_name(mp)
    query = mp.post(QUERY, {"audit_id": audit_id})
    assert (query["audit_stat"], query["nickname"], query["audit_time"]) == (1, "沙箱官方店", 0)
    assert mp.post(BASIC, raw=b"")["nickname"] == ""  # not yet: the audit runs
    elapse(sandbox_db)
    query = mp.post(QUERY, {"audit_id": audit_id})
    assert query["audit_stat"] == 3 and query["audit_time"] >= query["create_time"]
    assert mp.post(BASIC, raw=b"")["nickname"] == "沙箱官方店"
    [(url, _params, _body)] = pushes()
    assert url == f"http://portal/wechat/messages/{mp.appid}"


def test_magic_n2_fails_the_name_audit(mp, sandbox_db):
    audit_id = hit_name(mp, "沙箱N2云店")
    elapse(sandbox_db)
    query = mp.post(QUERY, {"audit_id": audit_id})
    assert query["audit_stat"] == 2 and query["fail_reason"]
    assert mp.post(BASIC, raw=b"")["nickname"] == ""


def test_an_unknown_or_foreign_audit_id_gets_91011(mp, other):
    assert mp.post(QUERY, {"audit_id": 1})["errcode"] == 91011
    audit_id = hit_name(other)
    assert mp.post(QUERY, {"audit_id": audit_id})["errcode"] == 91011


def test_no_rename_while_the_name_is_under_audit(mp):
    hit_name(mp)
    assert mp.post(SET, {"nick_name": "沙箱别名", "license": mp.media()})["errcode"] == 91003


def test_only_two_names_a_year(mp):
    for name in ("沙箱一店", "沙箱二店"):
        assert mp.post(SET, {"nick_name": name, "license": mp.media()})["errcode"] == 0
    assert mp.post(SET, {"nick_name": "沙箱三店", "license": mp.media()})["errcode"] == 91003
    info = mp.post(BASIC, raw=b"")["nickname_info"]
    assert (info["modify_used_count"], info["modify_quota"]) == (2, 2)


def test_no_rename_while_a_code_audit_is_pending(mp, sandbox_db):
    ready(mp, sandbox_db)
    assert submit(mp)["errcode"] == 0
    assert mp.post(SET, {"nick_name": "沙箱新店", "license": mp.media()})["errcode"] == 91019


def test_no_rename_after_release(mp, sandbox_db):
    """An organisation's mini program keeps its name once released (91002); its
    nickname_info then reads 2 used (§1.1)."""
    ready(mp, sandbox_db)
    audited(mp, sandbox_db)
    assert mp.post("/wxa/release", {})["errcode"] == 0
    assert mp.post(SET, {"nick_name": "沙箱新店", "license": mp.media()})["errcode"] == 91002
    assert mp.post(BASIC, raw=b"")["nickname_info"]["modify_used_count"] == 2


def test_the_check_is_rate_limited(mp):
    for _ in range(10):
        assert mp.post(CHECK, {"nick_name": "沙箱云店"})["errcode"] == 0
    assert mp.post(CHECK, {"nick_name": "沙箱云店"})["errcode"] == 53011


def test_a_short_number_after_e_is_just_a_name(mp):
    assert mp.post(CHECK, {"nick_name": "沙箱E1店"})["errcode"] == 0
