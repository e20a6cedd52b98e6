"""Refuse webhook URLs that point into our own network (SSRF).

The host is resolved and *every* address checked: at registration, and again right
before each send, whose connection is then pinned to the checked address so a DNS
answer that changes in between (DNS rebinding) cannot redirect it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2000


class UnsafeUrl(Exception):
    """The URL is malformed or resolves to an address webhooks may not reach."""


@dataclass(frozen=True)
class UrlPolicy:
    allow_private: bool = False
    allow_loopback: bool = False


@dataclass(frozen=True)
class ResolvedUrl:
    url: str
    parts: SplitResult
    host: str
    port: int
    address: IPAddress


def parse(url: str) -> tuple[SplitResult, str, int]:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl("URL is too long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("URL is malformed") from exc
    if parts.scheme not in {"http", "https"}:
        raise UnsafeUrl("URL must use http or https")
    if not parts.hostname:
        raise UnsafeUrl("URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("URL must not carry credentials")
    return parts, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def refusal(address: IPAddress, policy: UrlPolicy) -> str | None:
    """Why ``address`` may not be contacted, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if (policy.allow_loopback or policy.allow_private) else "loopback address"
    if policy.allow_private:
        return None
    for attr, label in (
        ("is_unspecified", "unspecified address"),
        ("is_link_local", "link-local address"),
        ("is_multicast", "multicast address"),
        ("is_private", "private address"),
        ("is_reserved", "reserved address"),
    ):
        if getattr(address, attr):
            return label
    if not address.is_global:
        return "non-public address"
    return None


async def resolve(url: str, policy: UrlPolicy) -> ResolvedUrl:
    """Resolve the URL's host; refuse it if any of its addresses is off limits."""
    parts, host, port = parse(url)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise UnsafeUrl(f"host {host!r} does not resolve") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise UnsafeUrl(f"host {host!r} does not resolve")
    # One bad address is enough: an attacker controls which one a client picks.
    for address in addresses:
        reason = refusal(address, policy)
        if reason:
            raise UnsafeUrl(f"URL resolves to a {reason} ({address})")
    return ResolvedUrl(url, parts, host, port, addresses[0])
