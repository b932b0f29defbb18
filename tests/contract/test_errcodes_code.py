"""Every errcode the sandbox gives on the template, commit, page and submit_audit calls
(SETUP §5, §6), provoked through the client with real tokens."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.audit import AuditItem, PreviewInfo
from portal.wechat.miniprogram.categories import CategoryChoice
from portal.wechat.miniprogram.templates import STANDARD
from tests.contract import steps
from tests.contract.errcodes import Case, check
from tests.contract.steps import PAGES, image, media, pending

ADD_T, DELETE_T, LIST_T = "wxa.addtotemplate", "wxa.deletetemplate", "wxa.gettemplatelist"
COMMIT, PAGE, QRCODE, SUBMIT = "wxa.commit", "wxa.get_page", "wxa.get_qrcode", "wxa.submit_audit"
#: commit's ``user_desc`` and submit_audit's ``version_desc`` magic ``E<errcode>`` (magic.py),
#: for the codes of SETUP §6 no rule of the sandbox reaches.
COMMIT_MAGIC = (85043, 85044, 85048, 85312, 80066, 80067, 80082, 9402202)
SUBMIT_MAGIC = (86007, 86009, 86010, 87006, 9400001, 9402202, 85077, 85087)


def full_library(live, sandbox_db):
    for _ in range(199):
        sandbox_db.execute(
            "INSERT INTO code_templates SELECT NULL, draft_id, 0, create_time, user_version, "
            "user_desc, source_miniprogram_appid, source_miniprogram, developer, pages, "
            "privacy_keys, location_apis FROM drafts WHERE draft_id = 1"
        )
    sandbox_db.conn.commit()
    live.c.templates.add_to_template(2)  # the 200th
    live.c.templates.add_to_template(2)


def commit_with(ext=None, user_desc="首个版本", user_version="1.0.0"):
    def act(live):
        template_id = steps.template(live)
        body = steps.ext(live, **(ext or {})) if not isinstance(ext, str) else ext
        live.a.code.commit(template_id, body, user_version, user_desc)

    return act


def commit_standard(live):
    live.c.templates.add_to_template(1, STANDARD)
    [standard] = live.c.templates.get_template_list(template_type=STANDARD)
    steps.commit(live, standard.template_id)  # ext_json carries requiredPrivateInfos


def submit_after(*prepare, desc="", items=None, **extra):
    """Each of ``prepare`` run on the mini program, then one submit_audit (``items`` and
    callable ``extra`` values are made for the mini program then)."""

    def act(live):
        for step in prepare:
            step(live)
        made = steps.items(live) if items is None else items(live)
        fields = {key: value(live) if callable(value) else value for key, value in extra.items()}
        live.a.audit.submit_audit(made, version_desc=desc, **fields)

    return act


def empty(live):
    return [AuditItem()]


def item(**changes):
    return lambda live: [AuditItem(**{**vars(steps.items(live)[0]), **changes})]


def uncommitted(live):
    steps.set_basics(live)
    live.a.categories.add_category([steps.PLAIN])


def committed_no_category(live):
    steps.set_basics(live)
    steps.commit(live, steps.template(live))


def scanning(live):
    live.sandbox["SANDBOX_PRIVACY_SCAN"] = 3600
    uncommitted(live)
    steps.commit(live, steps.template(live))


def no_privacy(live):
    uncommitted(live)
    steps.commit(live, steps.template(live))


def name_under_audit(live):
    steps.ready(live)
    live.a.basic.set_nickname("沙箱官方店", license=media(live), naming_other_stuff=[media(live)])


def ugc(live):
    steps.ready(live)
    live.a.categories.add_category([CategoryChoice(12, 1201)])


def ugc_item(live):
    social = next(c for c in live.a.categories.get_audit_category() if c.second_id == 1201)
    return [AuditItem.of(social, address=steps.PAGES[0], tag="社区", title="首页")]


def no_quota(live):
    live.sandbox["SANDBOX_SUBMIT_QUOTA"] = 0
    steps.ready(live)


def audit_pic(live):
    return live.a.audit.upload_audit_media(image()).mediaid


CASES = [
    Case(85064, ADD_T, lambda live: live.c.templates.add_to_template(99)),
    Case(40097, ADD_T, lambda live: live.c.templates.add_to_template(2, 5)),
    Case(85065, ADD_T, full_library, needs=("sandbox_db",)),
    Case(85064, DELETE_T, lambda live: live.c.templates.delete_template(99)),
    Case(40097, LIST_T, lambda live: live.c.templates.get_template_list(7)),
    Case(85013, COMMIT, commit_with("{broken"), "not-json"),
    Case(85013, COMMIT, commit_with("[]"), "not-an-object"),
    Case(85013, COMMIT, commit_with({"extAppid": "wx0000000000000000"}), "other-appid"),
    Case(85014, COMMIT, lambda live: steps.commit(live, 424242)),
    Case(85047, COMMIT, commit_with({"pages": []})),
    Case(85045, COMMIT, commit_with({"pages": ["pages/nowhere/nowhere"]})),
    Case(85046, COMMIT, commit_with({"pages": [PAGES[0]], "tabBar": {"list": [{"pagePath": PAGES[1]}]}})),
    Case(85310, COMMIT, commit_with({"requiredPrivateInfos": ["getEverything"]})),
    Case(85311, COMMIT, commit_with({"requiredPrivateInfos": ["getFuzzyLocation", "getLocation"]})),
    Case(9402203, COMMIT, commit_standard),
    Case(40097, COMMIT, commit_with(user_version="9" * 65)),
    *[Case(code, COMMIT, commit_with(user_desc=f"E{code}"), "magic") for code in COMMIT_MAGIC],
    Case(86001, PAGE, lambda live: live.a.code.get_page()),
    Case(86001, QRCODE, lambda live: live.a.code.get_qrcode()),
    Case(86002, SUBMIT, submit_after(items=empty)),
    Case(86002, SUBMIT, submit_after(name_under_audit), "name-under-audit"),
    Case(85086, SUBMIT, submit_after(steps.set_basics, items=empty)),
    Case(61039, SUBMIT, submit_after(scanning, items=empty)),
    Case(85008, SUBMIT, submit_after(committed_no_category, items=empty)),
    Case(85009, SUBMIT, submit_after(pending)),
    Case(85023, SUBMIT, submit_after(steps.ready, items=lambda live: [])),
    Case(85023, SUBMIT, submit_after(steps.ready, items=lambda live: steps.items(live) * 6), "six"),
    Case(85010, SUBMIT, submit_after(steps.ready, items=empty)),
    Case(85007, SUBMIT, submit_after(steps.ready, items=item(address="pages/nowhere/nowhere"))),
    Case(85006, SUBMIT, submit_after(steps.ready, items=item(tag=" ".join(f"t{n}" for n in range(11))))),
    Case(85011, SUBMIT, submit_after(steps.ready, items=item(title="题" * 33))),
    Case(85008, SUBMIT, submit_after(steps.ready, items=item(second_id=802, second_class="婚庆服务")), "item"),
    Case(85094, SUBMIT, submit_after(ugc, items=ugc_item)),
    Case(85092, SUBMIT, submit_after(steps.ready, preview_info=lambda live: PreviewInfo(pic_id_list=[media(live)]))),
    Case(85093, SUBMIT, submit_after(steps.ready, preview_info=lambda live: PreviewInfo(pic_id_list=[audit_pic(live)] * 6))),
    Case(85051, SUBMIT, submit_after(steps.ready, desc="长" * 501)),
    Case(40097, SUBMIT, submit_after(steps.ready, feedback_info="说" * 201)),
    Case(61040, SUBMIT, submit_after(no_privacy)),
    Case(61040, SUBMIT, submit_after(steps.ready, lambda live: steps.set_privacy(live, steps.PRIVACY[:2])), "uncovered"),
    Case(85085, SUBMIT, submit_after(no_quota)),
    *[Case(code, SUBMIT, submit_after(desc=f"E{code}", items=lambda live: []), "magic") for code in SUBMIT_MAGIC],
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_client_raises_the_errcode(request, live, case):
    check(request, live, case)
