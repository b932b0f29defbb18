"""Testers (体验者) of the trial version. A-token. The administrator (the legal person of
a fast-registered mini program) can test without being bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.wechat.miniprogram.wire import Area, rows, text

BIND_TESTER = "/wxa/bind_tester"
UNBIND_TESTER = "/wxa/unbind_tester"
MEMBERAUTH = "/wxa/memberauth"

PATHS = (BIND_TESTER, UNBIND_TESTER, MEMBERAUTH)


@dataclass(frozen=True)
class Member:
    """memberauth's row: WeChat gives the tester's ``userstr``, never a WeChat ID."""

    userstr: str


class MembersApi(Area):
    """Member management (成员管理): the trial version's testers."""

    def bind_tester(self, authorizer_token: str, wechatid: str) -> str:
        """Bind a tester by WeChat ID (微信号, not an openid); their ``userstr``.
        85001 not found, 85002/85003 limits, 85004 already bound."""
        return text(self._post(BIND_TESTER, authorizer_token, {"wechatid": wechatid}), "userstr")

    def unbind_tester(
        self, authorizer_token: str, *, wechatid: str = "", userstr: str = ""
    ) -> None:
        """Unbind a tester by WeChat ID or by ``userstr`` (one of the two)."""
        if bool(wechatid) == bool(userstr):
            raise ValueError("unbind_tester takes a wechatid or a userstr, one of the two")
        body = {"wechatid": wechatid} if wechatid else {"userstr": userstr}
        self._post(UNBIND_TESTER, authorizer_token, body)

    def get_testers(self, authorizer_token: str) -> tuple[Member, ...]:
        """memberauth ``{"action": "get_experiencer"}``: the bound testers."""
        data = self._post(MEMBERAUTH, authorizer_token, {"action": "get_experiencer"})
        return tuple(Member(text(row, "userstr")) for row in rows(data, "members"))
