"""Every errcode the sandbox gives on the name, media, head image, introduction, category
and privacy calls (SETUP §1-§3), provoked through the client with the real A-token."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.categories import CategoryChoice, Certificate
from portal.wechat.miniprogram.privacy import LIVE, OwnerSetting, PrivacyItem
from tests.contract import steps
from tests.contract.errcodes import Case, check
from tests.contract.steps import OWNER, PLAIN, image, media

CHECK = "cgi-bin.wxverify.checkwxverifynickname"
SET = "wxa.setnickname"
QUERY = "wxa.api_wxa_querynickname"
UPLOAD, AUDIT_MEDIA = "cgi-bin.media.upload", "wxa.uploadmedia"
HEAD, SIGN = "cgi-bin.account.modifyheadimage", "cgi-bin.account.modifysignature"
BY_TYPE, ADD = "cgi-bin.wxopen.getcategoriesbytype", "cgi-bin.wxopen.addcategory"
DELETE, MODIFY = "cgi-bin.wxopen.deletecategory", "cgi-bin.wxopen.modifycategory"
SET_PRIVACY = "cgi-bin.component.setprivacysetting"
GET_PRIVACY = "cgi-bin.component.getprivacysetting"
SCAN = "wxa.security.get_code_privacy_info"
BIG = image() + b"\0" * (2 * 1024 * 1024)  # over 2 MB

#: Names the sandbox's magic ``E<errcode>`` refuses (magic.py): the rest of 53014-53019
#: at the check, and of 91005-91017 at setnickname (SETUP §1.2, §1.3).
CHECK_MAGIC = (53014, 53015, 53016, 53017, 53019)
SET_MAGIC = (91005, 91006, 91007, 91008, 91010, 91012, 91013, 91014, 91015, 91016, 91017)


def check_name(name):
    return lambda live: live.a.basic.check_wx_verify_nickname(name)


def set_name(name, proof=False):
    def act(live):
        stuff = [media(live)] if proof else []
        return live.a.basic.set_nickname(name, license=media(live), naming_other_stuff=stuff)

    return act


def checked_too_often(live):
    for _ in range(10):
        live.a.basic.check_wx_verify_nickname("沙箱云店")
    live.a.basic.check_wx_verify_nickname("沙箱云店")


def taken_by_other(at_set):
    def act(live, other):
        set_name("沙箱独家店")(other)
        (set_name if at_set else check_name)("沙箱独家店")(live)

    return act


def third_rename(live):
    set_name("沙箱一店")(live)
    set_name("沙箱二店")(live)
    set_name("沙箱三店")(live)


def rename_during_name_audit(live):
    set_name("沙箱官方店", proof=True)(live)
    set_name("沙箱别名店")(live)


def rename_during_code_audit(live):
    steps.ready(live)
    steps.submit(live)
    set_name("沙箱新店")(live)


def rename_after_release(live):
    steps.released(live)
    set_name("沙箱新店")(live)


def audit_media_as_licence(live):
    licence = live.a.audit.upload_audit_media(image()).mediaid
    live.a.basic.set_nickname("沙箱云店", license=licence)


def foreign_name_audit(live, other):
    audit_id = other.a.basic.set_nickname(
        "沙箱官方店", license=media(other), naming_other_stuff=[media(other)]
    ).audit_id
    live.a.basic.query_nickname(audit_id)


def head(media_of, box=(0, 0, 1, 1)):
    return lambda live, **kw: live.a.basic.modify_head_image(media_of(live, **kw), *box)


def sixth(call):
    def act(live):
        for _ in range(5):
            call(live)
        call(live)

    return act


def sign(text):
    return lambda live: live.a.basic.modify_signature(text)


def add(*choices):
    return lambda live: live.a.categories.add_category(list(choices))


def food_with(media_of):
    def act(live, **kw):
        live.a.categories.add_category(
            [CategoryChoice(6, 601, (Certificate("食品经营许可证", media_of(live, **kw)),))]
        )

    return act


def sixth_category(live):
    for second in (801, 802, 803, 804, 806):
        live.a.categories.add_category([CategoryChoice(8, second)])
    live.a.categories.add_category([CategoryChoice(8, 807)])


def sixth_held(live, sandbox_db):
    for second in (801, 802, 803, 804, 806):
        live.a.categories.add_category([CategoryChoice(8, second)])
    sandbox_db.execute("UPDATE changes SET at = at - 40 * 86400 WHERE what = 'category'")
    sandbox_db.conn.commit()  # a new month: the adds are spent, the five are still held
    live.a.categories.add_category([CategoryChoice(8, 807)])


def delete_under_audit(live):
    live.a.categories.add_category([steps.food(live)])
    live.a.categories.delete_category(6, 601)


def rejected_then(certicates):
    def act(live, **kw):
        live.sandbox["SANDBOX_CATEGORY_AUDIT_DELAY"] = 0
        live.a.categories.add_category([steps.food(live, key="食品经营许可证C2")])
        assert live.a.categories.get_category().categories[0].audit_status == 2
        live.a.categories.modify_category(CategoryChoice(6, 601, certicates(live, **kw)))

    return act


def privacy(owner=OWNER, items=steps.PRIVACY, ver=2):
    return lambda live: live.a.privacy.set_privacy_setting(owner, items, ver)


def scan_running(live):
    live.sandbox["SANDBOX_PRIVACY_SCAN"] = 3600
    steps.commit(live, steps.template(live))
    live.a.privacy.get_code_privacy_info()


def other_media(live, other):
    return media(other)


def audit_media(live):
    return live.a.audit.upload_audit_media(image()).mediaid


CASES = [
    Case(53010, CHECK, check_name("沙箱小程序店"), "小程序"),
    Case(53010, CHECK, check_name("沙箱" * 8), "too-long"),
    Case(53011, CHECK, checked_too_often),
    Case(53012, CHECK, check_name("沙箱微信店")),
    Case(53013, CHECK, taken_by_other(at_set=False), needs=("other",)),
    Case(53018, CHECK, check_name("zhangsan_88")),  # the legal person's WeChat ID
    *[Case(code, CHECK, check_name(f"沙箱E{code}云店"), "magic") for code in CHECK_MAGIC],
    Case(91004, SET, set_name("沙箱小程序店")),
    Case(53012, SET, set_name("沙箱腾讯店")),
    Case(53013, SET, taken_by_other(at_set=True), needs=("other",)),
    Case(91009, SET, lambda live: live.a.basic.set_nickname("沙箱云店"), "no-licence"),
    Case(91009, SET, set_name("沙箱官方旗舰店"), "no-proof"),
    Case(40007, SET, audit_media_as_licence),
    Case(91003, SET, third_rename, "two-a-year"),
    Case(91003, SET, rename_during_name_audit, "name-audit"),
    Case(91019, SET, rename_during_code_audit),
    Case(91002, SET, rename_after_release),
    *[Case(code, SET, set_name(f"沙箱E{code}云店"), "magic") for code in SET_MAGIC],
    Case(91011, QUERY, lambda live: live.a.basic.query_nickname(1)),
    Case(91011, QUERY, foreign_name_audit, "foreign", needs=("other",)),
    Case(40005, UPLOAD, lambda live: live.a.basic.upload_media(b"%PDF-1.7", "a.jpg")),
    Case(40006, UPLOAD, lambda live: live.a.basic.upload_media(BIG)),
    Case(40005, AUDIT_MEDIA, lambda live: live.a.audit.upload_audit_media(image("BMP"))),
    Case(40006, AUDIT_MEDIA, lambda live: live.a.audit.upload_audit_media(BIG)),
    Case(40007, HEAD, head(audit_media), "audit-media"),
    Case(40007, HEAD, head(other_media), "foreign", needs=("other",)),
    Case(40007, HEAD, head(lambda live: "made-up"), "made-up"),
    Case(-1, HEAD, head(media, (0, 0, 0, 0)), "crop-0000"),
    Case(53202, HEAD, sixth(head(media))),
    Case(53204, SIGN, sign("沙箱云")),
    Case(53204, SIGN, sign("沙箱云店😀"), "emoji"),
    Case(53201, SIGN, sign("全城最好的沙箱云店")),
    Case(53200, SIGN, sixth(sign("沙箱合约云店的简介"))),
    Case(40097, SIGN, sign(None)),
    Case(40097, BY_TYPE, lambda live: live.a.categories.get_categories_by_type(9)),
    Case(53303, ADD, add(), "empty"),
    Case(53303, ADD, add(CategoryChoice(7, 801)), "wrong-first"),
    Case(53303, ADD, add(CategoryChoice(10, 1006)), "retired"),
    Case(53302, ADD, add(CategoryChoice(4, 401))),
    Case(53304, ADD, add(PLAIN, PLAIN)),
    Case(53311, ADD, add(CategoryChoice(6, 601))),
    Case(40007, ADD, food_with(other_media), needs=("other",)),
    Case(53300, ADD, sixth_category),
    Case(53301, ADD, sixth_held, needs=("sandbox_db",)),
    Case(53303, DELETE, lambda live: live.a.categories.delete_category(8, 801)),
    Case(53308, DELETE, delete_under_audit),
    Case(53303, MODIFY, lambda live: live.a.categories.modify_category(PLAIN)),
    Case(53307, MODIFY, lambda live: (add(PLAIN)(live), live.a.categories.modify_category(PLAIN))),
    Case(53311, MODIFY, rejected_then(lambda live: ())),
    Case(40007, MODIFY, rejected_then(lambda live: (Certificate("食品经营许可证", audit_media(live)),))),
    Case(86069, SET_PRIVACY, privacy(OwnerSetting(notice_method="弹窗")), "no-contact"),
    Case(86069, SET_PRIVACY, privacy(OwnerSetting(contact_phone="020-1")), "no-notice"),
    Case(86071, SET_PRIVACY, privacy(ver=3)),
    Case(86072, SET_PRIVACY, privacy(OwnerSetting("a@b.cn", notice_method="弹窗", store_expire_timestamp="1"))),
    Case(40007, SET_PRIVACY, privacy(OwnerSetting("a@b.cn", notice_method="弹窗", ext_file_media_id="x"))),
    Case(40097, SET_PRIVACY, privacy(items=()), "no-setting-list"),
    Case(40097, SET_PRIVACY, privacy(items=(PrivacyItem("Mind", "读心"),)), "unknown-key"),
    Case(86074, SET_PRIVACY, privacy(items=(), ver=LIVE)),
    Case(86071, GET_PRIVACY, lambda live: live.a.privacy.get_privacy_setting(3)),
    Case(86074, GET_PRIVACY, lambda live: live.a.privacy.get_privacy_setting(LIVE)),
    Case(86001, SCAN, lambda live: live.a.privacy.get_code_privacy_info()),
    Case(61039, SCAN, scan_running),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_client_raises_the_errcode(request, live, case):
    check(request, live, case)
