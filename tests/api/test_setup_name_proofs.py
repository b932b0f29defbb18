"""The name's proof photos through the API (naming_other_stuff_1..5): ``proof_1`` …
``proof_5`` checked and stored as the merchant's page stores them (files ``proof:<n>``,
the input's ``proofs``), required once WeChat asked proof for this very name (422
otherwise, nothing stored), shown on GET /setup, and sent by the worker to setnickname."""

import io

import pytest

from portal.api import bodies
from portal.api.openapi import spec
from portal.golive import name_proofs, outcomes
from portal.golive import steps as st
from portal.golive.rules import NOT_A_PHOTO
from portal.registration import submissions as subs
from tests.api.setup_helpers import b64, call, jpeg, stored, url
from tests.golive import test_name_proof as proof_run

NAME = "沙箱官方旗舰小店"
WORDING = "名称中含有“官方”，请补充商标注册证书或品牌授权书等证明材料。"

# The in-process worker and sandbox of the name's own tests (tests/golive/test_name_proof.py).
fast_sandbox, sent = proof_run.fast_sandbox, proof_run.sent
live = proof_run.setup  # a setup opened by the worker, against the sandbox


def body(**changes):
    return {"nickname": NAME, "licence": b64(jpeg()), **changes}


def put(client, key, sub, data, **kwargs):
    return call(client, "put", url(sub, "/name"), key, json=data, **kwargs)


def ask_proof(db, setup_id, nickname=NAME):
    """WeChat's check asked proof for the name (as the worker's golive.basic records)."""
    reason = f"微信的提示：{WORDING}\n请在“名称”一步上传 1–5 张证明材料照片。"
    result = {"proof_needed": True, "proof_for": nickname, "wording": WORDING}
    outcomes.needs_merchant(
        db, setup_id, st.NAME, None, reason, "微信要求提供名称的证明材料", result
    )


@pytest.fixture
def asked(client, db, writer, sub, setup):
    """The name and licence were given, then WeChat asked proof for that name."""
    assert put(client, writer, sub, body()).status_code == 202
    ask_proof(db, setup["id"])
    return setup


def snapshot(db, setup_id):
    files = [(f["role"], f["sha256"]) for f in st.files(db, setup_id, st.NAME)]
    return st.step(db, setup_id, st.NAME), files, len(st.timeline(db, setup_id))


def field_errors(response):
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and error["step"] == st.NAME
    return {f["field"]: f for f in error["fields"]}


def test_a_name_wechat_asked_proof_for_is_refused_without_one(client, db, writer, sub, asked):
    before = snapshot(db, asked["id"])
    fields = field_errors(put(client, writer, sub, {"nickname": NAME}))
    assert fields["proof_1"]["message"] == name_proofs.NONE_GIVEN
    assert fields["proof_1"]["label"] == "证明材料照片 1"
    assert snapshot(db, asked["id"]) == before
    # another name is checked afresh by WeChat: no proof needed for it yet
    other = put(client, writer, sub, {"nickname": "沙箱平常小店"})
    assert other.status_code == 202, other.get_json()


def test_proofs_are_stored_as_the_merchant_page_stores_them(client, db, writer, sub, asked):
    response = put(client, writer, sub, body(proof_1=b64(jpeg((1, 2, 3))), proof_2=b64(jpeg())))
    assert response.status_code == 202, response.get_json()
    state, given, roles = stored(db, asked["id"], st.NAME)
    assert state == st.GIVEN and given == {"nickname": NAME, "proofs": ["proof:1", "proof:2"]}
    assert roles == {"licence", "proof:1", "proof:2"}
    for kept in st.files(db, asked["id"], st.NAME):
        assert kept["content_type"] == "image/jpeg" and kept["content"].startswith(b"\xff\xd8\xff")
    shown = response.get_json()["steps"][st.NAME]
    assert shown["input"] == {"nickname": NAME, "proofs": ["proof:1", "proof:2"]}
    assert {"proof:1", "proof:2"} <= set(shown["files"]) and shown["proof_needed"] is True


def test_get_setup_shows_that_proof_is_needed_with_wechats_wording(client, db, writer, sub, setup):
    assert put(client, writer, sub, body()).status_code == 202
    before = call(client, "get", url(sub), writer).get_json()["steps"][st.NAME]
    assert before["proof_needed"] is False and before["wording"] is None
    ask_proof(db, setup["id"])
    shown = call(client, "get", url(sub), writer).get_json()["steps"][st.NAME]
    assert shown["state"] == st.NEEDS_MERCHANT and shown["proof_needed"] is True
    assert shown["wording"] == WORDING and "证明材料" in shown["reason"]
    outcomes.done(db, setup["id"], st.NAME, {"proof_needed": False}, "名称已设置")
    done = call(client, "get", url(sub), writer).get_json()["steps"][st.NAME]
    assert done["proof_needed"] is False and done["wording"] is None


@pytest.mark.parametrize(
    "value, message",
    [
        (b64(b"%PDF-1.4 not a photo"), NOT_A_PHOTO),
        ("not base64 at all!", "base64"),
        (12, "base64"),
    ],
)
def test_a_bad_proof_photo_is_422_naming_its_field(client, db, writer, sub, asked, value, message):
    before = snapshot(db, asked["id"])
    fields = field_errors(put(client, writer, sub, body(proof_1=b64(jpeg()), proof_3=value)))
    assert set(fields) == {"proof_3"} and message in fields["proof_3"]["message"]
    assert fields["proof_3"]["label"] == "证明材料照片 3"
    assert snapshot(db, asked["id"]) == before


def test_proofs_given_when_not_asked_are_kept_for_wechat(client, db, writer, sub, setup):
    response = put(client, writer, sub, body(nickname="沙箱平常小店", proof_2=b64(jpeg())))
    assert response.status_code == 202, response.get_json()
    assert stored(db, setup["id"], st.NAME)[1:] == (
        {"nickname": "沙箱平常小店", "proofs": ["proof:2"]},
        {"licence", "proof:2"},
    )


def test_kept_proofs_count_until_replaced_or_cleared(client, db, writer, sub, asked):
    first = put(client, writer, sub, body(proof_1=b64(jpeg((1, 1, 1))), proof_2=b64(jpeg())))
    assert first.status_code == 202
    old = {f["role"]: f["sha256"] for f in st.files(db, asked["id"], st.NAME)}
    ask_proof(db, asked["id"])  # WeChat did not accept them (91009): asked again
    # the kept proofs still count, as on the merchant's page; a new photo replaces its slot
    again = put(client, writer, sub, {"nickname": NAME, "proof_2": b64(jpeg((9, 9, 9)))})
    assert again.status_code == 202, again.get_json()
    now = {f["role"]: f["sha256"] for f in st.files(db, asked["id"], st.NAME)}
    assert now["proof:1"] == old["proof:1"] and now["proof:2"] != old["proof:2"]
    assert stored(db, asked["id"], st.NAME)[1]["proofs"] == ["proof:1", "proof:2"]
    ask_proof(db, asked["id"])
    # cleared, with none new: WeChat asked for this name, so 422 and nothing changes
    before = snapshot(db, asked["id"])
    fields = field_errors(put(client, writer, sub, {"nickname": NAME, "clear_proofs": True}))
    assert fields["proof_1"]["message"] == name_proofs.NONE_GIVEN
    assert snapshot(db, asked["id"]) == before
    cleared = put(
        client, writer, sub, {"nickname": NAME, "clear_proofs": True, "proof_4": b64(jpeg())}
    )
    assert cleared.status_code == 202, cleared.get_json()
    assert stored(db, asked["id"], st.NAME)[1]["proofs"] == ["proof:4"]
    wrong = field_errors(put(client, writer, sub, {"nickname": NAME, "clear_proofs": "yes"}))
    assert set(wrong) == {"clear_proofs"} and "true" in wrong["clear_proofs"]["message"]


def test_the_licence_and_five_proofs_fit_one_call_by_multipart(client, db, writer, sub, asked):
    data = {"nickname": NAME, "clear_proofs": "true", "licence": (io.BytesIO(jpeg()), "l.jpg")}
    data.update({f"proof_{n}": (io.BytesIO(jpeg((n, 0, 0))), f"p{n}.jpg") for n in range(1, 6)})
    response = call(
        client, "put", url(sub, "/name"), writer, data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 202, response.get_json()
    proofs = [f"proof:{n}" for n in range(1, 6)]
    assert stored(db, asked["id"], st.NAME)[1:] == (
        {"nickname": NAME, "proofs": proofs},
        {"licence", *proofs},
    )


def test_an_idempotency_key_replays_the_answer_with_proofs(client, db, writer, sub, asked):
    headers = {"Idempotency-Key": "name-proofs-1"}
    data = body(proof_1=b64(jpeg()), proof_2=b64(jpeg((5, 5, 5))))
    first = put(client, writer, sub, data, headers=dict(headers))
    assert first.status_code == 202, first.get_json()
    outcomes.working(db, asked["id"], st.NAME, 60)  # the worker took it since
    again = put(client, writer, sub, data, headers=dict(headers))
    assert again.status_code == 202 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = put(client, writer, sub, body(proof_1=b64(jpeg())), headers=dict(headers))
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    given = [e for e in st.timeline(db, asked["id"]) if e["to_state"] == st.GIVEN]
    assert len([e for e in given if e["step"] == st.NAME]) == 2  # before asked, and once now


def test_the_openapi_description_lists_the_proofs():
    described = spec("http://x")
    put_name = described["paths"]["/api/v1/submissions/{submission_id}/setup/name"]["put"]
    content = put_name["requestBody"]["content"]
    proofs = {f"proof_{n}" for n in name_proofs.SLOTS}
    assert proofs | {"clear_proofs"} <= set(content["application/json"]["schema"]["properties"])
    form = content["multipart/form-data"]["schema"]["properties"]
    assert all(form[p]["format"] == "binary" for p in proofs)
    step = described["components"]["schemas"]["SetupStep"]["properties"]
    assert {"proof_needed", "wording"} <= set(step)


# -- against the sandbox, with the worker ---------------------------------------------


def test_a_partner_unsticks_a_name_that_needs_proof(
    client, db, jobs, live, sent, sandbox_db, writer
):
    sub = subs.get(db, live["submission_id"])
    assert put(client, writer, sub, body()).status_code == 202
    proof_run.work(
        db, jobs, live["id"], lambda: proof_run.name(db, live["id"])["state"] == st.NEEDS_MERCHANT
    )
    assert sent == []  # nothing set without proof
    shown = call(client, "get", url(sub), writer).get_json()["steps"][st.NAME]
    assert shown["proof_needed"] is True and shown["wording"]

    assert field_errors(put(client, writer, sub, {"nickname": NAME}))["proof_1"]
    data = {"nickname": NAME, "proof_1": b64(jpeg((1, 2, 3))), "proof_2": b64(jpeg((3, 2, 1)))}
    assert put(client, writer, sub, data).status_code == 202
    proof_run.work(
        db, jobs, live["id"], lambda: proof_run.name(db, live["id"])["state"] == st.WAITING
    )
    [(nickname, licence, stuff)] = sent
    assert nickname == NAME and len(stuff) == 2 and licence not in stuff
    uploaded = dict(sandbox_db.execute("SELECT media_id, filename FROM media").fetchall())
    assert [uploaded[m] for m in stuff] == ["proof-1.jpg", "proof-2.jpg"]


def test_a_name_call_past_the_bound_says_photos_may_go_in_several_calls(client, writer, sub, setup):
    huge = {"nickname": NAME, "proof_1": "A" * (bodies.PHOTO_BODY_MAX + 10)}
    response = put(client, writer, sub, huge)
    assert response.status_code == 413, response.get_json()
    message = response.get_json()["error"]["message"]
    assert "一次最多 6 张" in message and "分几次上传" in message
