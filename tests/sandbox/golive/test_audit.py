"""submit_audit's preconditions in WeChat's order, the quotas, and how audits end
(SETUP §6, §8, §9)."""

import pytest

from tests.sandbox.golive.helpers import (
    PRIVACY,
    add_category,
    commit,
    elapse,
    items,
    ready,
    set_basics,
    submit,
    template_id,
)

LATEST = "/wxa/get_latest_auditstatus"


def status(mp, auditid):
    return mp.post("/wxa/get_auditstatus", {"auditid": auditid})


def test_the_preconditions_in_order(mp, sandbox_db):
    def refused():
        return mp.post("/wxa/submit_audit", {"item_list": [{}]})["errcode"]

    assert refused() == 86002  # no name, head image or introduction
    set_basics(mp)
    assert refused() == 85086  # nothing committed
    template = template_id(mp)
    assert commit(mp, template)["errcode"] == 0
    assert refused() == 61039  # the privacy scan runs
    elapse(sandbox_db)
    assert refused() == 85008  # no approved category
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=certificates)["errcode"] == 0
    assert refused() == 85008  # one under audit is not approved
    assert add_category(mp)["errcode"] == 0
    assert refused() == 85010  # an empty item
    assert submit(mp)["errcode"] == 61040  # no privacy setting
    assert mp.post("/cgi-bin/component/setprivacysetting", PRIVACY)["errcode"] == 0
    assert submit(mp)["errcode"] == 0
    assert submit(mp)["errcode"] == 85009  # one is pending


@pytest.mark.parametrize("missing", ["nickname", "head_image_media", "signature"])
def test_each_basic_item_is_needed(mp, sandbox_db, missing):
    ready(mp, sandbox_db)
    sandbox_db.execute(f"UPDATE miniprograms SET {missing} = ''")
    sandbox_db.conn.commit()
    assert submit(mp)["errcode"] == 86002


def test_a_name_under_audit_is_no_name(mp, sandbox_db):
    """86002 although the name "is set": a rename is still under audit (§9)."""
    ready(mp, sandbox_db)
    body = {"nick_name": "沙箱官方店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    assert mp.post("/wxa/setnickname", body)["audit_id"]
    assert mp.post("/cgi-bin/account/getaccountbasicinfo", raw=b"")["nickname"] == "沙箱云店"
    assert submit(mp)["errcode"] == 86002


@pytest.mark.parametrize(
    "change, errcode",
    [
        (lambda item: [], 85023),
        (lambda item: [item] * 6, 85023),
        (lambda item: None, 85023),
        (lambda item: [{**item, "address": ""}], 85010),
        (lambda item: [{**item, "address": "pages/nowhere/nowhere"}], 85007),
        (lambda item: [{**item, "tag": " ".join(f"t{n}" for n in range(11))}], 85006),
        (lambda item: [{**item, "tag": "标" * 21}], 85006),
        (lambda item: [{**item, "title": "题" * 33}], 85011),
        (lambda item: [{**item, "second_id": 802, "second_class": "婚庆服务"}], 85008),
        (lambda item: [{**item, "second_class": "婚庆服务"}], 85008),
    ],
)
def test_item_list_rules(mp, sandbox_db, change, errcode):
    ready(mp, sandbox_db)
    body = {"item_list": change(items(mp)[0])}
    assert mp.post("/wxa/submit_audit", body)["errcode"] == errcode


def test_a_ugc_category_needs_a_declaration_the_first_time(mp, sandbox_db):
    ready(mp, sandbox_db)
    assert add_category(mp, 12, 1201)["errcode"] == 0
    category = next(
        c for c in mp.get("/wxa/get_category")["category_list"] if c["second_id"] == 1201
    )
    item = {**items(mp)[0], **category}
    assert mp.post("/wxa/submit_audit", {"item_list": [item]})["errcode"] == 85094
    declared = {"item_list": [item], "ugc_declare": {"scene": [1], "method": [1]}}
    assert mp.post("/wxa/submit_audit", declared)["errcode"] == 0


def test_preview_info_rules(mp, sandbox_db):
    ready(mp, sandbox_db)
    pic = mp.upload(path="/wxa/uploadmedia")["mediaid"]
    assert submit(mp, preview_info=[pic])["errcode"] == 85092  # an array, not an object
    assert submit(mp, preview_info={"pic_id_list": [mp.media()]})["errcode"] == 85092
    assert submit(mp, preview_info={"pic_id_list": [pic] * 6})["errcode"] == 85093
    assert submit(mp, version_desc="长" * 501)["errcode"] == 85051
    assert submit(mp, preview_info={"pic_id_list": [pic]})["errcode"] == 0


def test_preview_media_expires_after_3_days(mp, sandbox_db):
    ready(mp, sandbox_db)
    pic = mp.upload(path="/wxa/uploadmedia")["mediaid"]
    sandbox_db.execute("UPDATE media SET created_at = created_at - 3 * 86400")
    sandbox_db.conn.commit()
    assert submit(mp, preview_info={"pic_id_list": [pic]})["errcode"] == 85092


def test_every_privacy_key_the_code_uses_must_be_covered(mp, sandbox_db):
    ready(mp, sandbox_db)
    partial = {**PRIVACY, "setting_list": PRIVACY["setting_list"][:2]}
    assert mp.post("/cgi-bin/component/setprivacysetting", partial)["errcode"] == 0
    assert submit(mp)["errcode"] == 61040  # Album is not covered


def test_a_location_api_must_be_declared(mp, sandbox_db):
    template = ready(mp, sandbox_db)
    assert commit(mp, template, requiredPrivateInfos=[])["errcode"] == 0
    elapse(sandbox_db)
    assert submit(mp)["errcode"] == 61040


def test_privacy_api_not_use_passes_the_check_but_not_the_audit(mp, sandbox_db):
    ready(mp, sandbox_db)
    partial = {**PRIVACY, "setting_list": PRIVACY["setting_list"][:1]}
    assert mp.post("/cgi-bin/component/setprivacysetting", partial)["errcode"] == 0
    answer = submit(mp, privacy_api_not_use=True)
    assert answer["errcode"] == 0
    elapse(sandbox_db)
    result = status(mp, answer["auditid"])
    assert result["status"] == 1 and "隐私" in result["reason"]


def test_magic_errcodes_in_version_desc(mp, sandbox_db):
    ready(mp, sandbox_db)
    assert submit(mp, version_desc="E86007")["errcode"] == 86007
    assert submit(mp, version_desc="E9402202")["errcode"] == 9402202


def test_the_monthly_submit_quota(mp, sandbox_db, sandbox_app):
    sandbox_app.config["SANDBOX_SUBMIT_QUOTA"] = 1
    ready(mp, sandbox_db)
    quota = mp.get("/wxa/queryquota")
    assert (quota["rest"], quota["limit"]) == (1, 1)
    assert submit(mp)["errcode"] == 0
    assert mp.get("/wxa/undocodeaudit")["errcode"] == 0  # withdrawing gives nothing back
    assert mp.get("/wxa/queryquota")["rest"] == 0
    assert submit(mp)["errcode"] == 85085


@pytest.mark.parametrize(
    "where, desc, nickname, expected",
    [
        ("version_desc", "A1", "沙箱云店", 1),
        ("user_desc", "A1", "沙箱云店", 1),
        ("nickname", "", "沙箱A1店", 1),
        ("version_desc", "A0", "沙箱A1店", 0),  # version_desc first
        ("default", "", "沙箱云店", 0),
    ],
)
def test_magic_values_decide_the_audit(mp, sandbox_db, where, desc, nickname, expected):
    user_desc = desc if where == "user_desc" else "首个版本"
    ready(mp, sandbox_db, name=nickname, user_desc=user_desc)
    answer = submit(mp, version_desc=desc if where == "version_desc" else "")
    assert status(mp, answer["auditid"])["status"] == 2
    elapse(sandbox_db)
    result = status(mp, answer["auditid"])
    assert result["status"] == expected
    if expected == 1:
        assert result["reason"] and len(result["screenshot"].split("|")) == 2


def test_a_delayed_audit_says_so_then_passes(mp, sandbox_db):
    ready(mp, sandbox_db)
    auditid = submit(mp, version_desc="A4")["auditid"]
    elapse(sandbox_db)
    delayed = status(mp, auditid)
    assert delayed["status"] == 4 and delayed["reason"]
    assert submit(mp)["errcode"] == 85009  # still pending
    elapse(sandbox_db)
    assert status(mp, auditid)["status"] == 0


def test_the_audit_takes_the_configured_time(mp, sandbox_db, sandbox_app):
    ready(mp, sandbox_db)
    sandbox_app.config["SANDBOX_AUDIT_DELAY"] = 0
    auditid = submit(mp)["auditid"]
    assert status(mp, auditid)["status"] == 0


def test_latest_auditstatus(mp, sandbox_db):
    assert mp.get(LATEST)["errcode"] == 85058
    ready(mp, sandbox_db)
    auditid = submit(mp, version_desc="A1")["auditid"]
    elapse(sandbox_db)
    latest = mp.get(LATEST)
    assert latest["auditid"] == auditid and latest["status"] == 1
    assert latest["ScreenShot"] == status(mp, auditid)["screenshot"]  # the sample's spelling
    assert (latest["user_version"], latest["user_desc"]) == ("1.0.0", "首个版本")
    assert latest["submit_audit_time"] > 0


def test_an_audit_of_another_mini_program_is_invalid(mp, other, sandbox_db):
    ready(mp, sandbox_db)
    auditid = submit(mp)["auditid"]
    assert status(other, auditid)["errcode"] == 85012
    assert other.post("/wxa/speedupaudit", {"auditid": auditid})["errcode"] == 85012


def test_undo(mp, sandbox_db):
    assert mp.get("/wxa/undocodeaudit")["errcode"] == 85058  # nothing to withdraw
    ready(mp, sandbox_db)
    auditid = submit(mp)["auditid"]
    assert mp.get("/wxa/undocodeaudit")["errcode"] == 0
    assert status(mp, auditid)["status"] == 3
    submit(mp)
    assert mp.get("/wxa/undocodeaudit")["errcode"] == 87013  # 1 a day (the stricter reading)


def test_speedup(mp, sandbox_db, sandbox_app):
    sandbox_app.config.update(SANDBOX_SPEEDUP_QUOTA=1, SANDBOX_SPEEDUP_DELAY=0)
    ready(mp, sandbox_db)
    auditid = submit(mp)["auditid"]
    quota = mp.get("/wxa/queryquota")
    assert (quota["speedup_rest"], quota["speedup_limit"]) == (1, 1)
    assert mp.post("/wxa/speedupaudit", {"auditid": auditid})["errcode"] == 0
    assert mp.get("/wxa/queryquota")["speedup_rest"] == 0
    assert status(mp, auditid)["status"] == 0  # expedited: done
    assert mp.post("/wxa/speedupaudit", {"auditid": auditid})["errcode"] == 89402


def test_speedup_twice_and_its_quota(mp, other, sandbox_db, sandbox_app):
    sandbox_app.config["SANDBOX_SPEEDUP_QUOTA"] = 1
    ready(mp, sandbox_db)
    ready(other, sandbox_db, name="沙箱二号店")
    mine, theirs = submit(mp)["auditid"], submit(other)["auditid"]
    assert mp.post("/wxa/speedupaudit", {"auditid": mine})["errcode"] == 0
    assert mp.post("/wxa/speedupaudit", {"auditid": mine})["errcode"] == 89404
    assert other.post("/wxa/speedupaudit", {"auditid": theirs})["errcode"] == 89405


def test_feedback_info_is_at_most_200_characters(mp, sandbox_db):
    ready(mp, sandbox_db)
    assert submit(mp, feedback_info="说" * 201)["errcode"] == 40097
