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
        "平台的程序出错",
        "平台发给微信的内容格式有误，微信没有受理，与您填写的信息无关。",
        OPERATOR,
        "平台运营方修复后客服会重新处理，您的资料已保存，无需重新填写。",
        operator_title="请求中含有转义的中文",
        operator_note="请求体把中文写成了 \\uXXXX 转义（须按 UTF-8 原样发送）：修复发送代码后在客服后台点“恢复处理”。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        40013,
        "invalid appid",
        "平台设置有误",
        "平台在微信那边的账号设置有误，与您填写的信息无关。",
        OPERATOR,
        "平台运营方正在处理。您的资料已保存，处理好后会自动提交，无需您操作。",
        operator_title="平台 AppID 无效",
        operator_note="第三方平台 AppID 无效：核对 PORTAL_WECHAT_COMPONENT_APPID 与开放平台上的第三方平台 AppID。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        40125,
        "invalid appsecret",
        "平台设置有误",
        "平台在微信那边的账号设置有误，与您填写的信息无关。",
        OPERATOR,
        "平台运营方正在处理。您的资料已保存，处理好后会自动提交，无需您操作。",
        operator_title="平台 AppSecret 无效",
        operator_note="第三方平台 AppSecret 不正确（可能已在开放平台重置），取不到 component_access_token："
        "在开放平台查看 AppSecret，更新 PORTAL_WECHAT_COMPONENT_APPSECRET 后重启。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        61023,
        "refresh_token is invalid",
        "平台对小程序的管理授权已失效",
        "平台对这个小程序的管理授权已失效，通常是小程序的管理员取消了对本平台的授权。",
        OPERATOR,
        "平台运营方正在处理；如管理员取消过对本平台的授权，请联系客服重新授权。",
        operator_title="小程序的 refresh_token 已失效",
        operator_note="authorizer_refresh_token 已失效（取消授权或重新发起授权）：在开放平台确认该小程序仍授权给"
        "本平台；worker 会从 api_get_authorizer_list 找回新的 refresh_token。",
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
        "平台运营方正在核对；核对清楚后客服会继续处理，无需您操作。",
        operator_note="61003（getAuthorizerInfo）：该账号未授权给本平台。在开放平台核对该 AppID 的授权"
        "（必要时请其管理员重新扫码授权），然后在客服后台继续处理。",
        kind=OPERATOR_PROBLEM,
        resubmit="no",
        source="reference",
    ),
    Entry(
        45011,
        "api minute-quota reach limit, mustslower retry next minute",
        "微信暂时繁忙",
        "平台短时间内向微信办理得太多，微信要求稍后再试，与您填写的信息无关。",
        WAIT,
        TRY_LATER,
        operator_title="调用过于频繁",
        operator_note="每分钟调用频率超限（45011）：worker 按临时故障策略稍后重试。",
        kind=TRANSIENT,
        resubmit="no",
        source="reference",
    ),
)
