"""The merchant's pages: form, checks, confirmation, submit, status, resubmit."""

import re

import pytest

from portal.registration import submissions as subs
from tests.merchant.helpers import FORM, confirm, csrf_token, post_form, submit


def count(db, table="submissions"):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_landing_says_what_the_merchant_gets_and_needs(client):
    page = client.get("/").get_data(as_text=True)
    for text in ("不代收任何费用", "24 小时", "线下", "2023 年 12 月 25 日", "未认证", "开始填写"):
        assert text in page


@pytest.mark.parametrize(
    "label", ["企业名称", "企业代码类型", "企业代码", "法人姓名", "法人微信号"]
)
def test_the_form_has_the_documents_labels_tied_to_inputs(client, label):
    page = client.get("/apply").get_data(as_text=True)
    match = re.search(rf'<label for="(\w+)">{label}</label>', page)
    assert match and f'id="{match.group(1)}"' in page


def test_a_phone_number_as_wechat_id_is_caught_before_anything_is_stored(client, db):
    response = post_form(client, legal_persona_wechat="13800138000")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "这是手机号，不是微信号" in page and 'aria-invalid="true"' in page
    assert count(db) == 0


def test_valid_input_leads_to_a_confirmation_showing_what_will_be_sent(client, db):
    response = post_form(client, name="广州市示例 (天河) 科技有限公司", code="9144030071526726xg")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "广州市示例（天河）科技有限公司" in page and "9144030071526726XG" in page
    assert "公众平台安全助手" in page and "24 小时内" in page
    assert count(db) == 0


def test_warnings_show_on_confirmation_but_do_not_block(client):
    page = post_form(client, name="个体户李四", legal_persona_name="张三").get_data(as_text=True)
    assert "个体户张三" in page and "确认提交" in page


def test_confirming_stores_a_queued_submission_and_calls_no_one(client, db):
    location = submit(client, contact_phone="13800138000")
    sub = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    assert sub["state"] == subs.QUEUED and sub["contact_phone"] == "13800138000"
    assert sub["component_phone"] == "020-12345678"
    assert count(db, "api_calls") == 0
    page = client.get(location).get_data(as_text=True)
    assert "请保存本页链接" in page and "资料已保存" in page


def test_the_edit_button_returns_to_the_form_with_the_values(client, db):
    data = {**FORM, "csrf_token": csrf_token(client), "action": "edit"}
    page = client.post("/apply/confirm", data=data).get_data(as_text=True)
    assert 'value="zhangsan_88"' in page and count(db) == 0


def test_confirm_rechecks_on_the_server(client, db):
    response = confirm(client, code="123")
    assert response.status_code == 422 and count(db) == 0


def test_an_identical_submission_in_flight_opens_its_status_page(client, db):
    first = submit(client)
    second = submit(client, name=" 广州市示例科技有限公司")
    assert first == second and count(db) == 1
    assert "无需重复提交" in client.get(second).get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused_and_stores_nothing(client, db):
    response = client.post("/apply/confirm", data={**FORM, "action": "submit"})
    assert response.status_code == 400 and count(db) == 0
    assert "已过期" in response.get_data(as_text=True)


def test_an_unknown_status_link_gets_a_helpful_404(client):
    response = client.get("/s/not-a-real-id")
    assert response.status_code == 404 and "链接可能不完整" in response.get_data(as_text=True)


def test_status_json_and_qr_code(client):
    location = submit(client)
    data = client.get(location + "/status.json").get_json()
    assert data["state"] == "queued" and data["live"] is True and data["version"]
    qr = client.get(location + "/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_pages_are_not_cached_and_carry_security_headers(client):
    response = client.get("/apply")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_legal_person_guide_names_the_sender_and_the_deadline(client, db):
    location = submit(client)
    sub = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    subs.transition(
        db, sub["id"], subs.AWAITING, "", expect=[subs.QUEUED], deadline_at=1_900_000_000
    )
    page = client.get(location + "/guide").get_data(as_text=True)
    assert "公众平台安全助手" in page and "创建小程序申请" in page and "2030-03-18" in page
    assert "24 小时内" in client.get("/guide").get_data(as_text=True)


def fail(db, location, status):
    sub = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    subs.transition(
        db, sub["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=status, push_msg="x"
    )
    return sub


def test_a_failure_explains_and_offers_a_prefilled_resubmit(client, db):
    location = submit(client)
    old = fail(db, location, 103)
    page = client.get(location).get_data(as_text=True)
    assert "法人姓名与工商登记不一致" in page and "修改信息并重新提交" in page
    form = client.get(f"/apply?from={old['public_id']}").get_data(as_text=True)
    assert 'value="广州市示例科技有限公司"' in form
    assert re.search(r'class="field highlight" data-field="legal_persona_name"', form)
    new_location = submit(client, legal_persona_name="张叁", previous=old["public_id"])
    new = subs.get_by_public_id(db, new_location.rsplit("/", 1)[1])
    assert new["previous_id"] == old["id"]
    assert "查看新申请的进度" in client.get(location).get_data(as_text=True)


def test_105_says_when_to_retry(client, db):
    location = submit(client)
    fail(db, location, 105)
    page = client.get(location).get_data(as_text=True)
    assert "5–15 个工作日" in page and "之间重新提交" in page


def test_89249_says_when_a_new_attempt_is_possible(client, db):
    earlier = submit(client)
    sub = subs.get_by_public_id(db, earlier.rsplit("/", 1)[1])
    subs.transition(db, sub["id"], subs.EXPIRED, "", expect=[subs.QUEUED], sent_at=1_900_000_000)
    location = submit(client, legal_persona_wechat="zhangsan_99")
    rejected = subs.get_by_public_id(db, location.rsplit("/", 1)[1])
    subs.transition(db, rejected["id"], subs.REJECTED, "", expect=[subs.QUEUED], errcode=89249)
    page = client.get(location).get_data(as_text=True)
    assert "该企业已有注册任务在进行" in page and "2030-03-18" in page


def test_one_address_cannot_spend_the_quota(app, client, db):
    app.config["SUBMISSIONS_PER_HOUR"] = 2
    # Three companies, so three codes: the same code would be the same company.
    submit(client, name="第一家科技有限公司", code="91440300000000001H")
    submit(client, name="第二家科技有限公司", code="91440300000000002L")
    response = confirm(client, name="第三家科技有限公司", code="91440300000000003P")
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 429
        and "分钟后再提交" in page
        and 'value="第三家科技有限公司"' in page
    )
    assert count(db) == 2


def test_the_confirmation_is_a_page_of_its_own_so_back_and_reload_never_repost(client, db):
    """POST /apply redirects to GET /apply/confirm (post/redirect/get)."""
    data = {**FORM, "csrf_token": csrf_token(client)}
    response = client.post("/apply", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/apply/confirm")
    page = client.get("/apply/confirm")
    assert page.status_code == 200 and "请核对提交给微信的信息" in page.get_data(as_text=True)
    assert client.get("/apply/confirm").status_code == 200  # a reload shows it again
    token = csrf_token(client, "/apply/confirm")
    sent = client.post("/apply/confirm", data={**FORM, "csrf_token": token, "action": "submit"})
    assert sent.status_code == 302 and "/s/" in sent.headers["Location"]
    # Back from the status page: the draft is gone, so the form opens, nothing is posted.
    again = client.get("/apply/confirm")
    assert again.status_code == 302 and again.headers["Location"].endswith("/apply")
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_a_status_link_with_a_trailing_slash_opens_the_page(client, db):
    path = submit(client)
    response = client.get(path + "/")
    assert response.status_code == 301 and response.headers["Location"].endswith(path)


def test_an_unchanged_status_is_a_304_from_one_small_query(client, db):
    path = submit(client)
    first = client.get(path + "/status.json")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.get_json()["state"] == "queued"
    again = client.get(path + "/status.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    sub = subs.get_by_public_id(db, path.rsplit("/", 1)[1])
    subs.transition(db, sub["id"], subs.SENDING, "", expect=[subs.QUEUED])
    changed = client.get(path + "/status.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["state"] == "sending"
