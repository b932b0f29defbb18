"""The name card's proof photos (naming_other_stuff_1..5): offered as 选填, required once
WeChat asked for proof for this very name, checked on the server like the licence, and
remembered (kept until replaced or cleared)."""

from portal.golive import name_proofs, outcomes
from portal.golive import steps as st
from portal.golive.rules import NOT_A_PHOTO
from tests.merchant.test_setup import photo, post, setup_of, snapshot, sub, url

__all__ = ["sub"]  # the checklist tests' fixture: an authorized submission

NAME = "张记官方旗舰店"
WORDING = "名称中含有“官方”，请补充营业执照，以及商标注册证书或品牌授权书等证明材料。"


def asked(client, db, sub, nickname=NAME):
    """The merchant gave the name; WeChat's check asked for proof (as the worker records)."""
    assert post(client, sub, "name", {"nickname": nickname}, licence=photo()).status_code == 303
    setup = setup_of(db, sub)
    reason = f"微信的提示：{WORDING}\n请在“名称”一步上传 1–5 张证明材料照片。"
    result = {"proof_needed": True, "proof_for": nickname, "wording": WORDING}
    outcomes.needs_merchant(
        db, setup["id"], st.NAME, None, reason, "微信要求提供名称的证明材料", result
    )
    return setup


def test_the_proof_uploads_are_offered_as_optional(client, sub):
    page = client.get(url(sub)).get_data(as_text=True)
    assert 'id="proof-1"' in page and 'id="proof-5"' in page and "证明材料照片（选填）" in page
    assert '<details class="proofs" id="name-proofs">' in page  # closed for a plain name


def test_once_wechat_asked_the_same_name_needs_a_proof(client, db, sub):
    setup = asked(client, db, sub)
    page = client.get(url(sub)).get_data(as_text=True)
    assert "（微信要求，至少 1 张）" in page and "商标注册证书或品牌授权书" in page
    assert '<details class="proofs" id="name-proofs" open>' in page
    before = snapshot(db, sub)
    response = post(client, sub, "name", {"nickname": NAME})
    assert response.status_code == 422
    assert name_proofs.NONE_GIVEN in response.get_data(as_text=True)
    assert snapshot(db, sub) == before

    response = post(
        client, sub, "name", {"nickname": NAME}, **{"proof-1": photo(), "proof-3": photo()}
    )
    assert response.status_code == 303
    row = st.step(db, setup["id"], st.NAME)
    assert row["state"] == st.GIVEN and row["input"]["proofs"] == ["proof:1", "proof:3"]
    roles = {f["role"]: f for f in st.files(db, setup["id"], st.NAME)}
    assert {"licence", "proof:1", "proof:3"} == set(roles)
    assert roles["proof:1"]["content_type"] == "image/jpeg"
    page = client.get(url(sub)).get_data(as_text=True)
    assert (
        page.count("✓ 已上传，无需更换可不再选择。") == 2
        and "不再使用已上传的 2 张证明材料" in page
    )


def test_a_changed_name_is_not_held_to_the_old_request(client, db, sub):
    setup = asked(client, db, sub)
    assert post(client, sub, "name", {"nickname": "张记面馆"}).status_code == 303
    assert st.step(db, setup["id"], st.NAME)["input"] == {"nickname": "张记面馆"}


def test_a_proof_is_checked_like_the_licence(client, db, sub):
    post(client, sub, "name", {"nickname": NAME}, licence=photo())
    before = snapshot(db, sub)
    response = post(client, sub, "name", {"nickname": NAME}, **{"proof-2": b"%PDF-1.4 not a photo"})
    assert response.status_code == 422 and NOT_A_PHOTO in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


def test_proofs_are_kept_until_replaced_or_cleared(client, db, sub):
    post(client, sub, "name", {"nickname": NAME}, licence=photo(), **{"proof-1": photo()})
    setup = setup_of(db, sub)
    assert post(client, sub, "name", {"nickname": NAME + "二"}).status_code == 303
    assert st.step(db, setup["id"], st.NAME)["input"]["proofs"] == ["proof:1"]
    response = post(client, sub, "name", {"nickname": NAME, "clear_proofs": "y"})
    assert response.status_code == 303
    assert st.step(db, setup["id"], st.NAME)["input"] == {"nickname": NAME}
