"""Which addresses the checker may connect to, decided after DNS resolution.

A hostile entry must not make CI probe its own network: a name that resolves
to a private, loopback, link-local, multicast or reserved address is refused,
at the first URL and at every redirect hop (the transport asks this module for
every connection). The vetted address is the one connected to, so a second,
different DNS answer (DNS rebinding) is never used.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..urls import IPAddress, IPNetwork, refusal

#: Every address there is: what --allow-private allows.
EVERYWHERE: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("0.0.0.0/0"),
    ipaddress.ip_network("::/0"),
)

GetAddrInfo = Callable[..., list[tuple[Any, ...]]]


class RefusedAddress(Exception):
    """The host resolves to an address the policy forbids."""


class ResolveFailed(Exception):
    """The host name does not resolve; `temporary` when the resolver said to try again."""

    def __init__(self, message: str, temporary: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus any networks explicitly allowed (for local testing)."""

    allowed: tuple[IPNetwork, ...] = ()

    def permits(self, address: IPAddress) -> bool:
        return self.refuses(address) is None

    def refuses(self, address: IPAddress) -> str | None:
        """Why `address` is refused (a row of urls.REFUSED), or None when it is permitted."""
        plain = address
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            plain = address.ipv4_mapped
        if any(plain in net or address in net for net in self.allowed):
            return None
        return refusal(address)


@dataclass(frozen=True)
class _Outcome:
    """What vetting a host:port found, kept for the rest of the run. Never an exception
    instance: raising one object again and again grows its traceback without end."""

    address: str | None
    refused: str | None = None
    unresolved: str | None = None

    def get(self) -> str:
        if self.refused is not None:
            raise RefusedAddress(self.refused)
        if self.unresolved is not None:
            raise ResolveFailed(self.unresolved)
        assert self.address is not None
        return self.address


class Resolver:
    """Resolves each host once per run and hands out only addresses the policy permits.

    A host whose answer contains any forbidden address is refused outright: a
    public host has no reason to list a private one.
    """

    def __init__(self, policy: AddressPolicy, getaddrinfo: GetAddrInfo = socket.getaddrinfo):
        self._policy = policy
        self._getaddrinfo = getaddrinfo
        self._lock = threading.Lock()
        self._known: dict[tuple[str, int], _Outcome] = {}

    def vetted(self, host: str, port: int) -> str:
        """The address to connect to for host:port; raises RefusedAddress or ResolveFailed."""
        key = (host.lower().rstrip("."), port)
        with self._lock:
            known = self._known.get(key)
        if known is None:
            try:
                known = _Outcome(self._vet(*key))
            except ResolveFailed as exc:
                if exc.temporary:
                    raise  # not remembered: the next attempt asks again
                known = _Outcome(None, unresolved=str(exc))
            except RefusedAddress as exc:
                known = _Outcome(None, refused=str(exc))
            with self._lock:
                known = self._known.setdefault(key, known)
        return known.get()

    def _vet(self, host: str, port: int) -> str:
        literal = _literal(host)
        addresses = literal or self._lookup(host, port)
        for address in addresses:
            why = self._policy.refuses(address)
            if why is not None:
                what = f"{host} is" if literal else f"{host} resolves to {address},"
                raise RefusedAddress(
                    f"{what} a non-public address: {why} "
                    "(use --allow-private to check local servers)"
                )
        return str(addresses[0])

    def _lookup(self, host: str, port: int) -> list[IPAddress]:
        try:
            infos = self._getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            temporary = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
            raise ResolveFailed(f"cannot resolve {host}: {_reason(exc)}", temporary) from exc
        found = _unique(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos)
        if not found:
            raise ResolveFailed(f"cannot resolve {host}: no address")
        return found


def _literal(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        return []


def _unique(addresses: Iterable[IPAddress]) -> list[IPAddress]:
    return list(dict.fromkeys(addresses))


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR strings ("127.0.0.2/32", "10.0.0.0/8") as networks; ValueError names a bad one."""
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise ValueError(f"'{value}' is not an address or network ({exc})") from exc
    return tuple(out)
