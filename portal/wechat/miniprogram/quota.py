"""The platform's audit quota, and the live mini program's code image. A-token.

The monthly submit quota is the platform's, shared by all its mini programs, and read
with **any** of their A-tokens (not the C-token). ``getwxacodeunlimit`` draws the code
that opens the released mini program at ``page`` with ``scene`` (≤ 32 characters).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.wechat.miniprogram.wire import Area, count

QUERY_QUOTA = "/wxa/queryquota"
WXACODE_UNLIMIT = "/wxa/getwxacodeunlimit"

PATHS = (QUERY_QUOTA, WXACODE_UNLIMIT)


@dataclass(frozen=True)
class Quota:
    """queryquota: submits left and allowed this month, and the same for expediting."""

    rest: int
    limit: int
    speedup_rest: int
    speedup_limit: int


class QuotaApi(Area):
    def query_quota(self, authorizer_token: str) -> Quota:
        """GET the platform's audit quota (85085 from submit_audit once ``rest`` is 0)."""
        data = self._get(QUERY_QUOTA, authorizer_token)
        return Quota(
            rest=count(data, "rest"),
            limit=count(data, "limit"),
            speedup_rest=count(data, "speedup_rest"),
            speedup_limit=count(data, "speedup_limit"),
        )

    def get_wxacode_unlimit(
        self,
        authorizer_token: str,
        scene: str,
        *,
        page: str = "",
        check_path: bool | None = None,
        env_version: str = "",
        width: int | None = None,
        auto_color: bool | None = None,
        line_color: tuple[int, int, int] | None = None,
        is_hyaline: bool | None = None,
    ) -> bytes:
        """The code image's bytes (POST JSON; an error comes as JSON and raises). Only
        the options given are sent; WeChat's defaults hold for the rest (the released
        version's ``page``, checked)."""
        body: dict = {"scene": scene}
        if page:
            body["page"] = page
        if check_path is not None:
            body["check_path"] = check_path
        if env_version:
            body["env_version"] = env_version
        if width is not None:
            body["width"] = width
        if auto_color is not None:
            body["auto_color"] = auto_color
        if line_color is not None:
            body["line_color"] = dict(zip("rgb", line_color, strict=True))
        if is_hyaline is not None:
            body["is_hyaline"] = is_hyaline
        return self._call("POST", WXACODE_UNLIMIT, authorizer_token, body=body, image=True)
