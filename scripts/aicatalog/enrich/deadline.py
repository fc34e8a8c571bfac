"""A deadline for a whole HTTP request, not only for each socket read.

requests' `timeout` bounds each read of the socket, so a server that sends one
header line every few seconds can hold a request for as long as it likes. Here
every socket a request uses (a new connection or one reused from the pool) is
registered with the calling thread's watch; when the deadline passes, a timer
shuts those sockets down, the blocked read returns at once, and the request
fails with a transport error that the client reports as a timeout.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()


class Watch:
    """The sockets of one request and whether its deadline has passed."""

    def __init__(self) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def add(self, sock: Any) -> None:
        with self._lock:
            if sock is None:
                return
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: Any) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _register(sock: Any) -> None:
    watch: Watch | None = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(sock)


@contextmanager
def deadline(seconds: float) -> Iterator[Watch]:
    """Everything requested in this thread inside the block ends by `seconds` from now."""
    watch = Watch()
    timer = threading.Timer(seconds, watch.expire)
    timer.daemon = True
    _local.watch = watch
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        _local.watch = None


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _register(self.sock)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _register(self.sock)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _register(getattr(conn, "sock", None))  # a reused keep-alive connection
        return conn


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _register(getattr(conn, "sock", None))
        return conn


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections register their sockets with the thread's watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
