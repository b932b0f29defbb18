"""The admin's 上线设置 page (/admin/golive) and the health page's permission sets:
saving each section (validated, audited, CSRF-protected), the preview, the worker
requests, and who may open it."""

import html
import json
import re

import pytest

from portal.golive import platform
from tests.consoles.conftest import csrf_from

ANON, ADMIN, STAFF, PARTNER = None, "admin", "staff", "partner_a"
PAGE = "/admin/golive"


def post(client, section, **data):
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    fields = {f"{section}-{key}": value for key, value in data.items()}
    return client.post(f"{PAGE}/{section}", data={"csrf_token": token, **fields})


def audited(db, action):
    return list(db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action]))


def test_the_page_shows_every_section_and_is_linked_from_the_console(as_role):
    client = as_role(ADMIN)
    page = client.get(PAGE).get_data(as_text=True)
    for heading in ("代码模板", "ext_json 模板", "域名", "隐私保护指引", "审核表单", "发布方式"):
        assert heading in page
    assert "方式一（登记到平台）" in page and "方式二（直接设置）" in page and "不要混用" in page
    assert "未选择代码模板" in page  # the check at the top
    assert 'href="/admin/golive">上线设置</a>' in client.get("/admin/").get_data(as_text=True)
    assert 'name="viewport"' in page and 'class="cards"' in page  # usable at 375 px


@pytest.mark.parametrize("role, status", [(ANON, 302), (STAFF, 403), (PARTNER, 403)])
def test_only_admins_open_or_change_the_setup(client, db, as_role, role, status):
    if role:
        as_role(role)
    assert client.get(PAGE).status_code == status
    token = csrf_from(client.get("/login").get_data(as_text=True)) if role is None else ""
    for path in ("/release", "/refresh", "/domains/register", "/drafts/1/add", "/permissions"):
        data = {"csrf_token": token, "release-release_policy": "confirm"}
        assert client.post(PAGE + path, data=data).status_code in (status, 400)
    assert platform.get(db).release_policy == "auto"
    assert db.execute("SELECT count(*) FROM golive_platform_work").fetchone()[0] == 0


def test_a_post_without_its_csrf_token_is_refused(as_role, db):
    client = as_role(ADMIN)
    response = client.post(f"{PAGE}/release", data={"release-release_policy": "confirm"})
    assert response.status_code == 400
    assert platform.get(db).release_policy == "auto"


def test_saving_domains_is_validated_audited_and_asks_the_worker(as_role, db):
    client = as_role(ADMIN)
    bad = post(client, "domains", requestdomain="api.shop.example.com\n127.0.0.1",
               domain_way="platform")  # fmt: skip
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "127.0.0.1 不是可用的域名" in page and "未保存" in page
    assert "127.0.0.1" in page.split('name="domains-requestdomain"')[1][:300]  # kept in the form
    assert platform.get(db).server_domains["requestdomain"] == ()
    assert audited(db, "save golive setup") == []
    good = post(client, "domains", requestdomain="api.shop.example.com",
                webview_domains="h5.shop.example.com", domain_way="platform")  # fmt: skip
    assert good.status_code == 302 and good.headers["Location"].endswith("#domains")
    setup = platform.get(db)
    assert setup.server_domains["requestdomain"] == ("https://api.shop.example.com",)
    assert setup.webview_domains == ("https://h5.shop.example.com",)
    (row,) = audited(db, "save golive setup")
    assert row["username"] == "admin" and row["target"] == "domains"
    assert "api.shop.example.com" in row["detail"]
    assert platform.state(db)[platform.DOMAINS]["requested_at"] is not None
    page = client.get(PAGE).get_data(as_text=True)
    assert "域名已保存" in page and "正在请后台把域名登记到第三方平台" in page


def test_privacy_audit_form_and_release_policy_are_saved(as_role, db):
    client = as_role(ADMIN)
    response = post(client, "privacy", contact_phone="020-12345678", notice_method="弹窗",
                    purpose_Location="为了展示附近的门店", others="BlueTooth：连接门店的打印机")  # fmt: skip
    assert response.status_code == 302
    setup = platform.get(db)
    assert setup.privacy_contact == {"contact_phone": "020-12345678"}
    assert setup.privacy_purposes == {"Location": "展示附近的门店", "BlueTooth": "连接门店的打印机"}
    refused = post(client, "privacy", notice_method="弹窗", purpose_Location="展示门店")
    assert "请至少填写一种联系方式" in refused.get_data(as_text=True)
    refused = post(client, "privacy", contact_qq="1", notice_method="弹窗", others="没有冒号")
    assert "应写成 privacy_key：用途" in refused.get_data(as_text=True)
    assert platform.get(db) == setup
    items = {"items-0-address": "pages/index/index", "items-0-tag": "餐饮 外卖",
             "items-0-title": "首页", "items-1-address": "pages/shop/shop"}  # fmt: skip
    assert post(client, "audit", **items).status_code == 302
    assert [i["address"] for i in platform.get(db).audit_items] == [
        "pages/index/index", "pages/shop/shop",
    ]  # fmt: skip
    assert "85011" in post(client, "audit", **{"items-0-address": "p/a",
                                               "items-0-title": "长" * 40}).get_data(as_text=True)  # fmt: skip
    assert post(client, "release", release_policy="confirm").status_code == 302
    assert platform.get(db).release_policy == "confirm"
    assert "只能是 auto 或 confirm" in post(client, "release", release_policy="x").get_data(
        as_text=True
    )
    page = client.get(PAGE).get_data(as_text=True)
    assert 'value="020-12345678"' in page and "BlueTooth：连接门店的打印机" in page
    assert len(audited(db, "save golive setup")) == 3


def test_the_preview_shows_what_a_real_merchant_would_get_escaped(as_role, db, people):
    client = as_role(ADMIN)
    sub = people["sub_a"]
    db.execute(
        "UPDATE submissions SET state = 'authorized', appid = 'wxprev00000000001', "
        "name = '甲\"引号\"\\斜杠有限公司' WHERE id = ?",
        [sub["id"]],
    )
    db.conn.commit()
    sample = client.get(PAGE).get_data(as_text=True)
    assert "示例餐饮管理有限公司" in sample and "wx1234567890abcdef" in sample
    page = client.get(f"{PAGE}?preview={sub['id']}").get_data(as_text=True)
    shown = html.unescape(
        re.search(r'<pre class="xml" id="preview-json">(.*?)</pre>', page, re.S).group(1)
    )
    data = json.loads(shown)
    assert data["extAppid"] == "wxprev00000000001"
    assert data["ext"]["company"] == '甲"引号"\\斜杠有限公司' and data["ext"]["partner"] == "甲代理"
    assert sub["public_id"] not in page


def test_the_draft_preview_renders_without_saving_and_a_bad_template_is_explained(as_role, db):
    client = as_role(ADMIN)
    draft = '{"ext": {"shop": "{company}"}, "window": {"navigationBarTitleText": "{nickname}"}}'
    page = post(client, "ext_json", ext_json_template=draft, preview="预览").get_data(as_text=True)
    assert "预览（未保存的草稿）" in page and "navigationBarTitleText" in page
    assert platform.get(db).ext_json_template == platform.PlatformSetup().ext_json_template
    unknown = post(client, "ext_json", ext_json_template='{"ext": "{shop}"}', preview="预览")
    assert "未知的占位符 {shop}" in unknown.get_data(as_text=True)
    bad = post(client, "ext_json", ext_json_template='{"ext": {company}}', submit="保存")
    assert "占位符须写在引号内" in bad.get_data(as_text=True)
    assert post(client, "ext_json", ext_json_template=draft, submit="保存").status_code == 302
    assert platform.get(db).ext_json_template == draft


def test_refresh_asks_the_worker_and_the_template_is_chosen_from_its_list(as_role, db, jobs):
    client = as_role(ADMIN)
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    assert client.post(f"{PAGE}/refresh", data={"csrf_token": token}).status_code == 302
    assert "正在请后台获取模板列表" in client.get(PAGE).get_data(as_text=True)
    jobs.run_once()
    page = client.get(PAGE).get_data(as_text=True)
    assert "模板列表获取于" in page and "加入模板库" in page
    draft = max(d["draft_id"] for d in platform.drafts(db))
    assert client.post(f"{PAGE}/drafts/{draft}/add", data={"csrf_token": token}).status_code == 302
    assert client.post(f"{PAGE}/drafts/999999/add", data={"csrf_token": token}).status_code == 404
    jobs.run_once()
    (template,) = platform.templates(db)
    assert post(client, "template", template_id=str(template["template_id"])).status_code == 302
    setup = platform.get(db)
    assert (setup.template_id, setup.template_version) == (
        template["template_id"], template["user_version"],
    )  # fmt: skip
    assert "（使用中）" in client.get(PAGE).get_data(as_text=True)
    assert "不在最近获取的模板列表中" in post(client, "template", template_id="424242").get_data(
        as_text=True
    )
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert {"refresh golive templates", "add golive draft", "save golive setup"} <= set(actions)


def test_the_health_page_shows_each_mini_programs_permission_sets(as_role, db, people):
    now = 1.0
    rows = [
        (
            "wxfull00000000001",
            [{"funcscope_category": {"id": i}} for i in (17, 18, 19, 25, 30, 31)],
        ),
        ("wxno18000000000001", [{"funcscope_category": {"id": i}} for i in (17, 25, 30, 31)]),
        ("wxunknown00000001", None),
    ]
    for appid, func_info in rows:
        db.execute(
            "INSERT INTO authorizers (appid, submission_id, func_info, state, updated_at) "
            "VALUES (?, ?, ?, 'authorized', ?)",
            [
                appid,
                people["sub_a"]["id"],
                None if func_info is None else json.dumps(func_info),
                now,
            ],
        )
    db.conn.commit()
    page = as_role(ADMIN).get("/admin/").get_data(as_text=True)
    section = page.split('id="permissions"')[1]
    missing = section.split("wxno18000000000001")[1].split("</tr>")[0]
    assert (
        "18 开发管理与数据分析权限" in missing and "commit" in missing and "submit_audit" in missing
    )
    assert "30 小程序基本信息设置权限</strong>" not in missing
    assert "61007" in section and "未知" in section.split("wxunknown00000001")[1].split("</tr>")[0]
    assert "1 个小程序已授权上线所需的全部权限集" in section
    assert "wxfull00000000001" in section.split("<details>")[1]


def test_the_health_page_asks_the_worker_about_unknown_permission_sets(as_role, db):
    db.execute(
        "INSERT INTO authorizers (appid, func_info, state, updated_at) "
        "VALUES ('wxunknown00000002', NULL, 'authorized', 1)"
    )
    db.conn.commit()
    client = as_role(ADMIN)
    page = client.get("/admin/").get_data(as_text=True)
    assert "向微信查询权限集未知的小程序" in page
    response = client.post("/admin/golive/permissions", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/admin/#permissions"
    )
    assert platform.state(db)[platform.PERMISSIONS]["requested_at"] is not None
    assert audited(db, "ask golive permissions")
    assert client.post("/admin/golive/permissions").status_code == 400  # no CSRF token
