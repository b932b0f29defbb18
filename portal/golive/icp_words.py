"""ICP filing (备案) in the merchant's words: WeChat's filing status, who must act and what
to do, for the merchant's step 8 and the API (``portal.golive.icp`` keeps the state).

Status meanings are WeChat's page ``openApi/miniprogram-management/record/
api_geticpentranceinfo`` (2-6, 1024-1026), and for 1027-1031 the same enumeration as an
SDK lists it (a Go client's ``ICPEntranceStatus``): each of 1025-1031 is "not filed" plus
what is missing (basic information, category, WeChat verification).
"""

from __future__ import annotations

PLATFORM_REVIEW, PLATFORM_REJECTED, AUTHORITY_REVIEW, AUTHORITY_REJECTED, FILED = 2, 3, 4, 5, 6
NOT_FILED = 1024
#: The bits of 1024-1031 ("not filed" plus what is missing first), as WeChat numbers them.
MISSING_INFO, MISSING_CATEGORY, NOT_VERIFIED = 1, 2, 4
MERCHANT, WECHAT, NOBODY = "merchant", "wechat", "nobody"  # who must act
CONSOLE = "mp.weixin.qq.com"
#: The release step's words while it waits for the filing (85020 before 6).
RELEASE_WAITS = (
    "微信要求小程序完成 ICP 备案后才能发布。备案完成后平台会自动发布；请先完成第 8 步“ICP 备案”。"
)

FILE_IN_CONSOLE = (
    f"请法定代表人（小程序管理员）登录 {CONSOLE}，在“备案”里提交备案并完成负责人的"
    "人脸核验；平台无法代为备案。"
)
SMS_TIMED_OUT = 3  # sms_verify_status: the authority's SMS check was not answered in time
STATES: dict[int, tuple[str, str, str, str]] = {
    PLATFORM_REVIEW: (
        "微信初审中",
        WECHAT,
        "备案材料已提交，微信正在初审（通常 1–2 个工作日），无需操作，请保持电话畅通。",
        "progress",
    ),
    PLATFORM_REJECTED: (
        "微信初审未通过",
        MERCHANT,
        f"请按下面的原因修改，然后在 {CONSOLE} 的“备案”里重新提交。",
        "error",
    ),
    AUTHORITY_REVIEW: (
        "管局审核中",
        WECHAT,
        "已通过微信初审，正在由通信管理局审核（通常 1–20 个工作日）。"
        "请留意工信部发给负责人的核验短信，并在 24 小时内按短信完成核验。",
        "progress",
    ),
    AUTHORITY_REJECTED: (
        "管局审核未通过",
        MERCHANT,
        f"请按下面的原因修改，然后在 {CONSOLE} 的“备案”里重新提交。",
        "error",
    ),
    FILED: ("已备案", NOBODY, "备案已完成，小程序发布后即可上架。", "ok"),
}
MISSING = {
    MISSING_INFO: "小程序的名称、头像、简介（完成第 1–3 步后会自动补上）",
    MISSING_CATEGORY: "小程序的服务类目（完成第 4 步后会自动补上）",
    NOT_VERIFIED: "微信认证（在小程序后台“设置 → 微信认证”办理）",
}


def describe(status: int | None) -> tuple[str, str, str, str, tuple[str, ...]]:
    """(label, who acts, what to do, tone, what is missing) for WeChat's status."""
    if status is None:
        return (
            "尚未查询",
            NOBODY,
            "名称、头像、简介和类目都完成后，平台会查询备案状态；"
            "如已在小程序后台办理备案，以后台显示为准。",
            "todo",
            (),
        )
    if status in STATES:
        label, actor, todo, tone = STATES[status]
        return label, actor, todo, tone, ()
    if NOT_FILED <= status < NOT_FILED + 8:
        bits = status - NOT_FILED
        missing = tuple(text for bit, text in MISSING.items() if bits & bit)
        todo = FILE_IN_CONSOLE
        if missing:
            todo = "备案前还需先完成：" + "；".join(missing) + "。然后" + FILE_IN_CONSOLE
        return "未备案", MERCHANT, todo, "todo", missing
    return (
        f"备案状态 {status}",
        MERCHANT,
        f"平台不认识微信给出的这个状态，请以 {CONSOLE} 小程序后台“备案”显示的为准。",
        "todo",
        (),
    )


def label(status: int | None) -> str:
    return describe(status)[0]
