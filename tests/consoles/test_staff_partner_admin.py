"""What each console does: staff history and actions, partner links, admin accounts."""

import html
from dataclasses import replace
from pathlib import Path

import pytest

from portal import links
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import csrf_from, login

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def audit_actions(db):
    return [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]


def test_staff_go_from_a_partial_name_to_the_history(client, people, as_role, db):
    as_role("staff")
    page = client.get("/staff/search?name=甲客户").get_data(as_text=True)
    assert "1 条结果" in page and "乙客户" not in page
    detail = client.get(f"/staff/submissions/{people['sub_a']['id']}").get_data(as_text=True)
    assert "完整记录" in detail and "zhangsan_88" in detail and "资料已保存" in detail
    assert "view submission" in audit_actions(db) and "search submissions" in audit_actions(db)


@pytest.mark.parametrize(
    "query, found",
    [("code=9144 0101 ma59 vwxy 1b", 2), ("wechat=ZhangSan_88", 1), ("legal_name=王", 1),
     ("state=queued", 2), ("state=failed", 0), ("name=%25", 0), ("name=_", 0)],
)  # fmt: skip
def test_staff_search_filters(client, people, as_role, query, found):
    as_role("staff")
    assert f"{found} 条结果" in client.get(f"/staff/search?{query}").get_data(as_text=True)


def test_staff_search_by_partner_and_date(client, people, as_role):
    as_role("staff")
    page = client.get(f"/staff/search?partner={people['partner_b']}").get_data(as_text=True)
    assert "乙客户" in page and "甲客户" not in page
    assert "0 条结果" in client.get("/staff/search?date_to=2001-01-01").get_data(as_text=True)


def test_staff_add_a_note_and_it_shows_in_the_history(client, people, as_role, db):
    as_role("staff")
    url = f"/staff/submissions/{people['sub_a']['id']}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    client.post(url + "/notes", data={"body": "已电话联系法人", "csrf_token": token})
    assert "已电话联系法人" in client.get(url).get_data(as_text=True)
    assert "add note" in audit_actions(db)


def test_a_note_without_csrf_is_refused_and_not_stored(client, people, as_role, db):
    as_role("staff")
    response = client.post(f"/staff/submissions/{people['sub_a']['id']}/notes", data={"body": "x"})
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_ask_wechat_schedules_a_search_that_the_worker_makes(client, people, as_role, db, jobs):
    """The page never calls WeChat: it records a request; the worker asks and stores."""
    as_role("staff")
    url = f"/staff/submissions/{people['sub_a']['id']}/ask"
    page = client.get(url).get_data(as_text=True)
    assert "今天还可查询 <strong>200</strong> 次" in page
    token = csrf_from(page)
    calls_before = db.execute("SELECT count(*) FROM api_calls").fetchone()[0]
    asked = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    page = asked.get_data(as_text=True)
    assert "已请求查询" in page and 'http-equiv="refresh"' in page
    assert db.execute("SELECT count(*) FROM api_calls").fetchone()[0] == calls_before
    jobs.ctx.timing = replace(
        jobs.ctx.timing, schedule=()
    )  # no scheduled searches: only the one staff asked for
    jobs.run_once()  # the worker's round
    page = client.get(url).get_data(as_text=True)
    assert "微信的回答" in page and "89252" in page  # sent this round; being checked
    assert "今天还可查询 <strong>199</strong> 次" in page and 'http-equiv="refresh"' not in page
    searches = db.execute(
        "SELECT count(*) FROM api_calls WHERE endpoint = 'fastregisterweapp.search' "
        "AND submission_id = ?",
        [people["sub_a"]["id"]],
    ).fetchone()[0]
    assert searches == 1


def test_no_staff_route_reaches_the_wechat_client():
    import portal.staff.routes as routes

    source = Path(routes.__file__).read_text(encoding="utf-8")
    assert "WeChatClient" not in source and "build_jobs" not in source and "httpx" not in source


def test_partner_creates_a_link_and_a_merchant_is_attributed(client, people, as_role, db, app):
    as_role("partner_a")
    token = csrf_from(client.get("/partner/links").get_data(as_text=True))
    client.post(
        "/partner/links",
        data={"label": "地推", "contact_phone": "13900001111", "csrf_token": token},
    )
    link = db.execute("SELECT * FROM signup_links WHERE label = '地推'").fetchone()
    slug = link[2]
    merchant = app.test_client()
    assert merchant.get(f"/r/{slug}").status_code == 302
    form = merchant.get(f"/apply?ref={slug}").get_data(as_text=True)
    # The partner's phone is shown as the partner's, never put in the merchant's own field.
    assert 'value="13900001111"' not in form and f'value="{slug}"' in form
    assert "推荐您的服务商：甲代理" in form and "13900001111" in form
    from tests.merchant.helpers import FORM

    data = {
        **FORM,
        "name": "丁客户科技有限公司",
        "ref": slug,
        "csrf_token": csrf_from(form),
        "action": "submit",
    }
    assert merchant.post("/apply/confirm", data=data).status_code == 302
    sub = db.execute(
        "SELECT partner_id, link_id FROM submissions WHERE name = '丁客户科技有限公司'"
    ).fetchone()
    assert tuple(sub) == (people["partner_a"], link[0])
    funnel = [row for row in links.with_funnel(db, people["partner_a"]) if row["label"] == "地推"][
        0
    ]
    assert (funnel["opens"], funnel["starts"], funnel["submitted"], funnel["succeeded"]) == (
        1,
        1,
        1,
        0,
    )


def test_a_resubmission_stays_with_the_partner(db, people):
    old = people["sub_a"]
    subs.transition(db, old["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=103)
    new, _ = subs.submit(
        db, FLAVORS["classic"], {**old, "legal_persona_name": "张叁"}, previous_id=old["id"]
    )
    assert (new["partner_id"], new["link_id"]) == (old["partner_id"], old["link_id"])


@pytest.mark.parametrize("change", ["disabled", "expired"])
def test_a_disabled_or_expired_link_says_so_and_attributes_nothing(client, db, people, change):
    column, value = ("disabled", 1) if change == "disabled" else ("expires_at", 1)
    db.execute(
        f"UPDATE signup_links SET {column} = ? WHERE id = ?", [value, people["link_a"]["id"]]
    )
    db.conn.commit()
    response = client.get(f"/r/{people['link_a']['slug']}")
    assert response.status_code == 410 and "已失效" in response.get_data(as_text=True)


def test_partner_qr_codes_and_poster(client, people, as_role):
    as_role("partner_a")
    link_id = people["link_a"]["id"]
    png = client.get(f"/partner/links/{link_id}/qr.png?download=1")
    assert (
        png.data[:8] == b"\x89PNG\r\n\x1a\n" and "attachment" in png.headers["Content-Disposition"]
    )
    assert b"<svg" in client.get(f"/partner/links/{link_id}/qr.svg").data
    assert "海报" in client.get(f"/partner/links/{link_id}/poster").get_data(as_text=True)


def test_admin_creates_a_partner_and_its_user_then_disables_it(client, people, as_role, db, app):
    as_role("admin")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    client.post("/admin/users", data={"p-name": "戊代理", "p-submit": "1", "csrf_token": token})
    partner_id = db.execute("SELECT id FROM partners WHERE name = '戊代理'").fetchone()[0]
    client.post("/admin/users", data={"username": "wuyi", "password": "a-long-password", "role": "partner",
                                      "partner": str(partner_id), "submit": "1", "csrf_token": token})  # fmt: skip
    assert (
        db.execute("SELECT partner_id FROM users WHERE username = 'wuyi'").fetchone()[0]
        == partner_id
    )
    client.post(f"/admin/partners/{partner_id}/disable", data={"csrf_token": token})
    assert db.execute("SELECT disabled FROM users WHERE username = 'wuyi'").fetchone()[0] == 1
    assert {"create partner", "create user", "disable partner"} <= set(audit_actions(db))


def test_admin_resets_a_password(client, people, as_role, db, app):
    as_role("admin")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    user_id = db.execute("SELECT id FROM users WHERE username = 'staff'").fetchone()[0]
    client.post(
        f"/admin/users/{user_id}/password",
        data={"password": "brand-new-password", "csrf_token": token},
    )
    from tests.consoles.conftest import login

    assert login(app.test_client(), "staff", "brand-new-password").status_code == 302


def test_admin_health_page_warns_about_a_missing_ticket(client, people, as_role):
    as_role("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "从未收到" in page and "超过 20 分钟没有收到" in page and "小程序认证权限" in page


def test_admin_health_lists_operator_errors_with_what_to_do(client, people, as_role, db):
    db.execute("INSERT INTO api_calls (at, endpoint, errcode, errmsg, latency_ms) "
               "VALUES (strftime('%s','now'), 'fastregisterweapp.create', 61004, 'ip', 3)")  # fmt: skip
    db.conn.commit()
    as_role("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "服务器 IP 不在白名单" in page and "加入服务器出口 IP" in page


def test_free_text_is_escaped_in_every_console(client, people, as_role, db, app):
    """Company name, note and link label carrying markup render as text everywhere."""
    sub, _ = subs.submit(db, FLAVORS["classic"], {**people["sub_a"], "name": f"恶意{XSS}有限公司"})
    db.execute(
        "INSERT INTO notes (submission_id, username, body, at) VALUES (?, 'staff', ?, 0)",
        [sub["id"], XSS],
    )
    db.execute("UPDATE signup_links SET label = ? WHERE id = ?", [XSS, people["link_a"]["id"]])
    db.execute(
        "UPDATE submissions SET partner_id = ? WHERE id = ?", [people["partner_a"], sub["id"]]
    )
    db.conn.commit()
    pages = []
    as_role("staff")
    pages += [client.get(u).get_data(as_text=True) for u in
              ("/staff/", "/staff/search?name=恶意", f"/staff/submissions/{sub['id']}")]  # fmt: skip
    client.post("/logout", data={"csrf_token": csrf_from(pages[-1])})
    as_role("partner_a")
    pages += [client.get(u).get_data(as_text=True) for u in ("/partner/", "/partner/links")]
    pages.append(app.test_client().get(f"/s/{sub['public_id']}").get_data(as_text=True))
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
    assert any(html.escape(XSS, quote=False) in p or "&lt;script&gt;" in p for p in pages)


def test_the_dashboard_explains_a_v2_failure_from_the_v2_catalogue(client, people, as_role, db):
    """Status 14 means 'company information rejected' in v2; classic has no 14."""
    sub, _ = subs.submit(
        db, FLAVORS["v2"], {"name": "杭州看板新版有限公司", "code": "91330100716105852F"}
    )
    subs.transition(db, sub["id"], subs.FAILED, "", expect=[subs.QUEUED], push_status=14)
    as_role("staff")
    page = client.get("/staff/").get_data(as_text=True)
    assert "企业信息核对未通过" in page and "未收录的代码 14" not in page


def test_a_held_submission_shows_why_and_staff_release_it(client, people, as_role, db):
    sub = people["sub_a"]
    subs.transition(db, sub["id"], subs.HELD, "", expect=[subs.QUEUED], held_from=subs.QUEUED,
                    errcode=61004, errmsg="access clientip is not registered")  # fmt: skip
    as_role("staff")
    assert "服务器 IP 不在白名单" in client.get("/staff/").get_data(as_text=True)
    url = f"/staff/submissions/{sub['id']}"
    page = client.get(url).get_data(as_text=True)
    assert "已暂停：服务器 IP 不在白名单" in page and "恢复处理" in page
    client.post(f"{url}/release", data={"csrf_token": csrf_from(page)})
    assert subs.get(db, sub["id"])["state"] == subs.QUEUED
    assert "release held submission" in [
        r[0] for r in db.execute("SELECT action FROM audit_log").fetchall()
    ]


def test_consoles_speak_chinese(client, people, as_role, db):
    as_role("staff")
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "(queued)" not in dashboard and "（queued）" not in dashboard
    client.get("/staff/search?name=%E7%94%B2&state=queued")
    client.post("/logout", data={"csrf_token": csrf_from(dashboard)})
    login(client, "admin")
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "查找申请" in audit and "企业名称：甲" in audit and "search submissions" not in audit
    assert "%E7" not in audit


def test_the_poster_is_a_png_a_phone_can_save(client, people, as_role):
    from portal.partner import poster

    try:
        poster.find_font()
    except poster.FontMissing:
        pytest.skip("fonts-noto-cjk is not installed (make test installs it)")
    as_role("partner_a")
    link_id = people["link_a"]["id"]
    page = client.get(f"/partner/links/{link_id}/poster").get_data(as_text=True)
    assert "长按图片" in page and f"/partner/links/{link_id}/poster.png" in page
    png = client.get(f"/partner/links/{link_id}/poster.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png.data))
    assert image.size == (750, 1334)
    # A real drawing: the green header and a dark QR code, not an empty canvas.
    assert image.getpixel((10, 10)) == (6, 132, 74)
    assert image.crop((155, 280, 595, 720)).convert("L").getextrema()[0] < 50


def test_without_a_cjk_font_the_poster_says_what_to_install(client, people, as_role, monkeypatch):
    from portal.partner import poster

    monkeypatch.setattr(poster, "FONT_CANDIDATES", ("/nowhere/{weight}.ttc",))
    as_role("partner_a")
    link_id = people["link_a"]["id"]
    page = client.get(f"/partner/links/{link_id}/poster").get_data(as_text=True)
    assert "fonts-noto-cjk" in page
    assert client.get(f"/partner/links/{link_id}/poster.png").status_code == 503
