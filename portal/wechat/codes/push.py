"""Result push statuses: the seed's table and REFERENCE §5 (1001-1008)."""

from __future__ import annotations

from portal.wechat.codes.entry import (
    CODE,
    EXPIRED,
    LEGAL_NAME,
    LEGAL_PERSON,
    MERCHANT,
    NAME,
    OK,
    OPERATOR,
    SUCCEEDED,
    WAIT,
    WECHAT,
    Entry,
    table,
)

_EXPIRED_NEXT = (
    "请提醒法定代表人留意“公众平台安全助手”的消息，然后重新提交；新消息同样需要在 24 小时内处理。"
)

#: The legal person declined: the next step is a conversation, not a button.
REFUSED_NEXT = (
    "请先与法定代表人沟通：确认其知道这次申请，并同意由本平台为企业注册小程序、由其本人担任管理员。"
    "确认之后再重新提交，法定代表人会收到一条新的申请，同样需要在 24 小时内处理。"
)
#: How long before the 24 hours were over a classic "not confirmed" (100003) must come
#: to be a refusal: the classic API has no "refused" status, and WeChat reports a
#: refusal at once as 100003, where a real timeout comes at the end of the 24 hours.
REFUSAL_MARGIN = 3600

_BLACKLISTED = "微信不说明原因，也不接受申诉转交；请联系客服确认后再决定是否换用其他方式注册。"
_BLACKLIST_NOTE = (
    "微信把主体或管理员列入了黑名单且不说明原因：客服与商户确认后再决定是否换用其他方式注册，"
    "不要反复提交。"
)
#: Statuses 1001-1008: each names what WeChat limited (its own wording first).
_LIMITS = (
    (1001, MERCHANT, "主体创建小程序数量达到上限", "该企业名下的小程序数量已达上限",
     "微信规定一个企业可创建的小程序数量有上限，该企业已经达到。",
     "可在微信公众平台注销不再使用的小程序后重新提交，或联系客服了解其他办法。"),
    (1002, OPERATOR, "主体违规命中黑名单", "该企业被微信限制注册",
     "该企业因违规被微信列入黑名单，暂时不能通过快速注册创建小程序。", _BLACKLISTED),
    (1003, LEGAL_PERSON, "管理员绑定账号数量达到上限", "法定代表人的微信绑定的账号数量已达上限",
     "法定代表人的微信作为管理员绑定的公众号、小程序数量已达上限。",
     "请法定代表人在微信公众平台解除不再管理的账号后，重新提交。"),
    (1004, OPERATOR, "管理员违规命中黑名单", "法定代表人的微信被微信限制",
     "法定代表人的微信因违规被微信列入黑名单，不能作为新小程序的管理员。", _BLACKLISTED),
    (1005, LEGAL_PERSON, "管理员手机绑定账号数量达到上限", "法定代表人的手机号绑定的账号数量已达上限",
     "法定代表人微信绑定的手机号已关联了上限数量的公众号、小程序。",
     "请法定代表人解除该手机号关联的不再使用的账号后，重新提交。"),
    (1006, OPERATOR, "管理员手机号违规命中黑名单", "法定代表人的手机号被微信限制",
     "法定代表人微信绑定的手机号因违规被微信列入黑名单。", _BLACKLISTED),
    (1007, LEGAL_PERSON, "管理员身份证创建账号数量达到上限", "法定代表人的身份证创建的账号数量已达上限",
     "法定代表人的身份证已用于创建上限数量的公众号、小程序。",
     "请法定代表人注销不再使用的账号后，重新提交。"),
    (1008, OPERATOR, "管理员身份证违规命中黑名单", "法定代表人的身份证被微信限制",
     "法定代表人的身份证因违规被微信列入黑名单。", _BLACKLISTED),
)  # fmt: skip

PUSH_STATUSES: dict[int, Entry] = table(
    Entry(
        0,
        "OK",
        "小程序创建成功",
        "法定代表人已完成核验，微信已创建小程序。",
        WAIT,
        "平台正在获取小程序的管理授权。",
        kind=OK,
        outcome=SUCCEEDED,
        resubmit="no",
    ),
    Entry(
        100001,
        "超时未进行身份证校验",
        "法人未在 24 小时内完成身份证核验",
        "微信发送的模板消息在 24 小时内没有完成身份证信息校验，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
        outcome=EXPIRED,
    ),
    Entry(
        100002,
        "超时未进行人脸识别校验",
        "法人未在 24 小时内完成人脸识别",
        "法定代表人在 24 小时内没有确认微信发送的模板消息，也没有进行人脸识别校验，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
        outcome=EXPIRED,
    ),
    Entry(
        100003,
        "超时未确认",
        "法人未在 24 小时内确认",
        "法定代表人在 24 小时内没有确认微信发送的模板消息，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
        outcome=EXPIRED,
    ),
    Entry(
        101,
        "企业已注销",
        "企业已注销",
        "工商登记显示该企业已注销，已注销的企业不能注册小程序。",
        MERCHANT,
        "重新提交不会改变结果。如企业实际仍在经营、登记状态有误，请先到市场监督管理部门更正登记，"
        "再来提交；如果填成了已注销的旧主体，可改为正在经营的企业后重新提交。",
        fields=(NAME, CODE),
        resubmit="no",
    ),
    Entry(
        102,
        "企业不存在或企业信息未更新",
        "查不到该企业",
        "工商数据中查不到该企业，或企业信息尚未更新。常见原因：名称与登记不完全一致（如“广州”与“广州市”、半角括号）。",
        MERCHANT,
        "请在国家企业信用信息公示系统查询并逐字复制企业名称，核对代码后重新提交。",
        fields=(NAME, CODE),
    ),
    Entry(
        103,
        "企业法定代表人姓名不一致",
        "法人姓名与工商登记不一致",
        "填写的法人姓名与工商登记的法定代表人姓名不一致。",
        MERCHANT,
        "请按营业执照上的法定代表人姓名填写（包括“·”等符号），修改后重新提交。",
        fields=(LEGAL_NAME,),
    ),
    Entry(
        104,
        "企业法定代表人身份证号码不一致",
        "法人身份证号与工商登记不一致",
        "核验时使用的身份证号与工商登记的法定代表人身份证号不一致：微信号可能不属于法定代表人本人。",
        MERCHANT,
        "请确认填写的是法定代表人本人的微信号（其微信实名即法定代表人），修改后重新提交。",
        fields=(WECHAT, LEGAL_NAME),
    ),
    Entry(
        105,
        "法人身份证号码工商数据未更新",
        "工商登记的身份证信息尚未更新",
        "工商数据中法定代表人的身份证号码尚未更新（例如刚从 15 位升级为 18 位）。",
        MERCHANT,
        "无需修改资料，请在 5–15 个工作日后重新提交。",
        resubmit="later",
        resubmit_after="5–15 个工作日后",
    ),
    Entry(
        1000,
        "企业信息或法定代表人信息不一致",
        "企业或法人信息不一致",
        "工商数据返回企业信息或法定代表人信息不一致。",
        MERCHANT,
        "请逐项核对企业名称、企业代码和法人姓名是否与营业执照完全一致，修改后重新提交。",
        fields=(NAME, CODE, LEGAL_NAME),
    ),
    Entry(
        -1,
        "企业与法人姓名不一致",
        "企业与法人姓名不一致",
        "微信核对发现企业与法定代表人姓名不匹配。",
        MERCHANT,
        "请核对企业名称与法人姓名是否对应同一家企业的营业执照，修改后重新提交。",
        fields=(NAME, LEGAL_NAME),
    ),
    *(
        Entry(
            code,
            wechat_text,
            title,
            explanation,
            actor,
            next_step,
            resubmit="no",
            source="reference",
            operator_note=_BLACKLIST_NOTE if actor == OPERATOR else "",
        )
        for code, actor, wechat_text, title, explanation, next_step in _LIMITS
    ),
)

#: Statuses that, reported well before the 24 hours are over, mean something else:
#: classic's 100003 then is the legal person's refusal (``REFUSAL_MARGIN``).
ENDED_EARLY: dict[int, Entry] = table(
    Entry(
        100003,
        "超时未确认（24 小时未到即报告：法定代表人拒绝）",
        "法定代表人拒绝了申请",
        "法定代表人在微信里拒绝了这次创建小程序的申请：24 小时还没到，微信就报告了“未确认”，"
        "这是微信报告拒绝的方式。",
        LEGAL_PERSON,
        REFUSED_NEXT,
        outcome=EXPIRED,
        refusal=True,
        operator_note="经典接口没有“拒绝”状态：法定代表人拒绝时微信立即推送 100003。距 24 小时截止还有"
        "1 小时以上时收到的 100003 按拒绝显示。",
    ),
)
