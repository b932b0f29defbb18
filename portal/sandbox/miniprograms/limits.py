"""WeChat's numbers for the go-live APIs, where SETUP gives them (§ noted); where two
sources disagree the stricter one is used (§10)."""

MEDIA_LIFETIME = 3 * 86400  # temporary and audit media live 3 days (§1.5, §6)
IMAGE_MAX = 2 * 1024 * 1024  # images: 2 MB, the stricter of 2 MB / 10 MB (§1.5, §10)
VIDEO_MAX = 10 * 1024 * 1024  # audit-material video (§6 uploadmedia)
NAME_QUOTA = 2  # setnickname per natural year, none after release (§1.3, §10)
HEAD_IMAGE_QUOTA = 5  # modifyheadimage per month (§1.6: modify_quota 5)
SIGNATURE_QUOTA = 5  # modifysignature per month (§1.7, monthly cap; number as mp's)
NAME_CHECKS_PER_MINUTE = 10  # checkwxverifynickname before 53011 (§1.2; number ours)
SIGNATURE_LENGTH = (4, 120)  # characters, and at least 4 Chinese ones (§1.7)
CATEGORY_LIMIT = 5  # categories one mini program may hold (getcategory category_limit)
CATEGORY_CHANGES = 5  # addcategory per month (getcategory limit) before 53300
TEMPLATE_LIMIT = 200  # the platform's template library (§5)
UNDO_PER_DAY, UNDO_PER_MONTH = 1, 10  # undocodeaudit, the stricter 1/day (§10)
DOMAINS_PER_TYPE = 200  # a mini program's domains of one kind (§4 A)
DOMAIN_CHANGES = 50  # modify_domain per MP and platform domain changes, per month (§4, §8)
PLATFORM_SERVER_DOMAINS = 1000  # modify_wxa_server_domain (§4 F)
PLATFORM_JUMP_DOMAINS = 200  # modify_wxa_jump_domain, the stricter 200 (§4 H, §10)
WEBVIEW_DOMAINS = 100  # setwebviewdomain (§4 B, 89029)
ITEMS = (1, 5)  # submit_audit item_list (§6, 85023)
TAGS, TAG_LENGTH, TITLE_LENGTH = 10, 20, 32  # item_list tag and title (§6)
FEEDBACK_LENGTH = 200  # feedback_info (§6)
VERSION_DESC_LENGTH = 500  # version_desc before 85051 (number ours)
PREVIEW_PICS, PREVIEW_VIDEOS = 5, 2  # preview_info before 85093 (numbers ours)
USER_VERSION_LENGTH = 64  # commit user_version (§6)
HISTORY = 5  # revertcoderelease keeps the last 5 released versions (§6)
SCENE_LENGTH = 32  # getwxacodeunlimit scene
