"""Go-live errcodes of code templates and of putting code on the mini program (SETUP.md §5-§6).

Templates (gettemplatedraftlist, addtotemplate, gettemplatelist, deletetemplate) use
the component token; commit, get_page and get_qrcode the authorizer token. Each of
these is the platform's own work: the merchant never fixes one of them.
"""

from __future__ import annotations

from portal.wechat.codes.entry import (
    OPERATOR,
    OPERATOR_PROBLEM,
    STATE,
    TRANSIENT,
    WAIT,
    golive,
    table,
)

TEMPLATES = ("gettemplatedraftlist", "addtotemplate", "gettemplatelist", "deletetemplate")
COMMIT = ("commit",)
PLATFORM_FIXES = "无需您操作：平台处理好后会自动继续。"
CODE_PROBLEM = "平台为您准备的小程序程序包有问题，与您填写的信息无关。"


def _code(code: int, wechat_text: str, note: str, calls: tuple[str, ...] = COMMIT):
    """A problem in the platform's template or ext_json: the operator fixes it."""
    return golive(code, wechat_text, "小程序程序包需要平台调整", CODE_PROBLEM, OPERATOR,
                  PLATFORM_FIXES, note, kind=OPERATOR_PROBLEM, calls=calls)  # fmt: skip


CODE_CODES = table(
    golive(85064, "找不到草稿或模板", "平台的小程序程序包没有找到",
           "平台准备给您用的小程序程序包找不到了，与您填写的信息无关。", OPERATOR, PLATFORM_FIXES,
           "85064 draft or template not found: gettemplatedraftlist / gettemplatelist for "
           "current ids (each dev MP keeps only its latest draft).",
           kind=OPERATOR_PROBLEM, calls=TEMPLATES),
    golive(85065, "模板库已满", "平台的程序包存放已满",
           "平台存放小程序程序包的位置已满，暂时不能放入新的版本。", OPERATOR, PLATFORM_FIXES,
           "85065 the template library is full (200): deletetemplate old ones.",
           kind=OPERATOR_PROBLEM, calls=("addtotemplate",)),
    golive(43001, "require GET method", "平台请求微信的方式有误",
           "平台这次向微信查询的方式不对，微信没有受理。", OPERATOR, PLATFORM_FIXES,
           "43001 require GET: gettemplatelist (and the other GET calls of SETUP §5-§6) must "
           "be GET.", kind=OPERATOR_PROBLEM, calls=("gettemplatelist",)),
    _code(85013, "无效的自定义配置", "85013 invalid ext_json: it must be a JSON string (not an "
          "object) that parses, with valid paths."),
    _code(85014, "无效的模板编号", "85014 template_id not found: take it from gettemplatelist."),
    _code(85043, "模板错误", "85043 template error."),
    _code(85044, "代码包超过大小限制", "85044 the code package is too large."),
    _code(85045, "ext_json 有不存在的路径", "85045 a path in ext_json does not exist in the template."),
    _code(85046, "tabBar 中缺少 path", "85046 a tabBar item has no path."),
    _code(85047, "pages 字段为空", "85047 ext_json pages is empty."),
    _code(85048, "ext_json 解析失败", "85048 ext_json failed to parse."),
    _code(85310, "requiredPrivateInfos 字段有误", "85310 requiredPrivateInfos names an unknown API."),
    _code(85311, "requiredPrivateInfos 中的接口互斥",
          "85311 requiredPrivateInfos lists mutually exclusive location APIs."),
    _code(85312, "没有 requiredPrivateInfos 中接口的权限",
          "85312 no permission for an API in requiredPrivateInfos: apply_privacy_interface."),
    _code(80066, "非法的插件版本", "80066 invalid plugin version in ext_json plugins."),
    _code(80067, "找不到使用的插件", "80067 the plugin used is not found."),
    _code(80082, "没有权限使用该插件", "80082 no permission to use the plugin."),
    _code(9402203, "标准模板ext_json错误，只允许填充 extAppid、ext、window",
          "9402203 a standard template's ext_json may hold only extAppid, ext and window "
          "(standard templates are retired: use template_type 0)."),
    golive(9402202, "请勿频繁提交，待上一次操作完成后再提交", "上一步还在处理中",
           "这个小程序的上一步操作还没处理完，微信让稍后再试。", WAIT,
           "无需操作：平台稍后会自动再试。",
           "9402202 concurrent limit: commit/submit_audit run at once for one appid; serialise "
           "per appid.", kind=TRANSIENT, calls=("commit", "submit_audit")),
    golive(86000, "不是由第三方代小程序进行调用", "平台没有以代管身份操作",
           "微信认为这次操作不是由代管小程序的平台发起的，与您填写的信息无关。", OPERATOR,
           PLATFORM_FIXES,
           "86000 not called by a third party: use this MP's authorizer_access_token, not its "
           "own token.", kind=OPERATOR_PROBLEM, calls=("get_page", "get_auditstatus")),
    golive(86001, "不存在第三方的已经提交的代码", "小程序还没有上传程序",
           "平台还没有把小程序的程序上传到微信。", WAIT, "无需操作：平台会先上传程序再继续。",
           "86001 no committed code: commit first.",
           kind=STATE, calls=("get_page", "get_auditstatus")),
    golive(85086, "提交代码审核之前需提前上传代码", "小程序还没有上传程序",
           "提交审核之前需要先上传小程序的程序，平台这一步还没完成。", WAIT,
           "无需操作：平台会先上传程序再提交审核。",
           "85086 submit_audit without a successful commit (or on another appid or token).",
           kind=STATE, calls=("submit_audit",)),
    golive(61039, "代码检测任务暂未完成，请稍后再试", "微信还在检查小程序的程序",
           "程序上传后微信要先做一次隐私检查，几分钟内会完成。", WAIT,
           "无需操作：平台稍后会自动提交审核。",
           "61039 the privacy scan after commit has not finished: poll get_code_privacy_info "
           "until errcode 0; never retry commit and submit_audit as a pair.",
           kind=TRANSIENT, calls=("submit_audit", "get_code_privacy_info")),
    golive(61040, "代码隐私检测未通过", "小程序用到的个人信息功能还没有登记",
           "小程序会用到用户位置等个人信息，需要先在微信登记用途，平台这一步还没做好。",
           OPERATOR, PLATFORM_FIXES,
           "61040: location APIs used without requiredPrivateInfos in ext_json or without "
           "permission: declare them, apply_privacy_interface, or privacy_api_not_use.",
           kind=OPERATOR_PROBLEM, calls=("submit_audit",)),
    golive(9400001, "该开发小程序已开通小程序直播权限，不支持发布版本", "平台的开发用小程序不能发布",
           "平台用来开发的小程序开通了直播，微信不允许用它发布版本，与您无关。", OPERATOR,
           PLATFORM_FIXES,
           "9400001 the platform's dev MP has live-streaming enabled: it cannot release.",
           kind=OPERATOR_PROBLEM, calls=("submit_audit",)),
)  # fmt: skip
