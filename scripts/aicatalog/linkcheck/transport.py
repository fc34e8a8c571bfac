"""The HTTP transport: connections pinned to vetted addresses, with hard deadlines.

Two things plain requests cannot do are added here, at the connection level,
so no code path can skip them:

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
from urllib.parse import urlsplit

from requests import PreparedRequest
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

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


class PinnedAdapter(HTTPAdapter):
    """A requests adapter that connects only to vetted addresses, under a watchdog."""

    def __init__(self, resolver: Resolver, watchdog: Watchdog, pool_size: int) -> None:
        self._resolver = resolver
        self._watchdog = watchdog
        super().__init__(pool_connections=64, pool_maxsize=pool_size, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        http_conn = _watched(HTTPConnection, self._watchdog)
        https_conn = _watched(HTTPSConnection, self._watchdog)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }

    def build_connection_pool_key_attributes(
        self, request: PreparedRequest, verify: Any, cert: Any = None
    ) -> Any:
        host_params, typed_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        pool_kwargs: dict[str, Any] = dict(typed_kwargs)
        host = host_params["host"]
        port = host_params["port"] or _DEFAULT_PORTS[host_params["scheme"]]
        address = self._resolver.vetted(host, port)
        host_params["host"] = f"[{address}]" if ":" in address else address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = host
        return host_params, pool_kwargs

    def add_headers(self, request: PreparedRequest, **kwargs: Any) -> None:
        # The pool's host is an address now; the server must still see its own name.
        netloc = urlsplit(request.url or "").netloc
        request.headers["Host"] = netloc.rpartition("@")[2]
