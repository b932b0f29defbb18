"""Codes of WeChat's newer enterprise fast-register API (fastregisterenterpriseweapp).

From V2 notes: the errcodes seen with it, and the 1-based task statuses one public SDK
lists (unconfirmed by WeChat). Every entry is marked ``source="newer"``. A status the
table does not know still renders (see ``status_entry``), and a task is only ended by
a status whose outcome is known.
"""

from __future__ import annotations

from dataclasses import replace

from portal.wechat.codes.entry import (
    CODE,
    EXPIRED,
    LEGAL_PERSON,
    MERCHANT,
    NAME,
    OK,
    OPERATOR,
    OPERATOR_PROBLEM,
    PROGRESS,
    STATE,
    SUCCEEDED,
    WAIT,
    Entry,
    table,
)
from portal.wechat.codes.push import PUSH_STATUSES, REFUSED_NEXT

V2_API_CODES = table(
    Entry(86021, "非在营企业", "企业不在营业状态",
          "工商登记显示该企业不是在营状态（如已注销、吊销或停业），不在营的企业不能注册小程序。",
          MERCHANT, "请先到市场监督管理部门办理好企业的登记状态，登记更新为在营后再来提交；"
          "在此之前重新提交不会改变结果。如果填成了别的企业，可修改后重新提交。",
          fields=(NAME, CODE), resubmit="no", source="newer"),
    Entry(86022, "企业名称与代码不匹配", "企业名称与统一社会信用代码不匹配",
          "填写的企业名称和统一社会信用代码在工商数据中不是同一家企业。",
          MERCHANT, "请对照营业执照逐字核对企业名称和 18 位代码，修改后重新提交。",
          fields=(NAME, CODE), source="newer"),
    Entry(86030, "缺少参数", "缺少必填信息", "提交给微信的信息不完整。",
          OPERATOR, "这通常是平台的问题，请联系客服；客服核对后会代为重新提交。",
          fields=(NAME, CODE), kind=OPERATOR_PROBLEM, resubmit="no", source="newer",
          operator_note="create 请求缺少参数（name、code、component_phone、new_version）：核对请求体与调用日志，"
          "修复后在客服后台点“恢复处理”。"),
    *(Entry(code, "个人主体第三方平台不支持", "平台暂时无法办理这种注册方式",
            "本平台暂时不能使用微信的这种注册方式，与您填写的信息无关。",
            OPERATOR, "平台运营方正在处理。您的资料已保存，无需重新填写。",
            kind=OPERATOR_PROBLEM, resubmit="no", source="newer",
            operator_title="个人主体第三方平台不支持",
            operator_note="个人主体的第三方平台不能调用 fastregisterenterpriseweapp：需换用企业主体的第三方平台。")
      for code in (86040, 89295)),
)  # fmt: skip

_RETRY = "重新提交即可，会生成新的验证链接。"

V2_STATUSES = table(
    Entry(0, "OK", "小程序创建成功", "法定代表人已完成验证，微信已创建小程序。",
          WAIT, "平台正在获取小程序的管理授权。", kind=OK, resubmit="no",
          source="newer", outcome=SUCCEEDED),
    Entry(1, "任务创建", "等待法定代表人打开验证链接", "微信已创建注册任务，等待法定代表人打开验证链接。",
          LEGAL_PERSON, "请法定代表人在 24 小时内用微信打开验证链接。", kind=STATE,
          resubmit="no", source="newer", outcome=PROGRESS),
    Entry(2, "任务超时", "法人未在 24 小时内完成验证", "验证链接在 24 小时内没有完成，任务已过期。",
          LEGAL_PERSON, "请提醒法定代表人及时处理后重新提交，新的验证链接同样 24 小时内有效。",
          source="newer", outcome=EXPIRED),
    Entry(3, "用户拒绝", "法定代表人拒绝了申请", "法定代表人在验证页面选择了拒绝。",
          LEGAL_PERSON, REFUSED_NEXT, source="newer", refusal=True),
    Entry(4, "用户同意", "法定代表人已同意", "法定代表人已同意，正在进行身份验证。",
          WAIT, "请等待法定代表人完成人脸核验。", kind=STATE, resubmit="no",
          source="newer", outcome=PROGRESS),
    Entry(5, "发起人脸", "人脸核验进行中", "法定代表人已开始人脸核验。",
          WAIT, "请等待人脸核验完成。", kind=STATE, resubmit="no", source="newer",
          outcome=PROGRESS),
    Entry(6, "人脸失败", "人脸核验未通过", "法定代表人的人脸核验没有通过。",
          LEGAL_PERSON, "请法定代表人本人在光线充足处、正对手机重试：" + _RETRY, source="newer"),
    Entry(7, "人脸成功", "人脸核验已通过", "法定代表人的人脸核验已通过。",
          WAIT, "请等待微信创建小程序。", kind=STATE, resubmit="no", source="newer",
          outcome=PROGRESS),
    Entry(8, "验证码已发送", "短信验证码已发送", "微信已向法定代表人发送短信验证码。",
          LEGAL_PERSON, "请法定代表人在验证页面填写短信验证码。", kind=STATE, resubmit="no",
          source="newer", outcome=PROGRESS),
    Entry(9, "手机号校验失败", "手机号校验未通过", "法定代表人的手机号验证没有通过。",
          LEGAL_PERSON, "请法定代表人确认手机号可以正常接收短信，" + _RETRY, source="newer"),
    Entry(10, "已提交创建", "正在创建小程序", "验证已完成，微信正在创建小程序。",
          WAIT, "请稍候。", kind=STATE, resubmit="no", source="newer", outcome=PROGRESS),
    Entry(11, "创建失败", "小程序创建失败", "验证已完成，但微信创建小程序失败。",
          OPERATOR, "请联系客服，客服会查明原因后代为重新提交。", resubmit="no", source="newer",
          operator_note="任务状态 11：验证已完成但微信创建失败。查看推送与 query 的结果，向微信查明原因后代为重新提交。"),
    Entry(12, "创建成功", "小程序创建成功", "微信已创建小程序。",
          WAIT, "平台正在获取小程序的管理授权。", kind=OK, resubmit="no",
          source="newer", outcome=SUCCEEDED),
    Entry(13, "企业信息校验通过", "企业信息核对通过", "微信已核对通过企业信息。",
          WAIT, "请等待法定代表人完成验证。", kind=STATE, resubmit="no", source="newer",
          outcome=PROGRESS),
    Entry(14, "企业信息校验失败", "企业信息核对未通过",
          "微信核对企业名称与统一社会信用代码时没有通过。",
          MERCHANT, "请对照营业执照逐字核对企业名称和 18 位代码，修改后" + _RETRY,
          fields=(NAME, CODE), source="newer"),
    *(replace(PUSH_STATUSES[code], source="newer") for code in range(1001, 1009)),
)  # fmt: skip
