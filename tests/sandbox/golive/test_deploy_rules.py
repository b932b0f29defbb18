"""What the portal's deploy relies on the sandbox to answer as WeChat does (SETUP §3,
§4, §6): a guideline only for code that uses privacy keys (never an empty one), and
85017 for a domain set that changes nothing, while ``get`` still reads the lists."""

from tests.sandbox.golive.helpers import (
    PRIVACY,
    add_category,
    commit,
    elapse,
    set_basics,
    submit,
    template_id,
)

SET_PRIVACY = "/cgi-bin/component/setprivacysetting"
DIRECT = "/wxa/modify_domain_directly"
LISTS = {"requestdomain": ["https://api.own-shop.cn"]}


def plain_code(mp, sandbox_db) -> None:
    """Everything submit_audit needs but a privacy setting, for draft 1 (no privacy key)."""
    set_basics(mp)
    assert add_category(mp)["errcode"] == 0
    assert commit(mp, template_id(mp, draft_id=1), requiredPrivateInfos=[])["errcode"] == 0
    elapse(sandbox_db)


def test_code_without_privacy_keys_is_submitted_without_a_guideline(mp, sandbox_db):
    plain_code(mp, sandbox_db)
    found = mp.post("/cgi-bin/component/getprivacysetting", {"privacy_ver": 2})
    assert found["privacy_list"] == [] and found["setting_list"] == []
    assert mp.get("/wxa/security/get_code_privacy_info")["without_conf_list"] == []
    assert submit(mp)["errcode"] == 0


def test_an_empty_setting_list_is_refused_for_the_development_version(mp, sandbox_db):
    plain_code(mp, sandbox_db)
    empty = {**PRIVACY, "setting_list": []}
    assert mp.post(SET_PRIVACY, empty)["errcode"] == 40097  # required with privacy_ver 2


def test_code_with_privacy_keys_still_needs_them_covered(mp, sandbox_db):
    set_basics(mp)
    assert add_category(mp)["errcode"] == 0
    assert commit(mp, template_id(mp))["errcode"] == 0  # the demo template: three keys
    elapse(sandbox_db)
    assert submit(mp)["errcode"] == 61040  # no guideline covers them


def test_setting_the_same_domains_again_answers_85017_and_get_reads_them(mp):
    assert mp.post(DIRECT, {"action": "set", **LISTS})["errcode"] == 0
    assert mp.post(DIRECT, {"action": "set", **LISTS})["errcode"] == 85017  # already set
    assert mp.post(DIRECT, {"action": "get"})["requestdomain"] == LISTS["requestdomain"]


def test_the_other_way_answers_85017_but_get_still_reads_the_lists(mp):
    assert mp.post(DIRECT, {"action": "set", **LISTS})["errcode"] == 0
    other_way = mp.post("/wxa/modify_domain", {"action": "set", **LISTS})
    assert other_way["errcode"] == 85017  # the two ways are never mixed
    got = mp.post("/wxa/modify_domain", {"action": "get"})
    assert got["errcode"] == 0 and got["requestdomain"] == LISTS["requestdomain"]
