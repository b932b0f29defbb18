"""Driving the go-live steps through the API, continued: Idempotency-Key replays, the
audit's resubmission, the release on the merchant's word, and the audit log."""

import io

from portal.golive import outcomes, platform
from portal.golive import steps as st
from tests.api.setup_helpers import b64, call, jpeg, stored, url


def name_body(**changes):
    return {"nickname": "沙箱接口小店", "licence": b64(jpeg()), **changes}


def read(client, key, sub):
    response = call(client, "get", f"/api/v1/submissions/{sub['id']}", key)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_idempotency_key_replays_the_first_answer(client, db, writer, sub, setup):
    headers = {"Idempotency-Key": "deploy-7-name"}
    first = call(client, "put", url(sub, "/name"), writer, json=name_body(), headers=dict(headers))
    assert first.status_code == 202
    outcomes.working(db, setup["id"], st.NAME, 60)  # the worker took it: a new call would be 409
    again = call(client, "put", url(sub, "/name"), writer, json=name_body(), headers=dict(headers))
    assert again.status_code == 202 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = call(
        client,
        "put",
        url(sub, "/name"),
        writer,
        json=name_body(nickname="沙箱别的小店"),
        headers=dict(headers),
    )
    assert (
        other.status_code == 400 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    )
    elsewhere = call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "x"}, headers=dict(headers)
    )
    assert elsewhere.get_json()["error"]["code"] == "idempotency_key_reused"
    given = [
        e
        for e in st.timeline(db, setup["id"])
        if e["step"] == st.NAME and e["to_state"] == st.GIVEN
    ]
    assert len(given) == 1


def test_a_multipart_replay_matches_whatever_its_boundary(client, db, writer, sub, setup):
    headers = {"Idempotency-Key": "avatar-1"}
    photo = jpeg(size=(300, 300))
    answers = [
        call(client, "put", url(sub, "/avatar"), writer, headers=dict(headers),
             data={"avatar": (io.BytesIO(photo), "a.jpg")}, content_type="multipart/form-data")
        for _ in range(2)
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[1].headers.get("Idempotent-Replayed") == "true"


def test_resubmit_after_a_rejection(client, db, writer, sub, setup):
    early = call(client, "post", url(sub, "/audit/resubmit"), writer, json={})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "resubmit_not_needed"
    outcomes.needs_merchant(db, setup["id"], st.AUDIT, None, "页面内容与类目不符", "微信审核未通过")
    assert read(client, writer, sub)["setup"]["steps"][st.AUDIT]["reason"] == "页面内容与类目不符"
    long = call(
        client, "post", url(sub, "/audit/resubmit"), writer, json={"feedback_info": "改" * 201}
    )
    assert (
        long.status_code == 422
        and long.get_json()["error"]["fields"][0]["field"] == "feedback_info"
    )
    response = call(
        client,
        "post",
        url(sub, "/audit/resubmit"),
        writer,
        json={"feedback_info": "已按要求修改页面"},
    )
    assert response.status_code == 202, response.get_json()
    state, given, _ = stored(db, setup["id"], st.DEPLOY)
    assert state == st.GIVEN and given == {"feedback_info": "已按要求修改页面"}
    assert st.step(db, setup["id"], st.AUDIT)["state"] == st.TODO


def test_release_only_when_the_policy_waits_for_confirmation(client, db, writer, sub, setup):
    outcomes.done(db, setup["id"], st.AUDIT, {}, "微信审核通过")
    auto = call(client, "post", url(sub, "/release"), writer)
    assert auto.status_code == 409 and "自动发布" in auto.get_json()["error"]["message"]
    platform.save(db, release_policy="confirm")
    assert read(client, writer, sub)["setup"]["can_release"] is True
    response = call(client, "post", url(sub, "/release"), writer)
    assert response.status_code == 202, response.get_json()
    assert stored(db, setup["id"], st.RELEASE)[:2] == (st.GIVEN, {"confirmed": True})
    assert response.get_json()["can_release"] is False
    twice = call(client, "post", url(sub, "/release"), writer)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "release_not_needed"


def test_every_drive_call_is_audited(client, db, writer, sub, setup):
    call(
        client, "put", url(sub, "/intro"), writer, json={"signature": "本店提供在线点餐和外卖服务"}
    )
    call(client, "put", url(sub, "/intro"), writer, json={"signature": "ab"})
    rows = list(db.query("SELECT * FROM audit_log WHERE action = 'api call' ORDER BY id"))
    assert [r["username"] for r in rows] == ["api:部署系统"] * 2
    assert [r["target"] for r in rows] == [f"submission {sub['id']}"] * 2
    assert rows[0]["detail"].endswith("/setup/intro → 202") and rows[1]["detail"].endswith("→ 422")
