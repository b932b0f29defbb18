"""The privacy setting (SETUP §3)."""

import copy

import pytest

from tests.sandbox.golive.helpers import PRIVACY

SET = "/cgi-bin/component/setprivacysetting"
GET = "/cgi-bin/component/getprivacysetting"


def changed(**owner):
    body = copy.deepcopy(PRIVACY)
    body["owner_setting"].update(owner)
    return body


@pytest.mark.parametrize(
    "body, errcode",
    [
        (changed(contact_phone=""), 86069),  # no contact at all
        (changed(notice_method=""), 86069),
        ({"setting_list": PRIVACY["setting_list"]}, 86069),
        ({**PRIVACY, "privacy_ver": 3}, 86071),
        (changed(store_expire_timestamp="1"), 86072),  # in the past
        (changed(store_expire_timestamp="soon"), 86072),
        (changed(ext_file_media_id="never-uploaded"), 40007),
        ({**PRIVACY, "setting_list": [{"privacy_key": "Mind", "privacy_text": "读心"}]}, 40097),
        ({**PRIVACY, "setting_list": [{"privacy_key": "Location", "privacy_text": ""}]}, 40097),
        ({"owner_setting": PRIVACY["owner_setting"]}, 40097),  # version 2 needs setting_list
        ({**PRIVACY, "privacy_ver": 1}, 40097),  # version 1 takes no setting_list
        ({"owner_setting": PRIVACY["owner_setting"], "privacy_ver": 1}, 86074),  # nothing live
        (changed(contact_phone="", contact_weixin="sandbox_shop"), 0),
    ],
)
def test_setprivacysetting_rules(mp, body, errcode):
    assert mp.post(SET, body)["errcode"] == errcode


def test_the_setting_reads_back_intact(mp):
    assert mp.post(SET, PRIVACY)["errcode"] == 0
    answer = mp.post(GET, {"privacy_ver": 2})
    assert answer["owner_setting"] == PRIVACY["owner_setting"]
    rows = {r["privacy_key"]: r for r in answer["setting_list"]}
    assert rows["Location"]["privacy_text"] == "为你推荐附近的门店"
    assert rows["Location"]["privacy_label"] == "位置信息"
    assert answer["code_exist"] == 0 and answer["privacy_list"] == []
    assert answer["update_time"] > 0
    assert mp.post(GET, {"privacy_ver": 1})["errcode"] == 86074


def test_getprivacysetting_knows_only_versions_1_and_2(mp):
    assert mp.post(GET, {"privacy_ver": 3})["errcode"] == 86071
