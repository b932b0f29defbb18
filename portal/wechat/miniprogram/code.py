"""Code: commit a template's code with this mini program's ``ext_json``, its pages and
trial QR code, release the approved version, roll back, and what is live. A-token.

``commit`` takes ``ext_json`` as a dict (sent as a JSON **string**, raw UTF-8: an
object gives 85013) with ``extAppid`` set to the mini program's appid. A privacy scan
runs after every commit (see ``privacy``); commit and submit are never retried as a
pair, and calls for one appid are serialised (9402202 otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.wechat.miniprogram.wire import Area, ext_json_string, number, obj, rows, strings, text

COMMIT = "/wxa/commit"
GET_PAGE = "/wxa/get_page"
GET_QRCODE = "/wxa/get_qrcode"
RELEASE = "/wxa/release"
REVERT = "/wxa/revertcoderelease"
VERSION_INFO = "/wxa/getversioninfo"

PATHS = (COMMIT, GET_PAGE, GET_QRCODE, RELEASE, REVERT, VERSION_INFO)

#: revertcoderelease's query ``action`` that lists versions instead of reverting.
HISTORY = "get_history_version"


@dataclass(frozen=True)
class HistoryVersion:
    app_version: int | None
    user_version: str
    user_desc: str
    commit_time: int | None


@dataclass(frozen=True)
class ExpInfo:
    """The trial (体验) version."""

    exp_time: int | None
    exp_version: str
    exp_desc: str


@dataclass(frozen=True)
class ReleaseInfo:
    """The live version."""

    release_time: int | None
    release_version: str
    release_desc: str


@dataclass(frozen=True)
class VersionInfo:
    """getversioninfo; a block WeChat leaves out is None (nothing of that kind yet)."""

    exp_info: ExpInfo | None
    release_info: ReleaseInfo | None


class CodeApi(Area):
    def commit(
        self,
        authorizer_token: str,
        template_id: int,
        ext_json: Mapping[str, Any] | str,
        user_version: str,
        user_desc: str,
    ) -> None:
        """Upload the template's code for this mini program. ``ext_json``: a dict is
        serialised to a JSON string (a string is taken as already serialised)."""
        body = {
            "template_id": template_id,
            "ext_json": ext_json_string(ext_json),
            "user_version": user_version,
            "user_desc": user_desc,
        }
        self._post(COMMIT, authorizer_token, body)

    def get_page(self, authorizer_token: str) -> tuple[str, ...]:
        """GET the committed code's pages (for submit_audit's ``address``)."""
        return strings(self._get(GET_PAGE, authorizer_token), "page_list")

    def get_qrcode(self, authorizer_token: str, path: str | None = None) -> bytes:
        """GET the trial version's QR code: a JPEG's bytes (an error comes as JSON and
        raises). ``path`` (page and query) is URL-encoded once."""
        query = {} if path is None else {"path": path}
        return self._call("GET", GET_QRCODE, authorizer_token, query=query, image=True)

    def release(self, authorizer_token: str) -> None:
        """Release the last approved version, POST ``{}`` (an empty body gives 44002).
        85019 nothing approved, 85020 not releasable, 85052 already released."""
        self._post(RELEASE, authorizer_token, {})

    def revert_code_release(self, authorizer_token: str, app_version: int | None = None) -> None:
        """GET: roll the live version back (to ``app_version``, or the previous one)."""
        query = {} if app_version is None else {"app_version": app_version}
        self._get(REVERT, authorizer_token, **query)

    def get_history_versions(self, authorizer_token: str) -> tuple[HistoryVersion, ...]:
        """GET revertcoderelease ``action=get_history_version``: the versions to revert to."""
        data = self._get(REVERT, authorizer_token, action=HISTORY)
        return tuple(
            HistoryVersion(
                app_version=number(row, "app_version"),
                user_version=text(row, "user_version"),
                user_desc=text(row, "user_desc"),
                commit_time=number(row, "commit_time"),
            )
            for row in rows(data, "version_list")
        )

    def get_version_info(self, authorizer_token: str) -> VersionInfo:
        """The trial and live versions, POST ``{}``."""
        data = self._post(VERSION_INFO, authorizer_token, {})
        exp, live = obj(data, "exp_info"), obj(data, "release_info")
        return VersionInfo(
            exp_info=ExpInfo(
                exp_time=number(exp, "exp_time"),
                exp_version=text(exp, "exp_version"),
                exp_desc=text(exp, "exp_desc"),
            )
            if exp
            else None,
            release_info=ReleaseInfo(
                release_time=number(live, "release_time"),
                release_version=text(live, "release_version"),
                release_desc=text(live, "release_desc"),
            )
            if live
            else None,
        )
