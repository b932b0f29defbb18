"""Pages that tell the truth (issue 21): /find recovers every v2 submission without
becoming an oracle, results can be told apart, the legal person's guide reassures, and
the verification QR code is a PNG that WeChat's long-press reads."""

import html
import io
import time

import pytest
from PIL import Image

import portal
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.conftest import CREDENTIALS
from tests.consoles.conftest import csrf_from
from tests.merchant.test_find import find
from tests.registration.facts import code_for, facts

NAME = "杭州无电话科技有限公司"
CODE = code_for(NAME)


@pytest.fixture
def v2_app(tmp_path):
    return portal.create_app({**CREDENTIALS, "TESTING": True, "WECHAT_API_BASE": "http://sandbox",
                              "WECHAT_REGISTER_API": "v2", "DATABASE": str(tmp_path / "v2.sqlite")})  # fmt: skip


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def v2_sub(db, state=None, **changes):
    sub, _ = subs.submit(db, FLAVORS["v2"], {"name": NAME, "code": CODE})
    if state:
        subs.transition(db, sub["id"], state, "", expect=[subs.QUEUED], **changes)
    return subs.get(db, sub["id"])


def test_a_v2_submission_without_a_phone_is_found_by_its_name(client, db):
    sub = v2_sub(db, subs.EXPIRED, push_status=2)
    page = text(find(client, CODE, " 杭州无电话科技有限公司 "))
    assert f"/s/{sub['public_id']}" in page and "已过期" in page


def test_once_created_only_the_appid_opens_it(client, db):
    sub = v2_sub(db, subs.AUTHORIZED, appid="wx0123456789abcdef")
    assert f"/s/{sub['public_id']}" not in text(find(client, CODE, NAME))
    page = text(find(client, CODE, "WX0123456789ABCDEF"))
    assert f"/s/{sub['public_id']}" in page and "小程序已创建" in page


def test_the_name_never_opens_a_submission_with_a_private_fact(client, db):
    with_phone, _ = subs.submit(db, FLAVORS["v2"], {"name": NAME, "code": CODE},
                                contact_phone="13800138000")  # fmt: skip
    classic, _ = subs.submit(db, FLAVORS["classic"], facts(NAME, code=CODE))
    page = text(find(client, CODE, NAME))
    assert "没有找到" in page
    assert with_phone["public_id"] not in page and classic["public_id"] not in page


def test_results_show_state_and_time_and_mark_the_newest(client, db):
    old = v2_sub(db, subs.FAILED, push_status=14)
    new, _ = subs.submit(db, FLAVORS["v2"], {"name": NAME, "code": CODE}, previous_id=old["id"])
    page = text(find(client, CODE, NAME))
    items = page.split('<ul class="found-list">')[1].split("</ul>")[0].split("<li>")[1:]
    assert len(items) == 2 and new["public_id"] in items[0] and "最新" in items[0]
    assert "最新" not in items[1] and "核验未通过" in items[1] and "资料已保存" in items[0]
    assert "提交" in items[1] and "更新" in items[1]


def test_the_classic_guide_reassures_the_legal_person(app, client, db):
    app.config.update(PLATFORM_NAME="云帆商户服务平台", SUPPORT_PHONE="400-123-4567")
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(legal_persona_wechat="zhangsan_88"))
    page = text(client.get(f"/s/{sub['public_id']}/guide"))
    assert (
        "您本人的微信将成为它的管理员" in page and "「云帆商户服务平台」作为微信第三方平台" in page
    )
    assert '法人微信号 <strong class="mono">zh*******88</strong>' in page
    assert "zhangsan_88" not in page
    assert "不会向您收取任何费用" in page and "验证码" in page
    assert "如果您没有申请过" in page and "选择拒绝" in page and "400-123-4567" in page


def test_the_generic_v2_guide_points_at_no_missing_qr_code(v2_app):
    page = text(v2_app.test_client().get("/guide"))
    assert "下方二维码" not in page and "向申请人索取" in page
    assert "请不要打开验证链接" in page


def test_the_verification_qr_code_is_a_sharp_png(v2_app):
    from portal.db import connect

    db = connect(v2_app.config["DATABASE"])
    sub = v2_sub(db, subs.AWAITING, taskid="t1", authorize_url="https://example.invalid/v?t=1",
                 deadline_at=time.time() + 3600)  # fmt: skip
    client = v2_app.test_client()
    page = text(client.get(f"/s/{sub['public_id']}"))
    assert f"/s/{sub['public_id']}/verify.png" in page and "请勿转发给他人" not in page
    assert "请只发给法定代表人本人" in page
    image = client.get(f"/s/{sub['public_id']}/verify.png")
    assert image.mimetype == "image/png"
    png = Image.open(io.BytesIO(image.data))
    assert png.width >= 660 and png.width == png.height  # 3x the 220 CSS pixels it is shown at
    assert client.get(f"/s/{sub['public_id']}/guide").status_code == 200


def test_v2_pages_say_nothing_of_facts_v2_never_collects(v2_app):
    client = v2_app.test_client()
    assert "填写约 1 分钟" in text(client.get("/"))
    token = csrf_from(client.get("/apply").get_data(as_text=True))
    client.post("/apply", data={"name": NAME, "code": CODE, "csrf_token": token})
    confirm = text(client.get("/apply/confirm"))
    assert "请确认与营业执照一致" in confirm and "法定代表人的微信" not in confirm


def test_the_simulated_message_shows_what_wechats_does(sandbox_app, sandbox_http, db, jobs,
                                                      wechat_side):  # fmt: skip
    sandbox_app.config["PLATFORM_NAME"] = "云帆商户服务平台"
    subs.submit(db, FLAVORS["classic"], facts("消息测试科技有限公司"), component_phone="020-1")
    jobs.run_once()
    wechat_side()
    task = sandbox_http.get("/sandbox/tasks").json()[-1]
    assert task["state"] == "legal_person"
    page = sandbox_http.get(f"/sandbox/legal-person/{task['id']}").text
    assert "第三方平台「云帆商户服务平台」" in page and "消息测试科技有限公司" in page
    assert "你的微信为管理员" in page
