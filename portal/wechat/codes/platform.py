"""Errcodes of the platform's own credentials and limits, met in production (REFERENCE §3):
a body with escaped Chinese, a wrong appid or secret, a revoked authorization, an
account that never authorized the platform (getAuthorizerInfo's 61003), the per-minute
limit. Kept apart from the fast-register document's tables in ``api``."""

from __future__ import annotations

from portal.wechat.codes.api import TRY_LATER
from portal.wechat.codes.entry import OPERATOR, OPERATOR_PROBLEM, TRANSIENT, WAIT, Entry, table

PLATFORM_CODES = table(
    Entry(
        40033,
        "invalid charset. please check your request, if include \\uxxxx will create fail!",
        "请求中含有转义的中文",
        "平台发给微信的内容把中文写成了 \\uXXXX 转义，微信拒绝了它（中文须按 UTF-8 原样发送）。",
        OPERATOR,
        "这是平台的程序问题，与您填写的信息无关；运营方修复后客服会重新处理，您的资料已保存。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        40013,
        "invalid appid",
        "平台 AppID 无效",
        "平台配置的第三方平台 AppID 无效。",
        OPERATOR,
        "运营方请核对 PORTAL_WECHAT_COMPONENT_APPID 与开放平台上的第三方平台 AppID；您的资料已保存。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        40125,
        "invalid appsecret",
        "平台 AppSecret 无效",
        "平台配置的第三方平台 AppSecret 不正确（可能已在开放平台重置），无法取得调用凭证。",
        OPERATOR,
        "运营方请在开放平台查看 AppSecret，更新 PORTAL_WECHAT_COMPONENT_APPSECRET 后重启；您的资料已保存。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61023,
        "refresh_token is invalid",
        "小程序的授权已失效",
        "平台保存的该小程序刷新令牌已失效，通常是小程序取消了对本平台的授权或授权被重新发起。",
        OPERATOR,
        "运营方请在开放平台确认该小程序仍授权给本平台；平台会从“已授权账号列表”找回新的刷新令牌。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61003,
        "component is not authorized by this account",
        "该小程序未授权给本平台",
        "微信表示这个账号没有授权给本平台，平台因此无法查看或管理它，与您填写的信息无关。",
        OPERATOR,
        "运营方请在开放平台核对该 AppID 是否已授权给本平台（必要时请其管理员重新扫码授权）；"
        "核对清楚后客服会继续处理，您无需操作。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        45011,
        "api minute-quota reach limit, mustslower retry next minute",
        "调用过于频繁",
        "平台一分钟内调用微信接口的次数超过了频率限制。",
        WAIT,
        TRY_LATER,
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
)
