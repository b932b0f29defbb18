"""Every errcode of SETUP.md (the go-live calls) has a complete entry a merchant can read."""

import re

import pytest

from portal.registration import retry
from portal.wechat import codes
from portal.wechat.codes.api import API_CODES as CREATE_CODES
from portal.wechat.codes.golive_setup import REGISTER_LIMIT_CODES


def span(a: int, b: int) -> list[int]:
    return list(range(a, b + 1))


# Transcribed from SETUP.md §1-§9 (ranges such as 53010-53019 as written there).
BASIC_INFO = [
    41033,
    48001,
    *span(53010, 53019),
    *span(91001, 91019),
    40007,
    53200,
    53201,
    53202,
    53204,
    40097,
    -1,
    40005,
    40006,
    41005,
    43002,
]
CATEGORIES = [*span(53300, 53311), 85008, 85077]
PRIVACY = [86069, 86071, 86072, 86074, 61039, 61040, 85310, 85311, 85312]
DOMAINS = [85015, 85016, 85017, 85018, 85301, 89020, 89021, 89029, 86103, 45104]
TEMPLATES = [85064, 85065, 43001]
CODE = [
    85013,
    85014,
    *span(85043, 85048),
    80066,
    80067,
    80082,
    9402202,
    9402203,
    86000,
    86001,
    40001,
    40014,
]
AUDIT = [
    86002,
    85086,
    85009,
    85006,
    85007,
    85010,
    85011,
    85023,
    85051,
    85085,
    85087,
    85092,
    85093,
    85094,
    86007,
    86009,
    86010,
    87006,
    9400001,
    85012,
    85058,
    87013,
    *span(89401, 89405),
]
RELEASE = [85019, 85020, 85052, 87012, 44002, *span(85079, 85082)]
TESTERS = [85001, 85002, 85003, 85004]
QUOTA = [45009, 89249, 91030, 61055, 61007, 89254]
SETUP_CODES = sorted(set(BASIC_INFO + CATEGORIES + PRIVACY + DOMAINS + TEMPLATES + CODE + AUDIT
                         + RELEASE + TESTERS + QUOTA))  # fmt: skip
#: Create-context codes SETUP §8/§12 lists: they stay in the create catalogue.
CREATE_CONTEXT = {89249, 89254, 91030, 61055}
#: Codes the sandbox answers that SETUP.md does not list, but WeChat gives.
BEYOND_SETUP = {40004, 41030, 47001}

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Words a merchant does not know: how the platform talks to WeChat.
JARGON = [
    "ip", "白名单", "token", "令牌", "凭证", "权限集", "media", "ext_json", "json", "errcode",
    "接口", "api", "ticket", "票据", "参数", "sdk", "url", "appid", "域名", "模板", "草稿",
    "commit", "submit", "http", "icp", "配额", "quota", "第三方", "开放平台", "服务商",
    "灰度", "并发", "插件", "privacy", "audit", "component", "authorizer",
]  # fmt: skip
ACTORS = {codes.MERCHANT, codes.STAFF, codes.OPERATOR, codes.WAIT}
FIELDS = set(codes.GOLIVE_FIELDS) | {codes.WECHAT}


def golive_entries() -> list[codes.Entry]:
    return [
        *codes.GOLIVE_CODES.values(),
        *codes.CALL_CODES.values(),
        *REGISTER_LIMIT_CODES.values(),
    ]


def entry_id(entry: codes.Entry) -> str:
    return f"{entry.code}-{'/'.join(entry.calls) or 'any'}"


def test_there_are_as_many_setup_codes_as_transcribed():
    assert len(SETUP_CODES) == 141
    assert set(codes.GOLIVE_CODES) | CREATE_CONTEXT == set(SETUP_CODES) | BEYOND_SETUP


@pytest.mark.parametrize("code", SETUP_CODES)
def test_every_setup_errcode_is_in_the_catalogue_with_every_field(code):
    entry = codes.golive_entry(code)
    assert entry.known
    for name in ("wechat_text", "title", "explanation", "next_step", "actor", "kind"):
        assert getattr(entry, name).strip(), f"{code}: {name} is empty"
    for text in (entry.title, entry.explanation, entry.next_step):
        assert CJK.search(text), f"{code}: {text!r} is not Chinese"
    assert entry.resubmit in ("yes", "later", "no")
    if code not in (89249, 89254):  # the seed's own entries, unchanged
        assert entry.source == "setup" and entry.operator_note.strip()


@pytest.mark.parametrize("entry", golive_entries(), ids=entry_id)
def test_go_live_entries_are_complete(entry):
    assert entry.actor in ACTORS
    assert entry.operator_note.strip() and entry.wechat_text.strip()
    assert set(entry.fields) <= FIELDS
    assert entry.quota in ("", codes.DAY, codes.MONTH, codes.YEAR)
    if entry.code not in REGISTER_LIMIT_CODES:
        assert entry.resubmit == "no"  # going live never resubmits the registration
        assert all(codes.call_name(call) for call in entry.calls), entry.calls


@pytest.mark.parametrize("entry", golive_entries(), ids=entry_id)
def test_merchant_wording_has_no_operator_jargon(entry):
    for text in (entry.title, entry.explanation, entry.next_step):
        lowered = text.lower()
        found = [word for word in JARGON if word in lowered]
        assert not found, f"{entry.code}: {found} in {text!r}"


EXPECTED_CLASS = {
    codes.FIXABLE: retry.FIXABLE,
    codes.TRANSIENT: retry.TRANSIENT,
    codes.OPERATOR_PROBLEM: retry.OPERATOR,
    codes.STATE: retry.OPERATOR,  # a state the go-live steps read; the worker would hold
}


@pytest.mark.parametrize("entry", golive_entries(), ids=entry_id)
def test_retry_classes_are_the_policy_tables(entry):
    failure = retry.classify(entry.code, entry)
    assert failure in retry.POLICIES
    expected = retry.QUOTA if entry.code == retry.QUOTA_ERRCODE else EXPECTED_CLASS[entry.kind]
    assert failure == expected


@pytest.mark.parametrize(
    "code, call, failure",
    [
        (53013, "setnickname", retry.FIXABLE),  # the name is taken: the merchant picks another
        (91009, "setnickname", retry.FIXABLE),
        (53311, "addcategory", retry.FIXABLE),
        (86069, "setprivacysetting", retry.FIXABLE),
        (85001, "bind_tester", retry.FIXABLE),
        (61039, "submit_audit", retry.TRANSIENT),  # the privacy scan is still running
        (9402202, "commit", retry.TRANSIENT),
        (53011, "checkwxverifynickname", retry.TRANSIENT),
        (89401, "speedupaudit", retry.TRANSIENT),
        (-1, "release", retry.TRANSIENT),
        (40001, "commit", retry.TRANSIENT),
        (45009, "commit", retry.QUOTA),  # the daily quota: after Beijing midnight
        (85085, "submit_audit", retry.OPERATOR),  # the monthly submit quota: an operator asks
        (53202, "modifyheadimage", retry.OPERATOR),  # monthly: held, not retried at midnight
        (48001, "getaccountbasicinfo", retry.OPERATOR),
        (61007, "commit", retry.OPERATOR),
        (85017, "modify_domain", retry.OPERATOR),
        (85013, "commit", retry.OPERATOR),
        (85009, "submit_audit", retry.OPERATOR),  # a state: an audit already runs
        (42001, "commit", retry.TRANSIENT),  # from the create catalogue: the same everywhere
        (4242, "commit", retry.UNKNOWN),
    ],
)
def test_the_retry_class_of_each_kind_of_go_live_failure(code, call, failure):
    assert retry.classify(code, codes.golive_entry(code, "", call)) == failure


def test_fixable_codes_point_at_what_the_merchant_gives():
    for entry in golive_entries():
        if entry.kind == codes.FIXABLE:
            assert entry.actor == codes.MERCHANT and entry.fields, entry.code
        if entry.actor == codes.OPERATOR:
            assert entry.kind != codes.FIXABLE, entry.code


def test_only_kinds_the_policy_understands_are_used():
    kinds = {entry.kind for entry in golive_entries()}
    assert kinds <= set(EXPECTED_CLASS)


def test_monthly_quotas_are_marked_and_held():
    monthly = {e.code for e in codes.GOLIVE_CODES.values() if e.quota == codes.MONTH}
    assert {85085, 53200, 53202, 53300, 89405, 45104} <= monthly
    for code in monthly:  # the quota class retries at Beijing midnight: not for a month's
        assert retry.classify(code, codes.golive_entry(code)) == retry.OPERATOR
    assert codes.golive_entry(45009).quota == codes.DAY


def test_shared_codes_keep_the_creates_meaning_without_a_call():
    for code in (-1, 40001, 40014, 45009, 61007, 89249, 89254):
        assert codes.api_entry(code) is CREATE_CODES[code]
        assert codes.api_entry(code).source != "setup"
    assert codes.api_entry(-1).title == "微信系统繁忙"
    assert codes.golive_entry(-1).source == "setup"
    assert "提交" not in codes.golive_entry(45009).next_step  # nothing is "submitted" again


def test_a_code_reads_in_the_context_of_its_call():
    head = codes.golive_entry(-1, "system error", "/cgi-bin/account/modifyheadimage")
    assert "0,0,1,1" in head.operator_note and "头像" in head.title
    intro = codes.golive_entry(40097, "invalid args", "/cgi-bin/account/modifysignature")
    assert intro.kind == codes.FIXABLE and intro.fields == (codes.SIGNATURE,)
    revert = codes.golive_entry(40097, "invalid args", "/wxa/revertcoderelease?app_version=3")
    assert revert.kind == codes.OPERATOR_PROBLEM
    assert codes.api_entry(40097, call="wxa/revertcoderelease") is revert
    assert codes.api_entry(-1, call="/wxa/commit") is codes.golive_entry(-1)


@pytest.mark.parametrize(
    "call, name",
    [
        ("/wxa/commit", "commit"),
        ("wxa/submit_audit", "submit_audit"),
        ("/cgi-bin/media/upload?type=image", "media/upload"),
        ("https://api.weixin.qq.com/wxa/uploadmedia", "uploadmedia"),
        ("/cgi-bin/wxopen/addcategory", "addcategory"),
        ("setnickname", "setnickname"),
        ("wxa.commit", "commit"),  # the call log's endpoint names
        ("cgi-bin.media.upload", "media/upload"),
        ("wxa.modify_domain.add", "modify_domain"),
        ("wxa.revertcoderelease.get_history_version", "revertcoderelease"),
        ("cgi-bin.component.modify_wxa_server_domain.set", "modify_wxa_server_domain"),
        ("fastregisterweapp.create", ""),
        ("api_query_auth", ""),
        ("/wxa/component/fastregisterenterpriseweapp", ""),
        ("/cgi-bin/component/fastregisterweapp?action=create", ""),
        ("", ""),
    ],
)
def test_call_names_come_from_endpoints(call, name):
    assert codes.call_name(call) == name


def test_the_create_still_reads_its_own_catalogue():
    assert codes.api_entry(-1, call="/wxa/component/fastregisterenterpriseweapp").title == (
        "微信系统繁忙"
    )
    for code, entry in CREATE_CODES.items():
        assert codes.api_entry(code) is entry


def test_go_live_codes_are_known_to_the_health_page():
    from portal import health

    assert 85085 in health.OPERATOR_ERRCODES and 48001 in health.OPERATOR_ERRCODES
    assert 53013 not in health.OPERATOR_ERRCODES  # the merchant's, not an operator problem
    for code in SETUP_CODES:
        assert code in codes.API_CODES


def test_the_legal_persons_frequency_limit_is_a_create_code():
    entry = codes.api_entry(91030)
    assert entry.kind == codes.FIXABLE and entry.resubmit == "later" and entry.resubmit_after
    assert entry.fields == (codes.WECHAT,)


def test_unknown_go_live_codes_still_render():
    entry = codes.golive_entry(4242, "something new", "/wxa/commit")
    assert not entry.known and "4242" in entry.title and "something new" in entry.explanation
    assert codes.golive_entry(None).title


@pytest.mark.parametrize(
    "code, call", [(43002, "wxa.release"), (43001, "wxa.get_page"), (85017, "wxa.setwebviewdomain")]
)
def test_a_code_met_on_a_call_its_words_were_not_written_for_reads_in_general_words(code, call):
    entry = codes.golive_entry(code, "", call)
    written_for = codes.golive_entry(code, "", entry.calls[0])
    assert entry.known and entry.title != written_for.title
    assert "图片" not in entry.explanation and str(code) in entry.explanation
    assert entry.operator_note == written_for.operator_note  # staff still see the cause
