"""The code catalogue: every errcode and push status a person may meet, in plain Chinese.

The single source of truth for pages, consoles, the worker's classification and tests.
Sources: the three tables of the fast-register document (create errcodes, search
errcodes, push statuses), REFERENCE §3 (generic API errcodes) and §5 (89255, the
newer meaning of -1, statuses 1001-1008). API errcodes and push statuses are separate
namespaces: -1 means "system busy" from the API but "company and legal person's name
do not match" in a push.
"""

from __future__ import annotations

from dataclasses import dataclass

# Who must act next.
MERCHANT, LEGAL_PERSON, OPERATOR, WAIT = "merchant", "legal_person", "operator", "wait"
ACTOR_LABELS = {
    MERCHANT: "商户（填表人）",
    LEGAL_PERSON: "法定代表人",
    OPERATOR: "平台运营方",
    WAIT: "无需操作，请等待",
}

# How the worker treats an API errcode.
OK, STATE, FIXABLE, TRANSIENT, OPERATOR_PROBLEM = "ok", "state", "fixable", "transient", "operator"

# Form fields a code can point at (the classic flavor's names).
NAME, CODE, CODE_TYPE, WECHAT, LEGAL_NAME = (
    "name",
    "code",
    "code_type",
    "legal_persona_wechat",
    "legal_persona_name",
)


@dataclass(frozen=True)
class Entry:
    code: int
    wechat_text: str
    title: str
    explanation: str
    actor: str
    next_step: str
    fields: tuple[str, ...] = ()
    kind: str = FIXABLE
    resubmit: str = "yes"  # "yes", "later", "no"
    resubmit_after: str = ""
    source: str = "seed"  # seed, reference, newer (V2)
    known: bool = True

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]


def _table(*entries: Entry) -> dict[int, Entry]:
    return {e.code: e for e in entries}


TRY_LATER = "平台会自动重试，无需重新提交。"

API_CODES: dict[int, Entry] = _table(
    Entry(0, "ok", "成功", "微信已受理。", WAIT, "等待微信核验。", kind=OK),
    Entry(
        -1,
        "system error（旧文档：invalid action）",
        "微信系统繁忙",
        "微信暂时无法处理请求（系统繁忙）。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
    Entry(
        89249,
        "task running",
        "该企业已有注册任务在进行",
        "同一企业的上一个注册任务尚未结束，微信一次只处理一个任务。",
        MERCHANT,
        "请等法定代表人处理完上一条核验消息；若无人处理，距上次提交 24 小时后可再次提交。",
        kind=FIXABLE,
        resubmit="later",
        resubmit_after="距上次任务 24 小时后",
    ),
    Entry(
        89247,
        "inner error",
        "微信内部错误",
        "微信内部出错，与您填写的信息无关。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
    ),
    Entry(
        86004,
        "invalid wechat",
        "法人微信号无效",
        "微信找不到这个微信号。常见原因：填了手机号、QQ 号或昵称，而不是微信号。",
        MERCHANT,
        "请法定代表人打开 微信 → 我，复制“微信号”一栏的内容，修改后重新提交。",
        fields=(WECHAT,),
    ),
    Entry(
        61070,
        "name, wechat name not in accordance",
        "法人姓名与微信号不一致",
        "法人姓名与该微信号绑定的微信支付银行卡实名不一致。",
        MERCHANT,
        "请确认微信号属于法定代表人本人，姓名与其微信支付绑定银行卡的姓名完全一致（改过名需先更新实名）。",
        fields=(LEGAL_NAME, WECHAT),
    ),
    Entry(
        89248,
        "invalid code type",
        "企业代码类型不对",
        "所选的企业代码类型与填写的代码不符。",
        MERCHANT,
        "统一社会信用代码为 18 位，组织机构代码为 9 位，营业执照注册号为 15 位；请选对类型后重新提交。",
        fields=(CODE_TYPE, CODE),
    ),
    Entry(
        89250,
        "task not found",
        "微信没有进行中的任务",
        "微信当前没有该企业的注册任务：任务已经结束，或从未开始。",
        WAIT,
        "结果以微信推送为准；如长时间没有结果，请联系客服。",
        kind=STATE,
        resubmit="no",
    ),
    Entry(
        89251,
        "legal person checking",
        "等待法定代表人核验",
        "微信已向法定代表人发送模板消息，正在等待其完成身份证和人脸核验。",
        LEGAL_PERSON,
        "请法定代表人在 24 小时内打开“公众平台安全助手”的消息并完成核验。",
        kind=STATE,
        resubmit="no",
    ),
    Entry(
        89252,
        "front checking",
        "微信正在核对企业与法人信息",
        "微信正在核对企业信息与法定代表人信息是否一致，通常需要几分钟到几十分钟。",
        WAIT,
        "请耐心等待，无需操作。",
        kind=STATE,
        resubmit="no",
    ),
    Entry(
        89253,
        "lack of some params",
        "缺少必填信息",
        "提交给微信的信息不完整。",
        OPERATOR,
        "这通常是平台的问题，请联系客服；客服核对后会代为重新提交。",
        fields=(NAME, CODE, CODE_TYPE, WECHAT, LEGAL_NAME),
        kind=OPERATOR_PROBLEM,
        resubmit="no",
    ),
    Entry(
        89254,
        "lack of some component rights",
        "平台权限集不全",
        "本平台在微信开放平台缺少快速注册所需的权限集，与您填写的信息无关。",
        OPERATOR,
        "平台运营方需补全权限集并全网发布；处理好后平台会自动重新提交，无需您操作。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
    ),
    Entry(
        89255,
        "invalid code",
        "企业代码无效",
        "企业代码的长度或格式与所选类型不符。",
        MERCHANT,
        "请对照营业执照核对企业代码，并确认代码类型选择正确。",
        fields=(CODE, CODE_TYPE),
        source="reference",
    ),
    Entry(
        40001,
        "invalid credential",
        "平台凭证无效",
        "平台调用微信的凭证失效。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
    Entry(
        40014,
        "invalid access_token",
        "平台凭证无效",
        "平台调用微信的凭证无效。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
    Entry(
        42001,
        "access_token expired",
        "平台凭证过期",
        "平台调用微信的凭证已过期。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61004,
        "access clientip is not registered",
        "服务器 IP 不在白名单",
        "平台服务器的出口 IP 未加入微信开放平台的白名单：微信的推送仍能到达，但调用接口会失败。",
        OPERATOR,
        "运营方请在开放平台 → 第三方平台 → 开发配置中加入服务器出口 IP。您的资料已保存，处理后会自动提交。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61005,
        "component ticket is expired",
        "平台票据已过期",
        "平台的 component_verify_ticket 已过期（微信每 10 分钟推送一次新的）。",
        OPERATOR,
        "运营方请检查授权事件接收 URL 是否能收到推送；收到新票据后会自动重试。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61006,
        "component ticket is invalid",
        "平台票据无效",
        "平台的 component_verify_ticket 无效，可能与 AppID/密钥不匹配。",
        OPERATOR,
        "运营方请核对 AppID、AppSecret 与推送配置；收到新票据后会自动重试。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        45009,
        "reach max api daily quota limit",
        "平台今日调用次数已用完",
        "平台今天调用该接口的次数已达微信的上限。",
        OPERATOR,
        "您的资料已保存，平台会在额度恢复后（通常次日）自动提交。运营方可在开放平台查看或重置额度。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61007,
        "api is unauthorized to component",
        "平台未获该接口权限",
        "本平台没有调用该接口的权限。",
        OPERATOR,
        "运营方请在开放平台申请并发布对应权限集；处理后会自动重试。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61010,
        "code is expired",
        "授权码已过期或已使用",
        "用于获取新小程序管理权限的授权码已过期或已被使用。",
        OPERATOR,
        "小程序已创建；运营方可在开放平台重新发起授权。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
)

_EXPIRED_NEXT = (
    "请提醒法定代表人留意“公众平台安全助手”的消息，然后重新提交；新消息同样需要在 24 小时内处理。"
)

PUSH_STATUSES: dict[int, Entry] = _table(
    Entry(
        0,
        "OK",
        "小程序创建成功",
        "法定代表人已完成核验，微信已创建小程序。",
        WAIT,
        "平台正在获取小程序的管理授权。",
        kind=OK,
        resubmit="no",
    ),
    Entry(
        100001,
        "超时未进行身份证校验",
        "法人未在 24 小时内完成身份证核验",
        "微信发送的模板消息在 24 小时内没有完成身份证信息校验，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
    ),
    Entry(
        100002,
        "超时未进行人脸识别校验",
        "法人未在 24 小时内完成人脸识别",
        "法定代表人完成了身份证校验，但 24 小时内没有完成人脸识别，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
    ),
    Entry(
        100003,
        "超时未确认",
        "法人未在 24 小时内确认",
        "法定代表人在 24 小时内没有确认微信发送的模板消息，任务已过期。",
        LEGAL_PERSON,
        _EXPIRED_NEXT,
    ),
    Entry(
        101,
        "企业已注销",
        "企业已注销",
        "工商数据显示该企业已注销，无法为其注册小程序。",
        MERCHANT,
        "请核对企业名称和代码是否填成了已注销的旧主体；如确为注销企业则无法办理。",
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
            "帐号限制或黑名单",
            f"微信限制了本次注册（{code}）",
            "微信以主体或法人的注册数量上限、黑名单等原因拒绝了本次注册。",
            OPERATOR,
            "请联系客服，客服会根据微信返回的说明协助处理。",
            resubmit="no",
            source="reference",
        )
        for code in range(1001, 1009)
    ),
)

EXPIRED_STATUSES = frozenset({100001, 100002, 100003})


def _unknown(code: int | None, msg: str) -> Entry:
    shown = "未知" if code is None else str(code)
    return Entry(
        code if code is not None else 0,
        msg,
        f"微信返回了未收录的代码 {shown}",
        f"微信的说明：{msg or '（无）'}",
        OPERATOR,
        "请联系客服，并提供本页链接；客服会查明原因。",
        resubmit="no",
        known=False,
        kind=TRANSIENT,
    )


def api_entry(code: int | None, msg: str = "") -> Entry:
    """Return the catalogue entry for an API errcode (unknown codes still render)."""
    return API_CODES.get(code) if code in API_CODES else _unknown(code, msg)  # type: ignore[return-value]


def push_entry(status: int | None, msg: str = "") -> Entry:
    """Return the catalogue entry for a push status (unknown statuses still render)."""
    return PUSH_STATUSES.get(status) if status in PUSH_STATUSES else _unknown(status, msg)  # type: ignore[return-value]
