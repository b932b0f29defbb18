"""Basic info of a fast-registered mini program: its state and quotas, the name (check,
set, audit), temporary media, the head image and the introduction. All with the A-token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portal.wechat.miniprogram.wire import (
    Area,
    count,
    flag,
    image_file,
    number,
    obj,
    text,
)

BASIC_INFO = "/cgi-bin/account/getaccountbasicinfo"
CHECK_NICKNAME = "/cgi-bin/wxverify/checkwxverifynickname"
SET_NICKNAME = "/wxa/setnickname"
QUERY_NICKNAME = "/wxa/api_wxa_querynickname"
MEDIA_UPLOAD = "/cgi-bin/media/upload"
HEAD_IMAGE = "/cgi-bin/account/modifyheadimage"
SIGNATURE = "/cgi-bin/account/modifysignature"

PATHS = (
    BASIC_INFO,
    CHECK_NICKNAME,
    SET_NICKNAME,
    QUERY_NICKNAME,
    MEDIA_UPLOAD,
    HEAD_IMAGE,
    SIGNATURE,
)


@dataclass(frozen=True)
class ChangeQuota:
    """One of getaccountbasicinfo's ``*_info`` blocks: the value and its change counter
    (the name counts per year, head image and introduction per month)."""

    value: str
    modify_used_count: int
    modify_quota: int

    @property
    def left(self) -> int:
        return max(self.modify_quota - self.modify_used_count, 0)


@dataclass(frozen=True)
class VerifyInfo:
    qualification_verify: bool
    naming_verify: bool
    annual_review: bool
    annual_review_begin_time: int | None
    annual_review_end_time: int | None


@dataclass(frozen=True)
class AccountBasicInfo:
    """getaccountbasicinfo. ``realname_status``: 1 done, 2 verifying, 3 failed (until 1,
    only the verification and account-setting APIs may be called)."""

    appid: str
    account_type: int | None
    principal_type: int | None
    principal_name: str
    realname_status: int | None
    nickname: str
    nickname_info: ChangeQuota
    head_image_info: ChangeQuota
    signature_info: ChangeQuota
    wx_verify_info: VerifyInfo
    registered_country: int | None
    credential: str
    customer_type: int | None


@dataclass(frozen=True)
class NicknameCheck:
    """checkwxverifynickname: ``hit_condition`` means proof material may be needed
    (``wording`` says which)."""

    hit_condition: bool
    wording: str


@dataclass(frozen=True)
class NicknameSet:
    """setnickname: no ``audit_id`` when the name was set at once; otherwise it is under
    audit (``wxa_nickname_audit`` push, or api_wxa_querynickname)."""

    audit_id: int | None
    wording: str


@dataclass(frozen=True)
class NicknameAudit:
    """api_wxa_querynickname. ``audit_stat``: 1 under audit, 2 failed, 3 passed."""

    nickname: str
    audit_stat: int | None
    fail_reason: str
    create_time: int | None
    audit_time: int | None


@dataclass(frozen=True)
class Media:
    """A temporary media upload: valid for 3 days."""

    type: str
    media_id: str
    created_at: int | None


def _quota(block: dict, value_key: str) -> ChangeQuota:
    return ChangeQuota(
        value=text(block, value_key),
        modify_used_count=count(block, "modify_used_count"),
        modify_quota=count(block, "modify_quota"),
    )


def _crop(value: float) -> str:
    """A crop coordinate as the documented string: 0 is "0", 0.75 is "0.75"."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


class BasicInfoApi(Area):
    def get_account_basic_info(self, authorizer_token: str) -> AccountBasicInfo:
        """POST getaccountbasicinfo (the official page's verb; SDKs use GET) with ``{}``."""
        data = self._post(BASIC_INFO, authorizer_token, {})
        verify = obj(data, "wx_verify_info")
        nickname_info = _quota(obj(data, "nickname_info"), "nickname")
        return AccountBasicInfo(
            appid=text(data, "appid"),
            account_type=number(data, "account_type"),
            principal_type=number(data, "principal_type"),
            principal_name=text(data, "principal_name"),
            realname_status=number(data, "realname_status"),
            nickname=text(data, "nickname") or nickname_info.value,
            nickname_info=nickname_info,
            head_image_info=_quota(obj(data, "head_image_info"), "head_image_url"),
            signature_info=_quota(obj(data, "signature_info"), "signature"),
            wx_verify_info=VerifyInfo(
                qualification_verify=flag(verify, "qualification_verify"),
                naming_verify=flag(verify, "naming_verify"),
                annual_review=flag(verify, "annual_review"),
                annual_review_begin_time=number(verify, "annual_review_begin_time"),
                annual_review_end_time=number(verify, "annual_review_end_time"),
            ),
            registered_country=number(data, "registered_country"),
            credential=text(data, "credential"),
            customer_type=number(data, "customer_type"),
        )

    def check_wx_verify_nickname(self, authorizer_token: str, nick_name: str) -> NicknameCheck:
        """Check a name before setting it (53010-53019 when it cannot be used)."""
        data = self._post(CHECK_NICKNAME, authorizer_token, {"nick_name": nick_name})
        return NicknameCheck(
            hit_condition=flag(data, "hit_condition"), wording=text(data, "wording")
        )

    def set_nickname(
        self,
        authorizer_token: str,
        nick_name: str,
        *,
        license: str = "",
        id_card: str = "",
        naming_other_stuff: Sequence[str] = (),
    ) -> NicknameSet:
        """Set the name. ``license`` (organisations) / ``id_card`` (persons) and up to five
        ``naming_other_stuff`` are temporary media ids; only those given are sent."""
        body: dict[str, str] = {"nick_name": nick_name}
        if id_card:
            body["id_card"] = id_card
        if license:
            body["license"] = license
        for index, media_id in enumerate(naming_other_stuff, start=1):
            body[f"naming_other_stuff_{index}"] = media_id
        data = self._post(SET_NICKNAME, authorizer_token, body)
        return NicknameSet(audit_id=number(data, "audit_id") or None, wording=text(data, "wording"))

    def query_nickname(self, authorizer_token: str, audit_id: int) -> NicknameAudit:
        """The state of a name audit (91011: no such audit)."""
        data = self._post(QUERY_NICKNAME, authorizer_token, {"audit_id": audit_id})
        return NicknameAudit(
            nickname=text(data, "nickname"),
            audit_stat=number(data, "audit_stat"),
            fail_reason=text(data, "fail_reason"),
            create_time=number(data, "create_time"),
            audit_time=number(data, "audit_time"),
        )

    def upload_media(
        self,
        authorizer_token: str,
        content: bytes,
        filename: str = "image.jpg",
        content_type: str = "image/jpeg",
    ) -> Media:
        """Upload a temporary image (multipart field ``media``, ``type=image``) with the
        mini program's own A-token: the only media modifyheadimage accepts (else 40007)."""
        data = self._call(
            "POST",
            MEDIA_UPLOAD,
            authorizer_token,
            query={"type": "image"},
            files=image_file(content, filename, content_type),
        )
        return Media(
            type=text(data, "type"),
            media_id=text(data, "media_id"),
            created_at=number(data, "created_at"),
        )

    def modify_head_image(
        self,
        authorizer_token: str,
        head_img_media_id: str,
        x1: float = 0,
        y1: float = 0,
        x2: float = 1,
        y2: float = 1,
    ) -> None:
        """Set the head image from a temporary media id, cropped to the box (fractions in
        [0, 1], sent as strings as documented; 0,0,1,1 is the whole image, 0,0,0,0 gives -1)."""
        body = {"head_img_media_id": head_img_media_id}
        body.update(x1=_crop(x1), y1=_crop(y1), x2=_crop(x2), y2=_crop(y2))
        self._post(HEAD_IMAGE, authorizer_token, body)

    def modify_signature(self, authorizer_token: str, signature: str) -> None:
        """Set the introduction (4-120 characters; 53200 monthly cap, 53201 keyword)."""
        self._post(SIGNATURE, authorizer_token, {"signature": signature})
