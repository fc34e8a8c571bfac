"""URL rules shared by the validator and the link checker.

An entry's URL must point at a public web host: a hostile pull request must
not be able to make CI (or a reader's browser) talk to localhost, a private
network or a cloud metadata endpoint.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

#: Names that never resolve to a public host.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_TLD = re.compile(r"^(?:[a-z][a-z0-9-]*[a-z0-9]|[a-z]|xn--[a-z0-9-]+)$")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: The IPv4 address(es) an IPv6 address of a translation prefix carries, as integers.
Embeds = Callable[[int], tuple[int, ...]]


def _low32(value: int) -> tuple[int, ...]:
    return (value & 0xFFFFFFFF,)


def _sixtofour(value: int) -> tuple[int, ...]:
    return ((value >> 80) & 0xFFFFFFFF,)


def _teredo(value: int) -> tuple[int, ...]:
    """The Teredo server, and the client (stored inverted)."""
    return ((value >> 64) & 0xFFFFFFFF, ~value & 0xFFFFFFFF)


@dataclass(frozen=True)
class Refused:
    """One row of REFUSED: a network no entry may point at and the checker never connects to.

    With `embeds`, the network is a translation prefix: its addresses are refused
    when an IPv4 address they carry is.
    """

    network: IPNetwork
    reason: str
    embeds: Embeds | None = None


def _rows(*rows: tuple[str, str] | tuple[str, str, Embeds]) -> tuple[Refused, ...]:
    return tuple(Refused(ipaddress.ip_network(row[0]), *row[1:]) for row in rows)


#: THE table of refused networks: IANA's special-purpose registries (IPv4 and IPv6),
#: cloud metadata endpoints, and IPv6 outside global unicast. The most specific
#: row containing an address decides; Python's ipaddress flags are not consulted.
REFUSED: tuple[Refused, ...] = _rows(
    ("0.0.0.0/8", "'this network' (RFC 791)"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("100.64.0.0/10", "shared carrier-grade NAT space (RFC 6598)"),
    ("100.100.100.200/32", "Alibaba Cloud instance metadata"),
    ("127.0.0.0/8", "loopback (RFC 1122)"),
    ("168.63.129.16/32", "Azure wire server (platform DNS, DHCP and metadata)"),
    ("169.254.0.0/16", "link-local, home of cloud metadata at 169.254.169.254 (RFC 3927)"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    ("192.0.0.192/32", "Oracle Cloud instance metadata"),
    ("192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking (RFC 2544)"),
    ("198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"),
    ("203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"),
    ("224.0.0.0/4", "multicast (RFC 5771)"),
    ("240.0.0.0/4", "reserved (RFC 1112)"),
    ("255.255.255.255/32", "limited broadcast (RFC 919)"),
    ("::/128", "unspecified (RFC 4291)"),
    ("::1/128", "loopback (RFC 4291)"),
    ("::/96", "IPv4-compatible, deprecated (RFC 4291)", _low32),
    ("::ffff:0:0/96", "IPv4-mapped (RFC 4291)", _low32),
    ("::ffff:0:0:0/96", "IPv4-translated (RFC 2765)", _low32),
    ("64:ff9b::/96", "NAT64 well-known prefix (RFC 6052)", _low32),
    ("64:ff9b:1::/48", "NAT64 local-use prefix, never global (RFC 8215)"),
    ("100::/64", "discard-only (RFC 6666)"),
    ("100:0:0:1::/64", "dummy prefix (RFC 9780)"),
    ("2001::/23", "IETF protocol assignments (RFC 2928)"),
    ("2001::/32", "Teredo (RFC 4380)", _teredo),
    ("2001:2::/48", "benchmarking (RFC 5180)"),
    ("2001:db8::/32", "documentation (RFC 3849)"),
    ("2002::/16", "6to4 (RFC 3056)", _sixtofour),
    ("3fff::/20", "documentation (RFC 9637)"),
    ("5f00::/16", "segment routing SIDs (RFC 9602)"),
    ("fc00::/7", "unique local, private (RFC 4193)"),
    ("fd00:ec2::254/128", "AWS instance metadata (IPv6)"),
    ("fe80::/10", "link-local (RFC 4291)"),
    ("fec0::/10", "site-local, deprecated (RFC 3879)"),
    ("ff00::/8", "multicast (RFC 4291)"),
    ("::/3", "outside global unicast 2000::/3 (RFC 4291)"),
    ("4000::/2", "outside global unicast 2000::/3 (RFC 4291)"),
    ("8000::/1", "outside global unicast 2000::/3 (RFC 4291)"),
)


def refusal(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address (its row's reason), or None when it is."""
    rows = [row for row in REFUSED if address in row.network]
    if not rows:
        return None
    row = max(rows, key=lambda r: r.network.prefixlen)
    if row.embeds is None:
        return row.reason
    for value in row.embeds(int(address)):
        inner = ipaddress.IPv4Address(value)
        why = refusal(inner)
        if why is not None:
            return f"{row.reason} carrying {inner}, {why}"
    return None


def ip_is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses only (see REFUSED)."""
    return refusal(address) is None


_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_SPECIAL = ("http", "https", "ws", "wss", "ftp")


def browser_host(url: str) -> str | None:
    """The host a browser reads in `url`, after the WHATWG URL standard's main steps: '\\'
    counts as '/', any number of slashes may follow the scheme, the host is
    percent-decoded and ideographic full stops are dots. None for other schemes."""
    text = re.sub(r"[\t\n\r]", "", url).strip("\x00- ")
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in _SPECIAL:
        return None
    authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    host = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host
    host = host.rpartition(":")[0] if ":" in host and not host.endswith("]") else host
    return unquote(host).translate(_FULL_STOPS).lower().strip("[]")


def ambiguous_host(url: str) -> str | None:
    """A problem when browsers and Python's urllib would read a different host in `url`."""
    seen = browser_host(url)
    if seen is None:
        return None
    try:
        parsed = (urlsplit(url).hostname or "").lower()
    except ValueError:
        parsed = ""
    if seen != parsed:
        return f"ambiguous URL: browsers read the host '{seen}', Python '{parsed}'"
    return None


def url_problem(url: str) -> tuple[str, str | None] | None:
    """Why `url` is not an acceptable https URL to a public host, as (message, hint); else None."""
    if "\\" in url:
        return "URL contains a backslash", "browsers read '\\' as '/': write '/', or %5C in a path"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"malformed URL ({exc})", None
    if parts.scheme != "https":
        hint = "use https://" if parts.scheme == "http" else None
        return f"URL must use https, not '{parts.scheme or 'nothing'}'", hint
    if parts.username is not None or parts.password is not None:
        return "URL must not contain credentials (user:pass@)", "remove the part before '@'"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "URL has no host", None
    if _SPACE.search(url):
        return "URL contains white space or control characters", "encode spaces as %20"
    address = None
    if host[-1].isdigit() or ":" in host:  # only such hosts can be IP literals
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
    if address is not None:
        if not ip_is_public(address):
            return f"'{host}' is not a public address", "link to the project's public site"
        return f"'{host}' is an IP address", "use the host's domain name"
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return f"'{host}' is not a public host", "link to the project's public site"
    if "." not in host:
        return f"'{host}' is not a public host name", "use a full domain name such as example.org"
    if not _TLD.match(host.rsplit(".", 1)[1]):
        # Catches numeric forms such as 127.1 or 0x7f.1 that resolvers treat as IPs.
        return f"'{host}' does not end in a top-level domain", "use the host's domain name"
    ambiguous = ambiguous_host(url)
    if ambiguous:
        return ambiguous, "write the host name plainly, without escapes"
    if port not in (None, 443):
        return f"URL uses port {port}", "public project pages live on the default https port"
    return None


def canonical(url: str) -> str:
    """A form for duplicate detection: case-insensitive, no trailing slash, no 'www.'."""
    folded = url.strip().casefold().rstrip("/")
    return folded.replace("https://www.", "https://", 1)
