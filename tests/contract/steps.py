"""The go-live steps the contract tests share, each made through the client with the
mini program's real tokens: name, head image, introduction, category, template,
commit, privacy, audit and release."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from portal.wechat.client import WeChatError, WeChatUnavailable
from portal.wechat.miniprogram.audit import AuditItem
from portal.wechat.miniprogram.categories import CategoryChoice, Certificate
from portal.wechat.miniprogram.privacy import OwnerSetting, PrivacyItem
from tests.contract.live import Live

NAME = "沙箱合约云店"
SIGNATURE = "沙箱合约云店提供门店商品在线选购、预约与到店自提服务。"
OWNER = OwnerSetting(contact_phone="020-12345678", notice_method="弹窗提示")
PRIVACY = (
    PrivacyItem("Location", "为你推荐附近的门店"),
    PrivacyItem("PhoneNumber", "联系你确认订单"),
    PrivacyItem("Album", "上传售后凭证照片"),
)
#: The demo template's pages and privacy keys (the sandbox's draft 2).
PAGES = ("pages/index/index", "pages/shop/shop", "pages/order/order", "pages/mine/mine")
PRIVACY_KEYS = ("Location", "PhoneNumber", "Album")
PLAIN = CategoryChoice(8, 801)  # 生活服务 > 家政服务: approved at once
FOOD = 6, 601  # 餐饮 > 餐饮服务场所: needs 食品经营许可证 and goes to audit
JPEG_MAGIC, PNG_MAGIC = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"


def image(kind: str = "JPEG", size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (7, 163, 90)).save(out, kind)
    return out.getvalue()


def refused(errcode: int, act: Callable[[], Any]) -> WeChatError:
    """Run ``act``; it must raise WeChatError with ``errcode`` (never WeChatUnavailable)."""
    with pytest.raises(WeChatError) as info:
        act()
    exc = info.value
    assert not isinstance(exc, WeChatUnavailable), exc
    assert exc.errcode == errcode, exc
    return exc


def media(live: Live, filename: str = "licence.jpg") -> str:
    return live.a.basic.upload_media(image(), filename).media_id


def food(live: Live, key: str = "食品经营许可证", filename: str = "licence.jpg"):
    """The food category with its qualification (``C2`` in ``key`` rejects it)."""
    return CategoryChoice(*FOOD, (Certificate(key, media(live, filename)),))


def set_basics(live: Live, name: str = NAME) -> None:
    live.a.basic.set_nickname(name, license=media(live))
    live.a.basic.modify_head_image(media(live), 0, 0, 1, 1)
    live.a.basic.modify_signature(SIGNATURE)


def template(live: Live, draft_id: int = 2) -> int:
    """Add a draft to the library (C-token); the new template's id."""
    live.c.templates.add_to_template(draft_id)
    listed = live.c.templates.get_template_list()
    found = max(t.template_id or 0 for t in listed if t.draft_id == draft_id)
    assert found, listed
    return found


def ext(live: Live, **extra: Any) -> dict[str, Any]:
    return {
        "extAppid": live.appid,
        "ext": {"shop": NAME},
        "requiredPrivateInfos": ["getLocation"],
        **extra,
    }


def commit(live: Live, template_id: int, user_desc: str = "首个版本", **extra: Any) -> None:
    live.a.code.commit(template_id, ext(live, **extra), "1.0.0", user_desc)


def set_privacy(live: Live, items=PRIVACY) -> None:
    live.a.privacy.set_privacy_setting(OWNER, items)


def items(live: Live) -> list[AuditItem]:
    [category] = live.a.categories.get_audit_category()
    page = live.a.code.get_page()[0]
    return [AuditItem.of(category, address=page, tag="门店 自提", title="首页")]


def ready(live: Live, name: str = NAME, user_desc: str = "首个版本") -> int:
    """Everything submit_audit needs; the template id."""
    set_basics(live, name)
    live.a.categories.add_category([PLAIN])
    template_id = template(live)
    commit(live, template_id, user_desc)
    set_privacy(live)
    return template_id


def submit(live: Live, **extra: Any) -> int:
    auditid = live.a.audit.submit_audit(items(live), **extra)
    assert auditid, auditid
    return auditid


def pending(live: Live) -> int:
    """Ready and submitted: an audit under way; its auditid."""
    ready(live)
    return submit(live)


def audited(live: Live, **extra: Any) -> int:
    """Submit a ready mini program and let WeChat pass its audit at once."""
    delay = live.sandbox["SANDBOX_AUDIT_DELAY"]
    live.sandbox["SANDBOX_AUDIT_DELAY"] = 0
    try:
        auditid = submit(live, **extra)
    finally:
        live.sandbox["SANDBOX_AUDIT_DELAY"] = delay
    assert live.a.audit.get_audit_status(auditid).status == 0
    return auditid


def released(live: Live) -> int:
    """Ready, audited, filed (ICP 备案: release answers 85020 before) and released; the
    template id."""
    template_id = ready(live)
    audited(live)
    before = live.sandbox["SANDBOX_ICP_FILED_AFTER"]
    live.sandbox["SANDBOX_ICP_FILED_AFTER"] = 0  # the merchant filed in WeChat's console
    try:
        live.a.code.release()
    finally:
        live.sandbox["SANDBOX_ICP_FILED_AFTER"] = before
    return template_id


def state(http, appid: str) -> dict[str, Any]:
    """What the sandbox holds for the mini program (its page's JSON)."""
    response = http.get(f"/sandbox/miniprograms/{appid}/state")
    assert response.status_code == 200, response.text
    return response.json()


def decide(http, appid: str, kind: str, key: int, choice: str) -> None:
    """A button on the sandbox's page: WeChat ends a pending audit now, as chosen."""
    form = {"kind": kind, "key": str(key), "choice": choice}
    response = http.post(f"/sandbox/miniprograms/{appid}/decide", data=form)
    assert response.status_code in (302, 303), response.text


def icp(http, appid: str, **form: str) -> None:
    """The sandbox page's filing control: a status (a rejection with its reason), or the
    permission sets 18 and 156 taken away (``revoked``)."""
    response = http.post(f"/sandbox/miniprograms/{appid}/icp", data=form)
    assert response.status_code in (302, 303), response.text
