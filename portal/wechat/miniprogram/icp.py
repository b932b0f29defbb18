"""ICP filing (备案) state. A-token; permission set 18 or 156 (61007 without either).

Since 2023-09-01 a mini program that is not live yet must be filed before it can be
listed (SETUP §11). ``get_icp_entrance_info`` reads where the filing stands: ``status``
(2 platform review, 3 rejected by the platform, 4 the authority's review, 5 rejected by
the authority, 6 filed, 1024-1031 not filed, each of 1025-1031 naming what is missing
first), ``audit_data`` (the rejection's fields, reasons and suggestions), ``available``
(whether the filing entrance is open to this mini program) and ``sms_verify_status``
(the authority's SMS check while status is 4: 1 waiting, 2 done, 3 timed out). Meanings
from WeChat's page ``openApi/miniprogram-management/record/api_geticpentranceinfo``.
Filing itself (``apply_icp_filing``) needs identity documents and a face check by the
person in charge: the portal does not call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.wechat.miniprogram.wire import Area, flag, number, obj, rows, text

ICP_ENTRANCE_INFO = "/wxa/icp/get_icp_entrance_info"

PATHS = (ICP_ENTRANCE_INFO,)


@dataclass(frozen=True)
class IcpRejection:
    """One field a review rejected: its name, why, and what to change."""

    key_name: str
    error: str
    suggest: str


@dataclass(frozen=True)
class IcpEntrance:
    """get_icp_entrance_info's ``info`` (``status`` None: WeChat gave none)."""

    status: int | None
    is_canceling: bool = False
    available: int | None = None
    sms_verify_status: int | None = None
    audit_data: tuple[IcpRejection, ...] = ()


class IcpApi(Area):
    """Mini program filing (小程序备案): reading its state."""

    def get_icp_entrance_info(self, authorizer_token: str) -> IcpEntrance:
        """GET the filing state and, when rejected, the reasons."""
        info = obj(self._get(ICP_ENTRANCE_INFO, authorizer_token), "info")
        return IcpEntrance(
            status=number(info, "status"),
            is_canceling=flag(info, "is_canceling"),
            available=number(info, "available"),
            sms_verify_status=number(info, "sms_verify_status"),
            audit_data=tuple(
                IcpRejection(text(row, "key_name"), text(row, "error"), text(row, "suggest"))
                for row in rows(info, "audit_data")
            ),
        )
