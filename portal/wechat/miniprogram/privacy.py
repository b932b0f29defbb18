"""The user-privacy guideline (用户隐私保护指引) and the privacy scan of committed code.

Despite the ``/cgi-bin/component/`` path, these take the **A-token** (a C-token or the
mini program's own token gives 48001). The order WeChat staff advise: commit, wait for
the scan (``get_code_privacy_info`` answers 61039 until it ends), read the keys the code
uses (``get_privacy_setting``), cover every one (``set_privacy_setting``), then submit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from portal.wechat.miniprogram.wire import Area, count, number, obj, rows, strings, text

GET_SETTING = "/cgi-bin/component/getprivacysetting"
SET_SETTING = "/cgi-bin/component/setprivacysetting"
CODE_PRIVACY_INFO = "/wxa/security/get_code_privacy_info"

PATHS = (GET_SETTING, SET_SETTING, CODE_PRIVACY_INFO)

#: ``privacy_ver``: 2 the development version (the default), 1 the live one.
DEV, LIVE = 2, 1


@dataclass(frozen=True)
class OwnerSetting:
    """``owner_setting``: at least one contact and ``notice_method`` (86069 otherwise);
    ``store_region`` for overseas subjects. Only the fields given are sent."""

    contact_email: str = ""
    contact_phone: str = ""
    contact_qq: str = ""
    contact_weixin: str = ""
    ext_file_media_id: str = ""
    notice_method: str = ""
    store_expire_timestamp: str = ""
    store_region: str = ""

    def body(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass(frozen=True)
class PrivacyItem:
    """One ``setting_list`` entry: the key the code uses and its purpose (shown as
    "为了<privacy_text>"); ``privacy_label`` only comes back from WeChat."""

    privacy_key: str
    privacy_text: str
    privacy_label: str = ""


@dataclass(frozen=True)
class PrivacyDesc:
    privacy_key: str
    privacy_desc: str


@dataclass(frozen=True)
class PrivacySetting:
    """getprivacysetting. ``code_exist`` 0: nothing committed lately; ``privacy_list``:
    the keys found in the committed code, which ``setting_list`` must cover."""

    code_exist: int
    privacy_list: tuple[str, ...]
    setting_list: tuple[PrivacyItem, ...]
    update_time: int | None
    owner_setting: OwnerSetting
    privacy_desc: tuple[PrivacyDesc, ...]


@dataclass(frozen=True)
class CodePrivacyInfo:
    """get_code_privacy_info: the privacy APIs the code uses without permission, and
    those used without being declared or configured."""

    without_auth_list: tuple[str, ...]
    without_conf_list: tuple[str, ...]


def _owner(data: dict) -> OwnerSetting:
    return OwnerSetting(**{f.name: text(data, f.name) for f in fields(OwnerSetting)})


class PrivacyApi(Area):
    def get_privacy_setting(self, authorizer_token: str, privacy_ver: int = DEV) -> PrivacySetting:
        """POST getprivacysetting ``{"privacy_ver": N}``."""
        data = self._post(GET_SETTING, authorizer_token, {"privacy_ver": privacy_ver})
        return PrivacySetting(
            code_exist=count(data, "code_exist"),
            privacy_list=strings(data, "privacy_list"),
            setting_list=tuple(
                PrivacyItem(
                    privacy_key=text(row, "privacy_key"),
                    privacy_text=text(row, "privacy_text"),
                    privacy_label=text(row, "privacy_label"),
                )
                for row in rows(data, "setting_list")
            ),
            update_time=number(data, "update_time"),
            owner_setting=_owner(obj(data, "owner_setting")),
            privacy_desc=tuple(
                PrivacyDesc(text(row, "privacy_key"), text(row, "privacy_desc"))
                for row in rows(obj(data, "privacy_desc"), "privacy_desc_list")
            ),
        )

    def set_privacy_setting(
        self,
        authorizer_token: str,
        owner_setting: OwnerSetting,
        setting_list: Sequence[PrivacyItem] = (),
        privacy_ver: int = DEV,
    ) -> None:
        """Set the guideline. ``setting_list`` goes with the development version (2), where
        WeChat requires it. The live version (1) changes ``owner_setting`` alone at once:
        WeChat forbids a ``setting_list`` with it (so does this method, ValueError) and
        answers 86074 when nothing is live yet."""
        if privacy_ver == LIVE and setting_list:
            raise ValueError("privacy_ver 1 takes no setting_list")
        body: dict = {"privacy_ver": privacy_ver, "owner_setting": owner_setting.body()}
        if privacy_ver != LIVE:
            body["setting_list"] = [
                {"privacy_key": item.privacy_key, "privacy_text": item.privacy_text}
                for item in setting_list
            ]
        self._post(SET_SETTING, authorizer_token, body)

    def get_code_privacy_info(self, authorizer_token: str) -> CodePrivacyInfo:
        """GET the result of the privacy scan of the last commit (61039 while it runs)."""
        data = self._get(CODE_PRIVACY_INFO, authorizer_token)
        return CodePrivacyInfo(
            without_auth_list=strings(data, "without_auth_list"),
            without_conf_list=strings(data, "without_conf_list"),
        )
