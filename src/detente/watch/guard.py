"""Which URLs detente may fetch: http and https to public addresses only (no SSRF).

Every URL, every redirect target and every address its host resolves to is checked before a
connection is made. Loopback and private addresses (127.0.0.0/8, 10/8, 172.16/12, 192.168/16, fc00::/7,
::1) are refused unless the user allows them (``--allow-private``, for feeds on their own intranet);
link-local (169.254/16, where cloud metadata services answer, and fe80::/10), multicast, reserved and
unspecified addresses are refused always. An IPv4 address written inside IPv6 (``::ffff:127.0.0.1``) is
judged as the IPv4 address it holds.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


class FetchError(RuntimeError):
    """A URL could not be fetched; the message names the URL and says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class RefusedURL(FetchError):
    """A URL detente will not fetch: not http(s), or its host is (or resolves to) an address not allowed."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _why_not(address: str, allow_private: bool) -> str | None:
    """Why an address may not be connected to; None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback or ip.is_private:
        return None if allow_private else "a loopback or private address (pass --allow-private for your own network)"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


@dataclass(frozen=True)
class Guard:
    """The fetch policy: which schemes and addresses a URL may lead to."""

    allow_private: bool = False
    resolver: Resolver = resolve

    def check(self, url: str) -> list[str]:
        """The addresses ``url`` may be fetched from; :class:`RefusedURL` when it may not be fetched."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise RefusedURL(url, f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
        host = parts.hostname
        if not host:
            raise RefusedURL(url, "the URL names no host")
        if parts.username or parts.password:
            raise RefusedURL(url, "URLs with a user name or password are not fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise RefusedURL(url, f"bad port ({exc})") from exc
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(url, f"cannot resolve {host} ({exc})") from exc
        if not addresses:
            raise FetchError(url, f"{host} resolves to no address")
        for address in addresses:
            why = _why_not(address, self.allow_private)
            if why is not None:
                shown = host if host == address else f"{host} ({address})"
                raise RefusedURL(url, f"{shown} is {why}")
        return addresses
