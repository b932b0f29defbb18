"""Go-live errcodes of the head image, introduction, images and categories (SETUP.md §1.5-§2).

Images reach WeChat as temporary media (``/cgi-bin/media/upload``, authorizer token,
3 days) or as audit material (``/wxa/uploadmedia``); only the first works for the head
image (40007). Categories: addcategory, modifycategory, deletecategory (53300-53311).
"""

from __future__ import annotations

from portal.wechat.codes.entry import (
    CATEGORY,
    HEAD_IMAGE,
    MERCHANT,
    MONTH,
    OPERATOR,
    OPERATOR_PROBLEM,
    QUALIFICATION,
    SIGNATURE,
    STAFF,
    STATE,
    TRANSIENT,
    WAIT,
    golive,
    table,
)

UPLOADS = ("media/upload", "uploadmedia")
HEAD, INTRO = "modifyheadimage", "modifysignature"
CATEGORY_CALLS = ("addcategory", "modifycategory", "deletecategory")
NEXT_MONTH = "无需操作：下个月次数恢复后，平台客服会继续处理。"
PLATFORM_FIXES = "无需您操作：平台处理好后会自动继续。"

PROFILE_CODES = table(
    golive(40005, "invalid file type", "图片格式不支持", "上传的图片格式微信不接受。",
           MERCHANT, "请换成 JPG、PNG、GIF 或 BMP 格式的图片再上传。",
           "40005 invalid file type on a media upload.",
           fields=(HEAD_IMAGE, QUALIFICATION), calls=UPLOADS),
    golive(40006, "invalid file size", "图片太大", "上传的图片超过了微信允许的大小。",
           MERCHANT, "请上传不超过 2 MB 的图片。",
           "40006 invalid file size (head image and audit images: 2 MB; SETUP §1.5 lists 2 MB "
           "and 10 MB for temporary media).", fields=(HEAD_IMAGE, QUALIFICATION), calls=UPLOADS),
    golive(41005, "media data missing", "图片没有传到微信", "平台上传图片时，图片内容没有送到微信。",
           OPERATOR, PLATFORM_FIXES,
           "41005 media data missing: the multipart field must be named 'media'.",
           kind=OPERATOR_PROBLEM, calls=UPLOADS),
    golive(43002, "require POST method", "图片没有传到微信", "平台上传图片的方式不对，微信没有收下。",
           OPERATOR, PLATFORM_FIXES, "43002 require POST: uploads are multipart POST.",
           kind=OPERATOR_PROBLEM, calls=UPLOADS),
    golive(40007, "invalid media_id", "上传的图片已失效", "平台交给微信的图片已过期或不可用。",
           OPERATOR, "无需您操作：平台会重新上传图片后再试；仍不成功时客服会联系您。",
           "40007 invalid media_id: temporary media expire after 3 days; modifyheadimage only "
           "takes /cgi-bin/media/upload media made with this MP's authorizer token (not "
           "/wxa/uploadmedia, not a component or Official Account token).",
           kind=OPERATOR_PROBLEM, calls=(HEAD, "setnickname", "addcategory", "submit_audit")),
    golive(53200, "本月功能介绍修改次数已用完", "本月修改简介的次数已用完",
           "微信限制每月修改简介的次数，本月已经用完。", STAFF, NEXT_MONTH,
           "53200 monthly signature quota used (read signature_info from getaccountbasicinfo).",
           kind=OPERATOR_PROBLEM, quota=MONTH, calls=(INTRO,)),
    golive(53201, "功能介绍内容命中黑名单关键字", "简介里有不允许的词",
           "简介中含有微信不允许出现的词语。", MERCHANT, "请修改简介，去掉敏感或夸大的词语后再提交。",
           "53201 the signature hits a blacklisted keyword.",
           fields=(SIGNATURE,), calls=(INTRO,)),
    golive(53202, "本月头像修改次数已用完", "本月更换头像的次数已用完",
           "微信限制每月更换头像的次数，本月已经用完。", STAFF, NEXT_MONTH,
           "53202 monthly head-image quota used (head_image_info in getaccountbasicinfo).",
           kind=OPERATOR_PROBLEM, quota=MONTH, calls=(HEAD,)),
    golive(53204, "signature invalid", "简介不符合要求",
           "简介需要 4 到 120 个字，并且至少包含 4 个汉字。",
           MERCHANT, "请按要求修改简介后再提交。",
           "53204 signature invalid (length 4-120, at least 4 Chinese characters, UTF-8).",
           fields=(SIGNATURE,), calls=(INTRO,)),
    golive(53300, "超出每月次数限制", "本月修改类目的次数已用完",
           "微信限制每个周期修改服务类目的次数，这个周期已经用完。", STAFF, NEXT_MONTH,
           "53300 category change limit reached this cycle (getcategory: limit, quota).",
           kind=OPERATOR_PROBLEM, quota=MONTH, calls=CATEGORY_CALLS),
    golive(53301, "超出可配置类目总数限制", "服务类目已达数量上限",
           "小程序能设置的服务类目数量已满。", MERCHANT, "请先删掉不需要的类目，再添加新的类目。",
           "53301 category count limit (getcategory: category_limit).",
           fields=(CATEGORY,), calls=CATEGORY_CALLS),
    golive(53302, "当前账号主体类型不允许设置此种类目", "贵公司不能选择这个类目",
           "这个服务类目不向企业开放，微信不允许贵公司的小程序设置。", MERCHANT,
           "请重新选择类目：可选类目已按微信的最新列表更新。",
           "53302: the subject type may not set it. The picker lists getcategoriesbytype "
           "verify_type 1 (not principal_type); on 53302 the worker fetches the list again and "
           "gives the step back to the merchant.", fields=(CATEGORY,), calls=CATEGORY_CALLS),
    golive(53303, "提交的参数不合法", "这个类目已不能选择",
           "这个类目已被微信调整（停用或改名），不能再添加。", MERCHANT,
           "请重新选择类目：可选类目已按微信的最新列表更新。",
           "53303 invalid parameters: the client always sends 'categories' as an array, so on "
           "addcategory it means a category retired since the list was fetched (工具-企业管理 "
           "became 商业服务-企业管理): the worker fetches getcategoriesbytype again and gives the "
           "step back to the merchant. On deletecategory/modifycategory: not set on the MP.",
           fields=(CATEGORY,), calls=CATEGORY_CALLS),
    golive(53304, "与已有类目重复", "这个类目已经添加过了", "小程序已经有这个服务类目。",
           WAIT, "无需操作。", "53304 duplicate category: treat as already set.",
           kind=STATE, calls=CATEGORY_CALLS),
    golive(53305, "包含未通过ICP校验的类目", "有类目需要先完成备案",
           "所选类目中有需要先完成备案的类目，备案检查没有通过。",
           MERCHANT, "请先完成小程序备案，或换一个类目。",
           "53305 a category failed the ICP filing check (SETUP §11).",
           fields=(CATEGORY,), calls=CATEGORY_CALLS),
    golive(53306, "修改类目只允许修改类目资质，不允许修改类目ID", "类目没有修改成功",
           "已设置的类目只能补充资质材料，不能直接换成别的类目。",
           OPERATOR, PLATFORM_FIXES,
           "53306 modifycategory changes only certicates: delete and add to change the ids.",
           kind=OPERATOR_PROBLEM, calls=("modifycategory",)),
    golive(53307, "只有审核失败的类目允许修改", "这个类目现在不能修改",
           "只有审核没通过的类目才能修改资质材料。", WAIT, "无需操作：请等待类目的审核结果。",
           "53307 only rejected categories may be modified.",
           kind=STATE, calls=("modifycategory",)),
    golive(53308, "审核中的类目不允许删除", "类目正在审核，暂时不能删除",
           "这个类目正在接受微信审核，审核期间不能删除。", WAIT, "无需操作：请等待审核结束。",
           "53308 cannot delete a category under audit.", kind=STATE, calls=("deletecategory",)),
    golive(53309, "社交红包不允许删除", "这个类目不能删除", "“社交红包”类目设置后不能删除。",
           STAFF, "如有疑问请联系平台客服。", "53309 the social red-packet category cannot be deleted.",
           kind=STATE, calls=("deletecategory",)),
    golive(53310, "类目超过上限，但是可以添加apply_reason参数申请更多类目", "服务类目超过上限",
           "服务类目已达上限；说明理由后可以向微信申请更多类目。",
           MERCHANT, "请减少类目，或把需要更多类目的理由告诉平台客服。",
           "53310 over the category limit; an apply_reason parameter may ask for more "
           "(UNCONFIRMED where it goes).", fields=(CATEGORY,), calls=CATEGORY_CALLS),
    golive(53311, "需要提交资料信息", "这个类目需要资质材料",
           "这个服务类目要求提供资质证明，例如许可证。",
           MERCHANT, "请上传该类目要求的资质证明图片后再提交。",
           "53311 qualification required: pass certicates [{key, value: media_id}] "
           "(sensitive_type = 1 in getallcategories).",
           fields=(CATEGORY, QUALIFICATION), calls=CATEGORY_CALLS),
)  # fmt: skip

#: The same errcode meaning something else for one call (keyed by call, then errcode).
PROFILE_CALL_CODES = {
    (HEAD, -1): golive(
        -1, "system error", "头像暂时没有设置成功", "微信这次没有处理头像，与您的图片无关。",
        WAIT, "无需操作：平台稍后会自动再试。",
        "-1 on modifyheadimage also comes from a crop box of 0,0,0,0 (always send 0,0,1,1); "
        "otherwise WeChat is busy.", kind=TRANSIENT, calls=(HEAD,)),
    (INTRO, 40097): golive(
        40097, "invalid args", "简介不符合要求", "简介需要 4 到 120 个字，并且至少包含 4 个汉字。",
        MERCHANT, "请按要求修改简介后再提交。",
        "40097 on modifysignature: the signature breaks the length or character rules "
        "(elsewhere 40097 is a bad request built by the platform).",
        fields=(SIGNATURE,), calls=(INTRO,)),
}  # fmt: skip
