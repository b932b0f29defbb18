"""The ``setup`` object in the API's reads: null until the submission is authorized,
then each step's state, label, WeChat's reason and what was given, never a photo's
bytes or a token; testers' WeChat IDs only for personal-data keys."""

import json

from portal import apikeys as keys
from portal.golive import audits, outcomes
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.api.setup_helpers import PERMIT, PLAIN, authorize, b64, call, jpeg, url
from tests.registration.facts import facts


def read(client, key, sub):
    response = call(client, "get", f"/api/v1/submissions/{sub['id']}", key)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_setup_is_null_until_the_submission_is_authorized(client, db, writer):
    queued, _ = subs.submit(db, FLAVORS["classic"], facts("广州市尚未授权科技有限公司"))
    assert read(client, writer, queued)["setup"] is None
    listed = call(client, "get", "/api/v1/submissions", writer).get_json()["data"]
    assert [s["setup"] for s in listed] == [None]
    assert call(client, "get", url(queued), writer).status_code == 404
    refused = call(client, "put", url(queued, "/intro"), writer, json={"signature": "x"})
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    assert "授权" in refused.get_json()["error"]["message"]
    assert db.execute("SELECT count(*) FROM setups").fetchone()[0] == 0


def test_an_authorized_submission_shows_every_step_to_do_before_it_opens(client, db, writer):
    sub = authorize(db, "广州市刚刚授权科技有限公司")
    setup = read(client, writer, sub)["setup"]
    assert setup["appid"] == sub["appid"] and setup["opened"] is False
    assert set(setup["steps"]) == set(st.STEPS)
    assert {s["state"] for s in setup["steps"].values()} == {st.TODO}
    assert setup["steps"][st.NAME]["label"] == "待填写"
    assert db.execute("SELECT count(*) FROM setups").fetchone()[0] == 0  # reads never write


def test_the_setup_shows_states_labels_reasons_and_never_bytes(client, db, writer, sub, setup):
    licence, avatar = jpeg((1, 2, 3)), jpeg((9, 9, 9), (400, 400))
    st.give(
        db, setup["id"], st.NAME, {"nickname": "沙箱理由小店"}, [("licence", "image/jpeg", licence)]
    )
    st.give(db, setup["id"], st.AVATAR, {}, [("avatar", "image/jpeg", avatar)])
    reason = "<p>名称与已有小程序重复。</p>1.请换一个名称；2.或上传商标证明"
    outcomes.needs_merchant(db, setup["id"], st.NAME, 53010, reason, "名称未通过")
    body = read(client, writer, sub)
    shown = body["setup"]
    name = shown["steps"][st.NAME]
    assert name["state"] == st.NEEDS_MERCHANT and name["label"] == "需要修改"
    assert name["reason"].startswith("名称与已有小程序重复。") and "<p>" not in name["reason"]
    assert name["errcode"] == 53010 and name["input"] == {"nickname": "沙箱理由小店"}
    assert name["files"] == ["licence"] and name["detail"] == "名称未通过"
    assert shown["steps"][st.AVATAR]["state"] == st.GIVEN
    assert shown["steps"][st.AVATAR]["reason"] is None
    assert shown["steps"][st.CATEGORY]["choices_ready"] is True
    assert shown["opened"] is True and shown["live"] is False and shown["auditid"] is None
    text = json.dumps(body)
    for secret in (b64(licence)[:40], b64(avatar)[:40], '"choices":', "token", "sha256"):
        assert secret not in text
    alone = call(client, "get", url(sub), writer).get_json()
    assert alone == shown


def test_testers_wechat_ids_only_for_personal_data_keys(client, db, writer, sub, setup):
    st.give(db, setup["id"], st.TESTERS, {"wechat_ids": ["tester_one", "tester_two"]})
    assert read(client, writer, sub)["setup"]["steps"][st.TESTERS]["input"] == {"count": 2}
    _, personal = keys.create(db, "个人", ("submissions:read", "personal_data:read"), None)
    shown = read(client, personal, sub)["setup"]["steps"][st.TESTERS]["input"]
    assert shown == {"count": 2, "wechat_ids": ["tester_one", "tester_two"]}


def test_audit_and_release_facts(client, db, writer, sub, setup):
    audits.submitted(db, setup["id"], 4242)
    shown = read(client, writer, sub)["setup"]
    assert shown["auditid"] == 4242 and shown["steps"][st.AUDIT]["auditid"] == 4242
    assert shown["steps"][st.AUDIT]["state"] == st.WAITING and shown["steps"][st.AUDIT]["expected"]
    outcomes.done(db, setup["id"], st.RELEASE, {}, "小程序已发布上线")
    db.execute("UPDATE setups SET released_at = 1764050000.5 WHERE id = ?", [setup["id"]])
    db.conn.commit()
    shown = read(client, writer, sub)["setup"]
    assert shown["live"] is True and shown["released_at"] == 1764050000


def test_categories_lists_the_choices(client, db, writer, sub, setup):
    answer = call(client, "get", url(sub, "/categories"), writer).get_json()
    assert answer["choices_ready"] is True
    # a choice stored flat reads as one group of alternatives: one photo of either
    groups = {"groups": [PERMIT["qualifications"]]}
    assert answer["choices"] == [{**PLAIN, "groups": []}, {**PERMIT, **groups}]
    other = authorize(db, "广州市未取类目科技有限公司")
    waiting = call(client, "get", url(other, "/categories"), writer).get_json()
    assert waiting == {"choices_ready": False, "choices": []}


def test_the_admin_key_form_offers_the_scope(app):
    from portal.admin.forms import ApiKeyForm

    with app.test_request_context():
        assert "setup:write" in {choice.value for choice in ApiKeyForm().scopes.choices}
