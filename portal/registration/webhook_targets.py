"""Where a webhook may be delivered (README § Private addresses).

The URL's host is IDNA-encoded (``例子.中国`` → ``xn--fsqu00a.xn--fiqs8s``) before it is
resolved and sent as ``Host`` and the TLS name. Outside an allowed private network every
address it resolves to must be public, and so must any IPv4 address hidden inside an
IPv6 one (IPv4-mapped and -compatible, NAT64, 6to4, Teredo): such an address reaches
that IPv4 host. The connection then goes to the checked address, never a second answer.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import idna

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052): the IPv4 is the last 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
#: 64:ff9b:1::/48, NAT64 for local use (RFC 8215): not globally reachable at all.
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
#: ::ffff:0:0:0/96, IPv4-translated addresses (RFC 2765).
TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
NOT_PUBLIC = (LOCAL_NAT64,)


class TargetError(ValueError):
    """The URL cannot be a delivery target; the message says why, in Chinese."""


def ascii_host(hostname: str) -> str:
    """The host as it goes on the wire: IP literals and ASCII names as they are, other
    names IDNA-encoded (UTS 46, as browsers do)."""
    if hostname.isascii():
        return hostname
    try:
        return idna.encode(hostname, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise TargetError(f"域名 {hostname} 无效（{exc}）") from exc


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (none for a plain one)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    packed = ip.packed
    last32 = ipaddress.IPv4Address(packed[12:])
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if packed[:12] == bytes(12) and int(ip) > 1:  # IPv4-compatible ::a.b.c.d
        found.append(last32)
    if ip in TRANSLATED or ip in NAT64:
        found.append(last32)
    if ip in LOCAL_NAT64:  # the operator picks the prefix length: /96 and /48 forms
        found += [last32, ipaddress.IPv4Address(packed[6:8] + packed[9:11])]
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client), the client already de-obfuscated
    return found


def _public(ip: IPAddress) -> bool:
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in NOT_PUBLIC)


def address_problem(address: str) -> str | None:
    """Why a resolved address is not public, or None."""
    ip = ipaddress.ip_address(address.split("%")[0])
    hidden = [v4 for v4 in embedded_ipv4(ip) if not _public(v4)]
    if hidden:
        return f"内含 IPv4 地址 {hidden[0]}"
    if not _public(ip):
        return "非公网地址"
    return None


def target_problem(url: str, allow_private: bool) -> tuple[str | None, str | None]:
    """(why this URL may not receive deliveries, or None; the address to connect to).

    Loopback, private, link-local and other non-public addresses are refused unless
    ``allow_private``; every address the name resolves to is checked.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "地址必须以 http:// 或 https:// 开头", None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = ascii_host(parts.hostname)
    except TargetError as exc:
        return str(exc), None
    except ValueError:
        return f"端口无效：{parts.netloc}", None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        return f"无法解析域名 {parts.hostname}", None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        return f"无法解析域名 {parts.hostname}", None
    if not allow_private:
        for address in addresses:
            why = address_problem(address)
            if why:
                return (
                    f"{parts.hostname} 指向内网或本机地址 {address}（{why}，生产环境不允许）",
                    None,
                )
    return None, addresses[0]


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Connect to the checked address (no second DNS answer), keeping Host and TLS name."""
    parts = urlsplit(url)
    name = ascii_host(parts.hostname or "")
    ip = f"[{address}]" if ":" in address else address
    netloc = f"{ip}:{parts.port}" if parts.port else ip
    shown = f"[{name}]" if ":" in name else name
    headers = {"Host": f"{shown}:{parts.port}" if parts.port else shown}
    extensions = {"sni_hostname": name} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), headers, extensions
