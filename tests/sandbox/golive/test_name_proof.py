"""The proof a name needs (SETUP §1.2, §1.3): when the check answers ``hit_condition``,
setnickname wants proof in ``naming_other_stuff_1..5``, and the business licence sent
again as that proof is no proof (the wording asks for a trademark certificate or a brand
licence). The sandbox takes the stricter reading: every hit needs proof."""

import pytest

CHECK = "/cgi-bin/wxverify/checkwxverifynickname"
SET = "/wxa/setnickname"


@pytest.mark.parametrize("name", ["沙箱官方旗舰店", "沙箱N3云店", "沙箱N2云店"])
def test_every_name_the_check_flags_needs_proof(mp, name):
    check = mp.post(CHECK, {"nick_name": name})
    assert check["hit_condition"] is True
    assert "商标注册证书" in check["wording"] and "品牌授权书" in check["wording"]
    assert mp.post(SET, {"nick_name": name, "license": mp.media()})["errcode"] == 91009


@pytest.mark.parametrize("slot", [1, 3])
def test_the_licence_again_is_not_the_proof(mp, slot):
    licence = mp.media()
    body = {"nick_name": "沙箱官方店", "license": licence, "naming_other_stuff_1": mp.media()}
    body[f"naming_other_stuff_{slot}"] = licence
    assert mp.post(SET, body)["errcode"] == 91009


def test_the_licence_as_the_only_proof_is_refused_even_without_a_hit(mp):
    licence = mp.media()
    body = {"nick_name": "沙箱云店", "license": licence, "naming_other_stuff_1": licence}
    assert mp.post(SET, body)["errcode"] == 91009


def test_proof_of_its_own_goes_to_audit(mp):
    proofs = {f"naming_other_stuff_{n}": mp.media(f"proof-{n}.jpg") for n in (1, 2)}
    answer = mp.post(SET, {"nick_name": "沙箱官方店", "license": mp.media(), **proofs})
    assert answer["errcode"] == 0 and isinstance(answer["audit_id"], int), answer


def test_a_plain_name_is_set_with_or_without_extra_proof(mp, other):
    assert mp.post(CHECK, {"nick_name": "沙箱云店"})["hit_condition"] is False
    body = {"nick_name": "沙箱云店", "license": mp.media(), "naming_other_stuff_1": mp.media()}
    answer = mp.post(SET, body)
    assert answer["errcode"] == 0 and "audit_id" not in answer
    assert other.post(SET, {"nick_name": "沙箱别家店", "license": other.media()})["errcode"] == 0
