"""Go-live errcodes of the code audit and the release (SETUP.md §6, §8, §9).

submit_audit, get_auditstatus / get_latest_auditstatus, undocodeaudit, speedupaudit,
release, revertcoderelease, getversioninfo and grayrelease. Many of them are states
(an audit already runs, nothing approved yet), not failures: the go-live steps read
them as such.
"""

from __future__ import annotations

from portal.wechat.codes.entry import (
    CATEGORY,
    CONTENT_REVIEW,
    DAY,
    HEAD_IMAGE,
    MERCHANT,
    MONTH,
    NICKNAME,
    OPERATOR,
    OPERATOR_PROBLEM,
    SIGNATURE,
    STAFF,
    STATE,
    TRANSIENT,
    WAIT,
    golive,
    table,
)

SUBMIT = ("submit_audit",)
RELEASE = ("release",)
GRAY = ("grayrelease",)
SPEEDUP = ("speedupaudit",)
PLATFORM_FIXES = "无需您操作：平台处理好后会自动继续。"


def _item(code: int, wechat_text: str, note: str):
    """A fault in what the platform filled into submit_audit: the operator fixes it."""
    return golive(code, wechat_text, "提交审核的资料需要平台调整",
                  "平台替您填写的审核资料有误，与您填写的信息无关。", OPERATOR, PLATFORM_FIXES,
                  note, kind=OPERATOR_PROBLEM, calls=SUBMIT)  # fmt: skip


AUDIT_CODES = table(
    golive(86002, "小程序还未设置昵称、头像、简介", "名称、头像或简介还没有设置好",
           "提交审核前，小程序的名称、头像和简介都要设置好；名称也可能还在审核中。", MERCHANT,
           "请确认已经填写名称、头像和简介；名称审核通过后，平台会自动提交审核。",
           "86002: nickname (maybe still under audit), head image or signature missing; "
           "verify with getaccountbasicinfo.",
           kind=STATE, fields=(NICKNAME, HEAD_IMAGE, SIGNATURE), calls=SUBMIT),
    golive(85009, "已经有正在审核的版本", "已有一个版本正在审核",
           "小程序已经有一个版本在接受微信审核，同一时间只能审核一个版本。", WAIT,
           "无需操作：请等待这次审核的结果。",
           "85009 an audit already runs: get_latest_auditstatus, or undocodeaudit.",
           kind=STATE, calls=SUBMIT),
    golive(85008, "当前小程序没有已经审核通过的类目", "服务类目还没有审核通过",
           "提交审核前，小程序至少要有一个审核通过的服务类目。", WAIT,
           "无需操作：类目审核通过后平台会自动提交；类目被驳回时会请您补充资料。",
           "85008 no approved category yet: wait for getcategory audit_status 3 or the "
           "wxa_category_audit push.", kind=STATE, calls=SUBMIT),
    _item(85006, "标签格式错误", "85006 item_list tag: space-separated, at most 10 tags of "
          "20 characters."),
    _item(85007, "页面路径错误", "85007 item_list address is not a page of get_page."),
    _item(85010, "item_list 有项目为空", "85010 an item_list entry is empty."),
    _item(85011, "标题填写错误", "85011 item_list title invalid (at most 32 characters)."),
    _item(85023, "审核列表填写的项目数不在 1-5 以内", "85023 item_list must hold 1-5 entries."),
    _item(85051, "version_desc 或者 preview_info 超限", "85051 version_desc or preview_info "
          "too large."),
    _item(85087, "小程序已使用 api navigateToMiniProgram，请声明跳转 appid 列表后再次提交",
          "85087: declare navigateToMiniProgramAppIdList in ext_json."),
    _item(85092, "preview_info 格式错误", "85092 preview_info: an object, not an array; its "
          "media from /wxa/uploadmedia expire after 3 days."),
    _item(85093, "preview_info 视频或者图片个数超限", "85093 too many preview items."),
    golive(85077, "小程序类目信息失效（类目可能被下架）", "所选服务类目已被微信下架",
           "您选择的服务类目已被微信下架，不能再用来提交审核，需要换一个类目。", MERCHANT,
           "请在“服务类目”一步重新选择一个类目并保存；类目设置好后，平台会自动继续提交审核。",
           "85077 a category in item_list was retired. The deploy reopens the merchant's "
           "category step (the picker's list fetched again, the retired one gone) and waits "
           "in todo; the merchant's new category, once approved, is submitted.",
           fields=(CATEGORY,), calls=SUBMIT),
    golive(85094, "需提供审核机制说明信息", "所选类目需要说明如何管理用户发布的内容",
           "您选择的服务类目属于社区、论坛、笔记或问答类，微信要求首次提交审核时说明如何审核"
           "用户发布的内容；平台目前不能代您填写这项说明。", STAFF,
           "平台客服会联系您：可以换一个不需要这项说明的服务类目，或由小程序管理员在微信后台"
           "填写内容审核说明，之后平台继续提交审核。",
           "85094 ugc_declare required on the first submit of a social category (社区/论坛, "
           "笔记, 问答); the portal sends no ugc_declare, so the deploy is held. Either the "
           "merchant changes the category (reopen it, or they pick another) or the "
           "declaration is made in WeChat's console; then 重试.",
           kind=OPERATOR_PROBLEM, fields=(CATEGORY, CONTENT_REVIEW), calls=SUBMIT),
    golive(85085, "小程序提审数量已达本月上限", "平台本月提交审核的次数已用完",
           "微信给平台的每月提交审核次数已经用完，与您的小程序无关。", OPERATOR,
           "无需您操作：平台申请到更多次数后会自动提交审核。",
           "85085 the platform's monthly submit quota is spent (queryquota: rest); ask for a "
           "temporary quota in 小程序服务商助手 (审核专区/申请临时额度).",
           kind=OPERATOR_PROBLEM, quota=MONTH, calls=SUBMIT),
    golive(86007, "小程序禁止提交", "这个小程序暂时不能提交审核",
           "微信限制了这个小程序提交审核。", STAFF, "平台客服会向微信了解原因后联系您。",
           "86007 the MP is barred from submitting.", kind=OPERATOR_PROBLEM, calls=SUBMIT),
    golive(86009, "服务商新增小程序代码提审能力被限制", "平台暂时不能提交审核",
           "微信暂时限制了本平台为新的小程序提交审核，与您无关。", OPERATOR, PLATFORM_FIXES,
           "86009 the platform's ability to submit new MPs is restricted.",
           kind=OPERATOR_PROBLEM, calls=SUBMIT),
    golive(86010, "服务商迭代小程序代码提审能力被限制", "平台暂时不能提交审核",
           "微信暂时限制了本平台为小程序提交新版本审核，与您无关。", OPERATOR, PLATFORM_FIXES,
           "86010 the platform's ability to submit iterations is restricted.",
           kind=OPERATOR_PROBLEM, calls=SUBMIT),
    golive(87006, "小游戏不能提交", "小游戏不能这样提交审核", "小游戏不能用这种方式提交审核。",
           OPERATOR, PLATFORM_FIXES, "87006 mini-games cannot be submitted this way.",
           kind=OPERATOR_PROBLEM, calls=SUBMIT),
    golive(85012, "无效的审核 id", "找不到这次审核", "平台查询的审核记录不属于这个小程序。",
           OPERATOR, PLATFORM_FIXES,
           "85012 invalid auditid (another MP's, or mistyped): use get_latest_auditstatus.",
           kind=OPERATOR_PROBLEM, calls=("get_auditstatus", *SPEEDUP)),
    golive(85058, "不存在有效的审核单", "最近没有提交过审核", "这个小程序最近没有提交过审核。",
           WAIT, "无需操作：平台会在准备好后提交审核。",
           "85058 no valid audit_id: nothing submitted recently.",
           kind=STATE, calls=("get_latest_auditstatus",)),
    golive(87013, "撤回次数达到上限", "撤回审核的次数已用完",
           "微信限制撤回审核的次数（每天 5 次、每月 10 次），已经用完。", STAFF,
           "平台客服会在次数恢复后继续处理。",
           "87013 undocodeaudit quota used: 5/day (00:00) and 10/month in the new doc, 1/day in "
           "the old one (SETUP §10); withdrawing returns no submit quota.",
           kind=OPERATOR_PROBLEM, quota=DAY, calls=("undocodeaudit",)),
    golive(89401, "系统不稳定，请稍后再试", "微信暂时繁忙", "微信这次没有处理加急请求。",
           WAIT, "无需操作：平台稍后会自动再试。", "89401 unstable: retry speedupaudit.",
           kind=TRANSIENT, calls=SPEEDUP),
    golive(89402, "该审核单不在待审核队列", "这次审核不能加急", "这个版本已经不在等待审核了。",
           WAIT, "无需操作。", "89402 the audit is not queued (finished or withdrawn).",
           kind=STATE, calls=SPEEDUP),
    golive(89403, "本单属于平台不支持加急种类", "这次审核不能加急", "这一类审核微信不提供加急。",
           WAIT, "无需操作：审核会按正常速度进行。", "89403 this kind of audit cannot be expedited.",
           kind=STATE, calls=SPEEDUP),
    golive(89404, "本单已加速成功", "已经加急过了", "这次审核已经加急，通常 2 到 12 小时出结果。",
           WAIT, "无需操作：请等待审核结果。", "89404 already expedited.",
           kind=STATE, calls=SPEEDUP),
    golive(89405, "本月加急额度已用完", "本月加急审核的次数已用完",
           "平台本月的加急次数已用完，这次审核会按正常速度进行。", WAIT,
           "无需操作：请等待审核结果。",
           "89405 monthly expedite quota used (queryquota: speedup_rest).",
           kind=STATE, quota=MONTH, calls=SPEEDUP),
    golive(85019, "没有审核版本", "还没有审核通过的版本", "小程序还没有审核通过的版本可以上线。",
           WAIT, "无需操作：审核通过后平台会上线小程序。",
           "85019 nothing approved to release.", kind=STATE, calls=RELEASE),
    golive(85020, "审核状态未满足发布", "审核结果还不允许上线", "这个版本的审核状态还不能上线。",
           STAFF, "平台客服会核对审核结果和备案情况后继续处理。",
           "85020 audit status does not allow release: re-query get_latest_auditstatus; a "
           "commit after approval, or unfinished ICP filing (UNCONFIRMED), are seen causes.",
           kind=STATE, calls=RELEASE),
    golive(85052, "app is already released", "这个版本已经上线了", "审核通过的这个版本已经在线上。",
           WAIT, "无需操作。", "85052 that approved version is live: submit a new one first.",
           kind=STATE, calls=RELEASE),
    golive(87012, "该版本不能回退", "不能退回到上一个版本",
           "没有可以退回的旧版本，或刚刚已经退回过一次。", STAFF, "如需处理请联系平台客服。",
           "87012 cannot revert (no earlier version, already reverted, or predates the feature).",
           kind=STATE, calls=("revertcoderelease",)),
    golive(85079, "小程序没有线上版本，不能进行灰度", "小程序还没有上线",
           "小程序还没有线上版本，不能按比例逐步发布。", WAIT, "无需操作。",
           "85079 grayrelease without a live version.", kind=STATE, calls=GRAY),
    golive(85080, "小程序提交的审核未审核通过", "审核还没有通过", "这个版本的审核还没有通过。",
           WAIT, "无需操作：请等待审核结果。", "85080 grayrelease: the audit did not pass.",
           kind=STATE, calls=GRAY),
    golive(85081, "无效的发布比例", "逐步发布的比例有误", "平台设置的发布比例不对。",
           OPERATOR, PLATFORM_FIXES, "85081 gray_percentage must be 1-100.",
           kind=OPERATOR_PROBLEM, calls=GRAY),
    golive(85082, "当前的发布比例需要比之前设置的高", "逐步发布的比例有误",
           "新的发布比例要比上一次设置的高。", OPERATOR, PLATFORM_FIXES,
           "85082 gray_percentage must rise.", kind=OPERATOR_PROBLEM, calls=GRAY),
)  # fmt: skip

#: (call, errcode) → the entry for an errcode that means something else for that call.
AUDIT_CALL_CODES = {
    ("get_material", 40007): golive(
        40007, "invalid media_id", "微信的问题截图暂时无法查看",
        "微信审核附带的问题截图已失效或无法读取，与您填写的内容无关。", WAIT,
        "无需操作：请按上面的审核意见修改；截图也可由法定代表人在 mp.weixin.qq.com 的"
        "“版本管理”里查看。",
        "40007 on get_material: the audit's screenshot media id is invalid or expired; the "
        "reason text is still shown, nothing is blocked.", kind=STATE, calls=("get_material",)),
}  # fmt: skip
