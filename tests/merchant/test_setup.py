"""The go-live checklist's four merchant steps (/s/<public_id>/setup): rules shown, good
input stored for the worker, bad input refused with a message and nothing changed."""

import io
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.golive import outcomes
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts

APPID = "wx1234567890abcdef"
CHOICES = [
    {"first": 8, "first_name": "生活服务", "second": 801, "second_name": "家政服务",
     "sensitive": False, "qualifications": []},
    {"first": 6, "first_name": "餐饮", "second": 601, "second_name": "餐饮服务场所/餐饮服务管理企业",
     "sensitive": True, "qualifications": ["食品经营许可证"]},
]  # fmt: skip


def authorized(db, name="广州市示例科技有限公司", appid=APPID) -> dict:
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name))
    subs.transition(db, sub["id"], subs.AUTHORIZED, "", expect=[subs.QUEUED], appid=appid)
    return subs.get(db, sub["id"])


@pytest.fixture
def sub(db):
    return authorized(db)


def url(sub, tail=""):
    return f"/s/{sub['public_id']}/setup{tail}"


def setup_of(db, sub) -> dict:
    return st.for_submission(db, sub["id"])


def photo(size=(800, 600), fmt="JPEG", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red").save(out, fmt)
    return out.getvalue()


def post(client, sub, step, data=None, **files):
    """Post a step's form as the page would, with its CSRF token and any photos."""
    token = csrf_from(client.get(url(sub)).get_data(as_text=True))
    fields = {"csrf_token": token, **(data or {})}
    for name, content in files.items():
        fields[name] = FileStorage(io.BytesIO(content), f"{name}.jpg", content_type="image/jpeg")
    # Encoded here, in memory: the test client's own encoder leaves a temporary file open.
    boundary, body = encode_multipart(fields)
    kind = f"multipart/form-data; boundary={boundary}"
    return client.post(url(sub, f"/{step}"), data=body, content_type=kind)


def snapshot(db, sub):
    """Everything a refused post must leave as it was."""
    setup = setup_of(db, sub)
    rows = st.steps(db, setup["id"])
    kept = {n: (r["state"], r["input"], r["updated_at"]) for n, r in rows.items()}
    files = db.execute("SELECT count(*) FROM setup_files").fetchone()[0]
    events = db.execute("SELECT count(*) FROM setup_events").fetchone()[0]
    return kept, files, events


def with_choices(db, sub, choices=CHOICES):
    setup = setup_of(db, sub) or st.open_setup(db, sub["id"], sub["appid"])
    outcomes.progress(db, setup["id"], st.CATEGORY, "choices", {"choices": choices}, "")
    return setup


def test_the_success_page_leads_to_the_checklist(client, sub):
    page = client.get(f"/s/{sub['public_id']}").get_data(as_text=True)
    assert "开始上线设置" in page and url(sub) in page


def test_before_authorization_the_checklist_sends_back_to_the_status_page(client, db):
    queued, _ = subs.submit(db, FLAVORS["classic"], facts("广州市未授权科技有限公司"))
    response = client.get(url(queued))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/s/{queued['public_id']}"
    )
    assert st.for_submission(db, queued["id"]) is None


def test_opening_the_checklist_makes_the_setup_once(client, db, sub):
    for _ in range(2):
        assert client.get(url(sub)).status_code == 200
    assert db.execute("SELECT count(*) FROM setups").fetchone()[0] == 1
    assert st.step(db, setup_of(db, sub)["id"], st.NAME)["state"] == st.TODO


def test_every_step_shows_its_rules_before_the_merchant_types(client, sub):
    page = client.get(url(sub)).get_data(as_text=True)
    for rule in ("不能含“小程序”", "每年只能改名 2 次", "营业执照", "居中的正方形", "至少 4 个汉字",
                 "广告法", "需资质", "正在向微信获取可选类目，请稍候刷新", "ICP 备案", "尚未查询",
                 "mp.weixin.qq.com", "管理员是法定代表人的微信"):  # fmt: skip
        assert rule in page, rule


def test_a_good_name_with_the_licence_is_stored_for_the_worker(client, db, sub):
    response = post(client, sub, "name", {"nickname": " 张记  面馆 "}, licence=photo())
    assert response.status_code == 303 and response.headers["Location"].endswith("#step-avatar")
    setup = setup_of(db, sub)
    name = st.step(db, setup["id"], st.NAME)
    assert name["state"] == st.GIVEN and name["input"] == {"nickname": "张记 面馆"}
    (licence,) = st.files(db, setup["id"], st.NAME)
    assert licence["role"] == "licence" and licence["content_type"] == "image/jpeg"
    assert Image.open(io.BytesIO(licence["content"])).format == "JPEG"
    page = client.get(url(sub)).get_data(as_text=True)
    assert 'value="张记 面馆"' in page and "已上传营业执照" in page and "已保存，等待提交" in page


def test_a_name_can_be_changed_later_without_a_new_licence(client, db, sub):
    post(client, sub, "name", {"nickname": "张记面馆"}, licence=photo())
    assert post(client, sub, "name", {"nickname": "张记面馆总店"}).status_code == 303
    setup = setup_of(db, sub)
    assert st.step(db, setup["id"], st.NAME)["input"]["nickname"] == "张记面馆总店"
    assert len(st.files(db, setup["id"], st.NAME)) == 1


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("张记小程序", "名称里不能有“小程序”三个字"),
        ("店", "名称为 4–30 个字符（一个汉字算 2 个），现在是 2 个。"),
        ("面" * 5000, "现在是 10000 个"),
        ("张记\x00面馆", "名称里有不可见的控制字符"),
        ("微信面馆", "这是微信保留的词"),
        ("Tea & Co. 茶", "名称里不能有“.”"),
        ("<script>alert(1)</script>", "名称里不能有“&lt;”"),
    ],
)
def test_a_bad_name_is_refused_and_changes_nothing(client, db, sub, nickname, message):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = post(client, sub, "name", {"nickname": nickname}, licence=photo())
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert 'aria-invalid="true"' in page and "<script>alert" not in page
    assert snapshot(db, sub) == before


def test_a_name_without_the_licence_photo_is_refused(client, db, sub):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = post(client, sub, "name", {"nickname": "张记面馆"})
    assert response.status_code == 422
    assert "请上传营业执照照片" in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


def test_a_good_introduction_is_stored_on_one_line(client, db, sub):
    response = post(client, sub, "intro", {"signature": "本店提供\r\n在线点餐、外卖和到店自提服务"})
    assert response.status_code == 303
    intro = st.step(db, setup_of(db, sub)["id"], st.INTRO)
    assert intro["state"] == st.GIVEN
    assert intro["input"] == {"signature": "本店提供 在线点餐、外卖和到店自提服务"}
    assert "本店提供 在线点餐、外卖和到店自提服务</textarea>" in client.get(url(sub)).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("好吃", "简介为 4–120 个字，现在是 2 个字。"),
        ("饭" * 50_000, "现在是 50000 个字"),
        ("Good food here!", "简介至少要有 4 个汉字"),
        ("本店面条好吃😀", "不能有表情符号"),
        ("本店\x1b[31m面条好吃", "不可见的控制字符"),
        ("全城第一的面馆", "简介里不能有“第一”"),
    ],
)
def test_a_bad_introduction_is_refused_and_changes_nothing(client, db, sub, signature, message):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = post(client, sub, "intro", {"signature": signature})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


def test_without_choices_the_category_step_says_it_is_fetching(client, db, sub):
    page = client.get(url(sub)).get_data(as_text=True)
    assert "正在向微信获取可选类目，请稍候刷新" in page
    response = post(client, sub, "category", {"category": "8:801"})
    assert response.status_code == 422 and "可选类目还没有获取到" in response.get_data(as_text=True)


def test_a_plain_category_is_stored_with_its_names(client, db, sub):
    with_choices(db, sub)
    page = client.get(url(sub)).get_data(as_text=True)
    assert "家政服务" in page and 'value="6:601"' in page and "需资质" in page
    assert post(client, sub, "category", {"category": "8:801"}).status_code == 303
    category = st.step(db, setup_of(db, sub)["id"], st.CATEGORY)
    assert category["state"] == st.GIVEN
    assert category["input"] == {"first": 8, "first_name": "生活服务", "second": 801,
                                 "second_name": "家政服务", "qualifications": []}  # fmt: skip
    assert category["result"]["choices"] == CHOICES  # the picker's list stays
    assert 'value="8:801" checked' in client.get(url(sub)).get_data(as_text=True)


def test_a_sensitive_category_needs_its_qualification_photo(client, db, sub):
    setup = with_choices(db, sub)
    before = snapshot(db, sub)
    response = post(client, sub, "category", {"category": "6:601"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "需要资质照片：请上传“食品经营许可证”的照片" in page
    assert 'name="document-0"' in page  # the upload appears for the chosen category
    assert snapshot(db, sub) == before
    response = post(client, sub, "category", {"category": "6:601"}, **{"document-0": photo()})
    assert response.status_code == 303
    category = st.step(db, setup["id"], st.CATEGORY)
    assert category["input"]["qualifications"] == ["食品经营许可证"]
    (permit,) = st.files(db, setup["id"], st.CATEGORY)
    assert permit["role"] == "qualification:食品经营许可证"


@pytest.mark.parametrize("raw", ["9:999", "", "8:801' OR 1=1", "\x00"])
def test_a_category_not_offered_is_refused(client, db, sub, raw):
    with_choices(db, sub)
    before = snapshot(db, sub)
    response = post(client, sub, "category", {"category": raw})
    assert response.status_code == 422 and "类目" in response.get_data(as_text=True)
    assert snapshot(db, sub) == before


@pytest.mark.parametrize(
    ("step", "name", "data", "files"),
    [
        ("name", st.NAME, {"nickname": "张记面馆"}, {"licence": photo()}),
        ("avatar", st.AVATAR, {}, {"avatar": photo()}),
        ("intro", st.INTRO, {"signature": "本店提供外卖服务"}, {}),
        ("category", st.CATEGORY, {"category": "8:801"}, {}),
    ],
)
def test_a_step_with_wechat_refuses_a_change_with_a_message(
    client, db, sub, step, name, data, files
):
    setup = with_choices(db, sub)
    outcomes.working(db, setup["id"], name, lease=60)
    before = snapshot(db, sub)
    response = post(client, sub, step, data, **files)
    assert response.status_code == 303
    page = client.get(url(sub)).get_data(as_text=True)
    assert "现在正在提交给微信，暂时不能修改" in page
    assert snapshot(db, sub) == before


def test_a_needs_merchant_step_shows_wechats_reason_and_takes_a_new_input(client, db, sub):
    setup = setup_of(db, sub) or st.open_setup(db, sub["id"], APPID)
    post(client, sub, "name", {"nickname": "张记面馆"}, licence=photo())
    outcomes.needs_merchant(
        db, setup["id"], st.NAME, 53013, "名称与已有小程序重复。<br>请换一个。", ""
    )
    page = client.get(url(sub)).get_data(as_text=True)
    assert "需要修改" in page and "名称与已有小程序重复。\n请换一个。" in page
    assert post(client, sub, "name", {"nickname": "张记面馆二店"}).status_code == 303
    assert st.step(db, setup["id"], st.NAME)["state"] == st.GIVEN


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client, db, sub):
    client.get(url(sub))
    before = snapshot(db, sub)
    response = client.post(url(sub, "/intro"), data={"signature": "本店提供外卖服务"})
    assert response.status_code == 400
    assert snapshot(db, sub) == before


@pytest.mark.parametrize(
    "tail",
    ["", ".json", "/wxacode.png", "/trial-qr.jpg", "/avatar.jpg", "/screenshots/1/0"],
)
def test_only_the_status_links_public_id_opens_a_setup(client, db, sub, tail):
    client.get(url(sub))
    last = sub["public_id"][-1]
    other = sub["public_id"][:-1] + ("y" if last == "x" else "x")  # one character off
    assert client.get(f"/s/{other}/setup{tail}").status_code == 404
    assert client.get(f"/s/not-a-link/setup{tail}").status_code == 404


def test_the_pages_never_call_wechat(client, db, sub):
    with_choices(db, sub)
    post(client, sub, "name", {"nickname": "张记面馆"}, licence=photo())
    post(client, sub, "avatar", avatar=photo())
    post(client, sub, "intro", {"signature": "本店提供外卖服务"})
    post(client, sub, "category", {"category": "8:801"})
    assert db.execute("SELECT count(*) FROM api_calls").fetchone()[0] == 0
    page = client.get(url(sub)).get_data(as_text=True)
    assert "已保存 <strong>4</strong> 项" in page
    assert len(re.findall("已保存，等待提交", page)) >= 4
