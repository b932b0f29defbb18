"""Go-live errcodes of privacy, domains, testers, quotas and any call (SETUP.md §3, §4, §7-§9).

``GENERIC_CODES`` holds codes any go-live call may answer; -1, 40001, 40014, 45009
and 61007 are in the create catalogue too, with the create's wording, so they are
looked up here first in the go-live context. ``REGISTER_LIMIT_CODES`` are the
fast-register create's own (SETUP §8) and join the create catalogue.
"""

from __future__ import annotations

from portal.wechat.codes.entry import (
    DAY,
    MERCHANT,
    MONTH,
    OPERATOR,
    OPERATOR_PROBLEM,
    PRIVACY_CONTACT,
    STATE,
    TESTER,
    TRANSIENT,
    WAIT,
    WECHAT,
    Entry,
    golive,
    table,
)

PRIVACY = ("setprivacysetting", "getprivacysetting")
DOMAIN = ("modify_domain", "modify_domain_directly")
WEBVIEW = ("setwebviewdomain", "setwebviewdomain_directly")
TESTERS = ("bind_tester",)
PLATFORM_FIXES = "无需您操作：平台处理好后会自动继续。"
SERVER = "小程序访问服务器的地址需要平台调整"
SERVER_TEXT = "小程序要连接的服务器地址在平台一侧还没有配置好，与您填写的信息无关。"


def _server(
    code: int, wechat_text: str, note: str, calls: tuple[str, ...] = DOMAIN, quota: str = ""
):
    """A domain the platform set up wrongly: the operator fixes it."""
    return golive(code, wechat_text, SERVER, SERVER_TEXT, OPERATOR, PLATFORM_FIXES, note,
                  kind=OPERATOR_PROBLEM, quota=quota, calls=calls)  # fmt: skip


SETUP_CODES = table(
    golive(86069, "owner_setting必填字段字段缺失", "隐私保护指引缺少联系方式",
           "微信要求在用户隐私保护指引里留下用户联系贵公司的方式。", MERCHANT,
           "请填写一个联系方式（电话、邮箱、QQ 或微信号任选其一）后再提交。",
           "86069 owner_setting lacks a contact (contact_email/phone/qq/weixin) or "
           "notice_method.", fields=(PRIVACY_CONTACT,), calls=PRIVACY),
    golive(86071, "privacy_ver 无效", "隐私保护指引没有设置成功", "平台提交隐私保护指引的方式有误。",
           OPERATOR, PLATFORM_FIXES, "86071 privacy_ver must be 1 (live) or 2 (dev).",
           kind=OPERATOR_PROBLEM, calls=PRIVACY),
    golive(86072, "store_expire_timestamp 无效", "隐私保护指引没有设置成功",
           "平台填写的信息保存期限有误。", OPERATOR, PLATFORM_FIXES,
           "86072 store_expire_timestamp invalid.", kind=OPERATOR_PROBLEM, calls=PRIVACY),
    golive(86074, "现网隐私协议不存在", "小程序还没有上线", "小程序还没有线上版本，隐私保护指引只能先设置在待上线的版本里。",
           OPERATOR, PLATFORM_FIXES,
           "86074 privacy_ver 1 without a live version: use privacy_ver 2 before release.",
           kind=OPERATOR_PROBLEM, calls=PRIVACY),
    _server(85015, "该账号不是小程序账号 / 版本输入错误",
            "85015 modify_domain: not an MP account, or a wrong version."),
    _server(85016, "域名数量超过限制", "85016 more than 200 domains of one type."),
    _server(85017, "没有新增域名，请确认小程序已经添加了域名或该域名是否没有在第三方平台添加",
            "85017 no domain left after filtering: not on the platform's 小程序服务器域名 list "
            "(modify_wxa_server_domain first) or already set; or use the _directly way (never "
            "mix the two). The deploy reads the lists (action=get) before a set and after an "
            "85017, so a held 85017 means they still differ from the operator's."),
    _server(85018, "域名没有在第三方平台设置", "85018 the domain is not set on the platform."),
    _server(85301, "没有新增域名，请确认小程序已经添加了域名或该域名是否没有在第三方平台添加",
            "85301 the newer code of 85017."),
    _server(89020, "尚未设置小程序业务域名",
            "89020 the platform has no 业务域名: modify_wxa_jump_domain first.", WEBVIEW),
    _server(89021, "请求保存的域名不是第三方平台中已设置的小程序业务域名或子域名",
            "89021 not a platform 业务域名 or a sub-domain of one.", WEBVIEW),
    _server(89029, "业务域名数量超过限制", "89029 more than 100 业务域名.", WEBVIEW),
    _server(86103, "check confirmfile fail",
            "86103 the confirm file is not served exactly at the domain root (hidden "
            "characters, wrong file).", ("get_webviewdomain_confirmfile", "modify_wxa_jump_domain")),
    _server(45104, "reach max domain quota limit",
            "45104 the monthly domain-change quota (50) is spent.",
            ("modify_domain", "modify_wxa_server_domain"), MONTH),
    golive(85001, "微信号不存在或微信号设置为不可搜索", "找不到这个微信号",
           "微信找不到这个微信号，或对方不允许别人通过微信号找到自己。", MERCHANT,
           "请核对体验成员的微信号（微信 → 我 → 微信号），并请对方在 设置 → 朋友权限 → "
           "添加我的方式 中打开“微信号”。", "85001 wechatid not found or not searchable.",
           fields=(TESTER,), calls=TESTERS),
    golive(85002, "小程序绑定的体验者数量达到上限", "体验成员人数已满",
           "这个小程序的体验成员已达微信的上限。", MERCHANT, "请先移除不再需要的体验成员，再添加新的。",
           "85002 the MP's tester limit is reached (memberauth lists them).",
           fields=(TESTER,), calls=TESTERS),
    golive(85003, "微信号绑定的小程序体验者达到上限", "这个微信号体验的小程序太多",
           "这个微信号已经是太多小程序的体验成员。", MERCHANT,
           "请对方先退出一些不用的小程序体验，或换一位同事。",
           "85003 the user is a tester of too many MPs.", fields=(TESTER,), calls=TESTERS),
    golive(85004, "微信号已经绑定", "已经是体验成员", "这个微信号已经是这个小程序的体验成员。",
           WAIT, "无需操作。", "85004 already bound: treat as done.", kind=STATE, calls=TESTERS),
)  # fmt: skip

GENERIC_CODES = table(
    golive(-1, "system error", "微信暂时繁忙", "微信这次没有处理平台的请求，与您填写的信息无关。",
           WAIT, "无需操作：平台稍后会自动再试。", "-1 system error: retry with backoff.",
           kind=TRANSIENT),
    golive(40001, "invalid credential", "微信暂时没有受理", "平台这次向微信证明身份没有成功。",
           WAIT, "无需操作：平台会自动重试。",
           "40001: the authorizer_access_token (or component token) is invalid: refreshed "
           "once, then the call is retried once.", kind=TRANSIENT),
    golive(40014, "invalid access_token", "微信暂时没有受理", "平台这次向微信证明身份没有成功。",
           WAIT, "无需操作：平台会自动重试。",
           "40014 invalid access_token: refresh the authorizer token and retry once.",
           kind=TRANSIENT),
    golive(44002, "empty post data", "平台请求微信的方式有误", "平台这次发给微信的内容是空的。",
           OPERATOR, PLATFORM_FIXES,
           "44002 empty post: release, getversioninfo and get_webviewdomain_confirmfile need a "
           "body of {}.", kind=OPERATOR_PROBLEM,
           calls=("release", "getversioninfo", "get_webviewdomain_confirmfile")),
    golive(47001, "data format error", "平台请求微信的方式有误", "平台这次发给微信的内容格式不对。",
           OPERATOR, PLATFORM_FIXES,
           "47001 data format error: the body must be a JSON object (raw UTF-8).",
           kind=OPERATOR_PROBLEM),
    golive(40004, "invalid media type", "图片没有传到微信", "平台上传图片时说明的类型不对，微信没有收下。",
           OPERATOR, PLATFORM_FIXES,
           "40004 invalid media type: /cgi-bin/media/upload needs type=image.",
           kind=OPERATOR_PROBLEM, calls=("media/upload",)),
    golive(41030, "invalid page", "小程序码暂时生成不了", "小程序还未发布，或码指向的页面不在线上版本里。",
           OPERATOR, "无需您操作：小程序发布后平台会自动生成小程序码。",
           "41030 invalid page: getwxacodeunlimit before release, or a page that is not in "
           "the released version (no leading '/').", kind=OPERATOR_PROBLEM,
           calls=("getwxacodeunlimit",)),
    golive(40097, "invalid args", "平台请求微信的方式有误", "平台这次发给微信的内容有误。",
           OPERATOR, PLATFORM_FIXES,
           "40097 invalid args (e.g. revertcoderelease app_version); on modifysignature it "
           "means the signature breaks the rules.", kind=OPERATOR_PROBLEM,
           calls=("revertcoderelease", "modifysignature")),
    golive(45009, "reach max api daily quota limit", "平台今天操作微信的次数已用完",
           "微信限制平台每天的操作次数，今天的已经用完，与您的小程序无关。", WAIT,
           "无需操作：次数在北京时间零点后恢复，平台会自动继续。",
           "45009 daily API quota: retried after Beijing midnight; the platform can reset it "
           "with /cgi-bin/component/clear_quota/v2.", kind=OPERATOR_PROBLEM, quota=DAY),
    golive(48001, "api unauthorized", "平台暂时不能为小程序做这项设置",
           "微信认为平台没有为这个小程序做这项设置的资格，与您填写的信息无关。", OPERATOR,
           PLATFORM_FIXES,
           "48001: wrong token (component token or the MP's own instead of its "
           "authorizer_access_token: the /cgi-bin/component/ path misleads) or a permission "
           "set not authorised (31 for checkwxverifynickname); check func_info.",
           kind=OPERATOR_PROBLEM),
    golive(61007, "api is unauthorized to component", "小程序还没有授权平台做这项设置",
           "这个小程序授权给平台的管理范围里不包括这项设置，与您填写的信息无关。", OPERATOR,
           "平台客服会联系您，必要时请管理员重新确认授权范围。",
           "61007: the MP did not authorise the permission set this call needs (18 code, 30 "
           "basic info and categories, 31 name check, 156 ICP); permission set edits reach an "
           "authorised MP only after it re-authorises.", kind=OPERATOR_PROBLEM),
)  # fmt: skip

#: The fast-register create's limits (SETUP §8): create-context entries, like 89249.
REGISTER_LIMIT_CODES: dict[int, Entry] = table(
    Entry(91030, "reach wxid freq limit", "法人微信号近期使用太频繁",
          "法定代表人的微信号近期注册小程序太频繁，微信暂时不再受理。", MERCHANT,
          "请过一段时间再提交（微信没有公布具体间隔）；需要帮助请联系平台客服。",
          fields=(WECHAT,), resubmit="later", resubmit_after="过一段时间（微信未公布具体间隔）",
          source="setup", quota=DAY,
          operator_note="91030 per legal-person WeChat ID frequency limit; undocumented for "
          "the enterprise API, the interval is UNCONFIRMED."),
    Entry(61055, "一个公众号每月最多复用资质快速注册 5 个小程序", "同一公众号本月注册的小程序已达上限",
          "用公众号资质快速注册小程序，每个公众号每月最多 5 个，本月已经用完。", OPERATOR,
          "无需您操作：平台会在下个月继续处理。",
          kind=OPERATOR_PROBLEM, resubmit="no", source="setup", quota=MONTH,
          operator_note="61055: the Official-Account reuse route (5 MPs per OA a month); the "
          "portal's fast-register APIs do not use that route."),
)  # fmt: skip
