"""A partner helps their merchants: the poster with their phone, each merchant's step,
reason, time left and contact phone, the status link sent again, copy buttons."""

import io
import re
import time

import pytest
from PIL import Image, ImageDraw, ImageFont

from portal import links
from portal.partner import poster as posters
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.consoles.conftest import csrf_from
from tests.registration.facts import facts

LONG_SUPPORT = "客服电话 400-123-4567、客服微信 fastreg_support_2024（工作日 9:00–18:00）"
STEPS = [
    "填写企业名称、企业代码、法人姓名、法人微信号",
    "法定代表人完成核验（24 小时内）",
    "创建完成",
]


def _font_or_skip():
    try:
        return ImageFont.truetype(posters.find_font(), 24)
    except posters.FontMissing:
        pytest.skip("no CJK font installed")


def test_the_posters_footer_stays_inside_its_edges():
    _font_or_skip()
    png = posters.draw("http://x/r/abc", "某某科技小程序注册服务平台", STEPS, LONG_SUPPORT,
                       ["推荐服务商：广州市甲乙丙代理服务有限公司", "服务商电话：13900002222"])  # fmt: skip
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    band = image.crop((0, height - 260, width, height))
    for x in (*range(0, posters.MARGIN - 8), *range(width - posters.MARGIN + 8, width)):
        column = [band.getpixel((x, y)) for y in range(band.height)]
        assert min(column) > 240, f"ink at x={x}: the footer is cut off at the edge"


def test_wrapping_keeps_latin_words_whole_and_loses_nothing():
    font = _font_or_skip()
    pen = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    lines = posters._wrapped(pen, LONG_SUPPORT, font, 750 - 2 * posters.MARGIN)
    assert len(lines) >= 2
    assert "".join(lines).replace(" ", "") == LONG_SUPPORT.replace(" ", "")
    assert any("fastreg_support_2024" in line for line in lines)
    assert all(pen.textlength(line, font=font) <= 750 - 2 * posters.MARGIN for line in lines)
    assert not any(line.startswith(("，", "）", "、")) or line.endswith("（") for line in lines)


def test_the_poster_carries_the_partners_name_and_phone(client, db, people, as_role, monkeypatch):
    link = links.create(db, people["partner_a"], "门店地推", contact_phone="13900002222")
    drawn = {}

    def draw(url, platform, steps, support="", partner=()):
        drawn["partner"] = list(partner)
        return b"png"

    monkeypatch.setattr(posters, "draw", draw)
    as_role("partner_a")
    assert client.get(f"/partner/links/{link['id']}/poster.png").status_code == 200
    assert drawn["partner"] == ["推荐服务商：甲代理", "服务商电话：13900002222"]
    page = client.get(f"/partner/links/{link['id']}/poster").get_data(as_text=True)
    assert "服务商电话：13900002222" in page and 'data-copy-from="#poster-url"' in page


def _held(db, sub, errcode=61007):
    subs.transition(db, sub["id"], subs.HELD, "", expect=[subs.QUEUED], held_from=subs.QUEUED,
                    errcode=errcode, errmsg="api unauthorized")  # fmt: skip


def test_a_partner_sees_step_reason_time_left_and_contact_phone(client, db, people, as_role):
    a = people["partner_a"]
    waiting, _ = subs.submit(db, FLAVORS["classic"], facts("甲等待法人科技有限公司"),
                             contact_phone="13800001234", partner_id=a)  # fmt: skip
    deadline = time.time() + 5 * 3600 + 120
    subs.transition(db, waiting["id"], subs.AWAITING, "", expect=[subs.QUEUED],
                    deadline_at=deadline)  # fmt: skip
    _held(db, people["sub_a"])
    as_role("partner_a")
    page = client.get("/partner/").get_data(as_text=True)
    row = re.search(
        r"<tr><td data-label=\"企业名称\"><strong>甲等待法人.*?</tr>", page, re.S
    ).group(0)
    assert "等待法定代表人核验" in row and "剩 5 小时 0" in row
    assert '<a href="tel:13800001234">13800001234</a>' in row
    held = re.search(r"<strong>甲客户科技有限公司</strong>.*?</tr>", page, re.S).group(0)
    assert "平台暂停处理" in held and "商户无需操作" in held
    assert "乙客户" not in page and "wangwu_1988" not in page  # another partner's merchant
    assert "张三" not in page  # the legal person stays masked


def test_a_partner_gets_their_own_merchants_status_link_and_it_is_logged(
    client, db, people, as_role
):
    as_role("partner_a")
    page = client.get("/partner/").get_data(as_text=True)
    own = f"/partner/merchants/{people['sub_a']['id']}/status-link"
    assert f'action="{own}"' in page and people["sub_a"]["public_id"] not in page
    token = csrf_from(page)
    answer = client.post(own, data={"csrf_token": token}).get_data(as_text=True)
    assert (
        f"/s/{people['sub_a']['public_id']}" in answer and 'data-copy-from="#status-link"' in answer
    )
    logged = db.execute(
        "SELECT target FROM audit_log WHERE action = 'reveal status link'"
    ).fetchall()
    assert logged == [(f"submission {people['sub_a']['id']}",)]
    other = f"/partner/merchants/{people['sub_b']['id']}/status-link"
    assert client.post(other, data={"csrf_token": token}).status_code == 404
    refused = client.post(own, data={})  # no CSRF token: refused, nothing shown or logged
    assert refused.status_code == 400 and people["sub_a"]["public_id"] not in refused.text
    count = "SELECT count(*) FROM audit_log WHERE action = 'reveal status link'"
    assert db.execute(count).fetchone()[0] == 1


def test_links_have_copy_buttons_loaded_from_a_static_script(client, people, as_role):
    as_role("partner_a")
    page = client.get("/partner/links").get_data(as_text=True)
    link_id = people["link_a"]["id"]
    assert f'id="link-url-{link_id}"' in page
    assert f'data-copy-from="#link-url-{link_id}" hidden' in page
    assert re.search(r'<script src="/static/js/copy\.js[^"]*" defer></script>', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script (CSP)
