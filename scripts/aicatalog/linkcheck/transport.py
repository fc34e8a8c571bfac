"""The HTTP transport: connections pinned to vetted addresses, with hard deadlines.

urllib3 itself, not requests: a link checker needs none of a session's cookies,
hooks, proxies or header merging, which cost a large share of the CPU time of
each request (and the checker is CPU-bound on a fast network). Two things plain
urllib3 cannot do are added here, at the connection level, so no code path can
skip them:

- Every connection goes to the address `guard.Resolver` vetted, while the Host
  header and TLS SNI/certificate checks keep the real host name.
- A request's deadline is enforced on the wire: a server that drips a byte
  every few seconds keeps each socket read under its timeout forever, so a
  watchdog thread shuts the socket down when the request's time is up.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import certifi
from urllib3 import BaseHTTPResponse, PoolManager, Timeout
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import parse_url

from .guard import Resolver

_DEFAULT_PORTS = {"http": 80, "https": 443}
_current = threading.local()


class Watch:
    """The deadline of one request and the connections it used."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self.connections: list[HTTPConnection] = []


class Watchdog:
    """One thread that cuts the connections of requests that outlive their deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Watch]] = []
        self._ids = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="linkcheck-watchdog", daemon=True)
        self._thread.start()

    @contextmanager
    def watch(self, deadline: float) -> Iterator[Watch]:
        """Enforce `deadline` (time.monotonic) on every request the current thread sends."""
        watch = Watch(deadline)
        with self._cond:
            if not self._heap or deadline < self._heap[0][0]:
                self._cond.notify()  # otherwise the watchdog wakes earlier anyway
            heapq.heappush(self._heap, (deadline, next(self._ids), watch))
        _current.watch = watch
        try:
            yield watch
        finally:
            _current.watch = None
            with self._cond:
                watch.connections.clear()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, _, watch = heapq.heappop(self._heap)
                    if watch.connections:
                        watch.expired = True
                        for conn in watch.connections:
                            _cut(conn)
                self._cond.wait(self._heap[0][0] - now if self._heap else None)

    def attach(self, conn: HTTPConnection) -> None:
        """Called by a connection about to send: it belongs to the thread's current watch."""
        watch: Watch | None = getattr(_current, "watch", None)
        if watch is not None:
            with self._cond:
                watch.connections.append(conn)


def _cut(conn: HTTPConnection) -> None:
    sock = conn.sock
    if sock is not None:
        # The plain-socket shutdown, also for TLS: it unblocks a reader in another thread.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(base: type[HTTPConnection], watchdog: Watchdog) -> type[HTTPConnection]:
    class Watched(base):  # type: ignore[misc, valid-type]
        def request(self, *args: Any, **kwargs: Any) -> None:
            watchdog.attach(self)
            super().request(*args, **kwargs)

    Watched.__name__ = f"Watched{base.__name__}"
    return Watched


class PinnedPools:
    """Connection pools that connect only to vetted addresses, under a watchdog.

    Pools are keyed by the vetted address and, for TLS, the real host name, which
    is what SNI and the certificate check use; the least recently used of more
    than `MAX_POOLS` are closed, so a run over many hosts keeps few sockets open.
    """

    MAX_POOLS = 64

    def __init__(self, resolver: Resolver, watchdog: Watchdog, pool_size: int) -> None:
        self._resolver = resolver
        # The same trust store as requests uses (certifi's), whatever the environment says.
        self._manager = PoolManager(
            num_pools=self.MAX_POOLS,
            maxsize=pool_size,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
        http_conn = _watched(HTTPConnection, watchdog)
        https_conn = _watched(HTTPSConnection, watchdog)
        self._manager.pool_classes_by_scheme = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }

    def request(
        self, method: str, url: str, headers: dict[str, str], timeout: float
    ) -> BaseHTTPResponse:
        """Send one request (no redirect followed, no retry); the body is left to read.

        Raises urllib3's errors, LocationParseError for a URL it cannot send,
        and the resolver's RefusedAddress or ResolveFailed.
        """
        parts = parse_url(url)  # IDNA-encodes the host, percent-encodes the path
        scheme, host = parts.scheme or "http", (parts.host or "").strip("[]")
        port = parts.port or _DEFAULT_PORTS[scheme]
        address = self._resolver.vetted(host, port)
        pool = self._manager.connection_from_host(
            f"[{address}]" if ":" in address else address,
            port,
            scheme,
            pool_kwargs={"server_hostname": host} if scheme == "https" else None,
        )
        return pool.urlopen(
            method,
            parts.request_uri,
            # The pool's host is an address: the server must still see its own name.
            headers={**headers, "Host": parts.netloc or host},
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
            timeout=Timeout(connect=timeout, read=timeout),
        )

    def close(self) -> None:
        self._manager.clear()
