"""Code audit: its material, submitting, its state, undoing and expediting. A-token.

Before ``submit_audit`` WeChat wants the name, head image and introduction set and the
name not under audit (86002), an approved category (85008), a commit (85086), the
privacy scan finished (61039) and no other audit running (85009); each month's submits
are the platform's quota (85085, ``quota.query_quota``). The result is pushed to the
message URL (``weapp_audit_success`` / ``_fail`` / ``_delay``); poll
``get_latest_audit_status`` as the fallback. A rejection's ``screenshot`` media ids are
fetched with the permanent-media API (``get_material``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from portal.wechat.miniprogram.categories import AuditCategory
from portal.wechat.miniprogram.wire import Area, image_file, lists, number, strings, text

UPLOAD_MEDIA = "/wxa/uploadmedia"
SUBMIT_AUDIT = "/wxa/submit_audit"
AUDIT_STATUS = "/wxa/get_auditstatus"
LATEST_AUDIT_STATUS = "/wxa/get_latest_auditstatus"
UNDO_AUDIT = "/wxa/undocodeaudit"
SPEEDUP_AUDIT = "/wxa/speedupaudit"
GET_MATERIAL = "/cgi-bin/material/get_material"

PATHS = (
    UPLOAD_MEDIA,
    SUBMIT_AUDIT,
    AUDIT_STATUS,
    LATEST_AUDIT_STATUS,
    UNDO_AUDIT,
    SPEEDUP_AUDIT,
    GET_MATERIAL,
)

#: get_auditstatus ``status``.
PASSED, REJECTED, AUDITING, WITHDRAWN, DELAYED = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class AuditItem:
    """One ``item_list`` entry: a page, its tags (space-separated) and title, and a
    category as /wxa/get_category gives it. Empty fields are not sent."""

    address: str = ""
    tag: str = ""
    title: str = ""
    first_class: str = ""
    second_class: str = ""
    third_class: str = ""
    first_id: int | None = None
    second_id: int | None = None
    third_id: int | None = None

    @classmethod
    def of(
        cls, category: AuditCategory, address: str = "", tag: str = "", title: str = ""
    ) -> AuditItem:
        return cls(
            address=address,
            tag=tag,
            title=title,
            first_class=category.first_class,
            second_class=category.second_class,
            third_class=category.third_class,
            first_id=category.first_id,
            second_id=category.second_id,
            third_id=category.third_id,
        )

    def body(self) -> dict:
        found = {f.name: getattr(self, f.name) for f in fields(self)}
        return {key: value for key, value in found.items() if value not in ("", None)}


@dataclass(frozen=True)
class PreviewInfo:
    """Screenshots and videos from ``upload_audit_media`` (an object, never an array:
    85092; the media last 3 days)."""

    video_id_list: Sequence[str] = field(default_factory=tuple)
    pic_id_list: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class UgcDeclare:
    """The UGC declaration a social category (社区/论坛, 笔记, 问答) needs at first submit."""

    scene: Sequence[int] = field(default_factory=tuple)
    method: Sequence[int] = field(default_factory=tuple)
    has_audit_team: int = 0
    audit_desc: str = ""
    other_scene_desc: str = ""

    def body(self) -> dict:
        found: dict = {"scene": list(self.scene), "method": list(self.method)}
        found["has_audit_team"] = self.has_audit_team
        if self.audit_desc:
            found["audit_desc"] = self.audit_desc
        if self.other_scene_desc:
            found["other_scene_desc"] = self.other_scene_desc
        return found


@dataclass(frozen=True)
class AuditMedia:
    type: str
    mediaid: str


@dataclass(frozen=True)
class AuditStatus:
    """get_auditstatus / get_latest_auditstatus. ``status``: 0 passed, 1 rejected,
    2 under audit, 3 withdrawn, 4 delayed; ``reason`` for 1 and 4; ``screenshots``
    the media ids of WeChat's "a|b" list. ``auditid`` and the version only come with
    the latest."""

    auditid: int | None
    status: int | None
    reason: str
    screenshots: tuple[str, ...]
    user_version: str
    user_desc: str
    submit_audit_time: int | None


def _status(data: dict, auditid: int | None = None) -> AuditStatus:
    return AuditStatus(
        auditid=number(data, "auditid") if auditid is None else auditid,
        status=number(data, "status"),
        reason=text(data, "reason"),
        screenshots=strings(data, "screenshot", sep="|"),
        user_version=text(data, "user_version"),
        user_desc=text(data, "user_desc"),
        submit_audit_time=number(data, "submit_audit_time"),
    )


class AuditApi(Area):
    def upload_audit_media(
        self,
        authorizer_token: str,
        content: bytes,
        filename: str = "preview.jpg",
        content_type: str = "image/jpeg",
    ) -> AuditMedia:
        """Upload a screenshot (≤ 2 MB) or video (≤ 10 MB) for ``preview_info`` only:
        these media ids do not work for the head image (40007)."""
        files = image_file(content, filename, content_type)
        data = self._call("POST", UPLOAD_MEDIA, authorizer_token, files=files)
        return AuditMedia(type=text(data, "type"), mediaid=text(data, "mediaid"))

    def submit_audit(
        self,
        authorizer_token: str,
        item_list: Sequence[AuditItem],
        *,
        version_desc: str = "",
        feedback_info: str = "",
        feedback_stuff: Sequence[str] = (),
        preview_info: PreviewInfo | None = None,
        ugc_declare: UgcDeclare | None = None,
        privacy_api_not_use: bool = False,
        order_path: str = "",
    ) -> int | None:
        """Submit the committed code for audit; its ``auditid``. ``feedback_*`` are only
        read after a rejection; ``feedback_stuff`` (temp media ids) is sent "a|b"."""
        body: dict = {"item_list": [item.body() for item in item_list]}
        if version_desc:
            body["version_desc"] = version_desc
        if feedback_info:
            body["feedback_info"] = feedback_info
        if feedback_stuff:
            body["feedback_stuff"] = "|".join(feedback_stuff)
        if preview_info is not None:
            body["preview_info"] = {
                "video_id_list": lists(preview_info.video_id_list),
                "pic_id_list": lists(preview_info.pic_id_list),
            }
        if ugc_declare is not None:
            body["ugc_declare"] = ugc_declare.body()
        if privacy_api_not_use:
            body["privacy_api_not_use"] = True
        if order_path:
            body["order_path"] = order_path
        return number(self._post(SUBMIT_AUDIT, authorizer_token, body), "auditid")

    def get_audit_status(self, authorizer_token: str, auditid: int) -> AuditStatus:
        """The state of one audit (85012: not this mini program's auditid)."""
        return _status(self._post(AUDIT_STATUS, authorizer_token, {"auditid": auditid}), auditid)

    def get_latest_audit_status(self, authorizer_token: str) -> AuditStatus:
        """GET the last audit's state (85058: nothing submitted lately)."""
        return _status(self._get(LATEST_AUDIT_STATUS, authorizer_token))

    def undo_code_audit(self, authorizer_token: str) -> None:
        """GET: withdraw the running audit (87013: no undo quota left)."""
        self._get(UNDO_AUDIT, authorizer_token)

    def speedup_audit(self, authorizer_token: str, auditid: int) -> None:
        """Expedite an audit (89401-89405)."""
        self._post(SPEEDUP_AUDIT, authorizer_token, {"auditid": auditid})

    def get_material(self, authorizer_token: str, media_id: str) -> bytes:
        """One of an audit's ``screenshot`` media ids, fetched with the permanent-media
        API: the image's bytes (an error comes as JSON and raises; 40007: not a valid
        media id)."""
        body = {"media_id": media_id}
        return self._call("POST", GET_MATERIAL, authorizer_token, body=body, image=True)
