"""Real HTTP servers on loopback addresses that behave like the web's failure modes.

Used by the link checker's tests and its benchmark. Each server binds its own
address (Linux routes all of 127/8 to the loopback interface), so several
servers act as several hosts. The path decides the behaviour:

    /ok/...                    200
    /status/<code>/...         that status
    /redirect/<code>?to=URL    a redirect to URL
    /rawlocation?to=BYTES      a 301 whose Location is BYTES as sent (percent-decoded as Latin-1,
                               so `%E9` puts the single byte 0xE9 on the wire)
    /loop/<n>                  301 to /loop/<n+1 mod 2>: a loop
    /nohead/...                405 to HEAD, 200 to GET
    /headmissing/...           404 to HEAD, 200 to GET
    /ratelimited/...?n=N&after=S   429 with Retry-After S for the first N requests, then 200
    /flaky/...?n=N&after=S     503 (with Retry-After S if given) for the first N requests, then 200
    /error/...                 500 always
    /hang/...                  never answers
    /reset/...                 resets the connection
    /challenge/...             a Cloudflare-style 403 challenge page
    /wall999/...               LinkedIn's 999
    /big/...                   405 to HEAD; GET starts a 5 GB body
    /drip/...                  sends its headers one byte at a time, forever

With `rate_limit=(per_second, burst)` the whole host is behind a token bucket, as
real sites are: a request beyond the rate gets 429 with Retry-After: 1.

The server counts requests per (method, path), logs each one (times, Host header)
and keeps the peak number handled at once. With `tls`, it speaks HTTPS and records
the server names clients ask for (SNI).
"""

from __future__ import annotations

import select
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

FIVE_GB = 5 * 1024**3
_CHUNK = b"x" * 65536


@dataclass
class Logged:
    """One request as the server saw it (times from time.monotonic)."""

    start: float
    end: float
    method: str
    path: str
    host: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up (the checker stops reading big bodies) are expected


class LinkServer:
    """One host: a threaded HTTP/1.1 server on `address`, with an optional latency per request."""

    def __init__(
        self,
        address: str = "127.0.0.1",
        latency: float = 0.0,
        tls: tuple[str, str] | None = None,
        port: int = 0,
        rate_limit: tuple[float, int] | None = None,
    ) -> None:
        self.address = address
        self.latency = latency
        self.lock = threading.Lock()
        self.hits: Counter[tuple[str, str]] = Counter()
        self.log: list[Logged] = []
        self.server_names: list[str | None] = []
        self.rate_limit = rate_limit
        self.limited = 0  # requests refused with 429 by the rate limit
        self._tokens = float(rate_limit[1]) if rate_limit else 0.0
        self._refilled = time.monotonic()
        self.in_flight = 0
        self.peak = 0
        self.connections = 0  # TCP connections accepted: keep-alive reuse shows here
        self.big_bytes_sent = 0
        self.stopping = threading.Event()
        self._httpd = _Server((address, port), _Handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            context.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.address}:{self.port}{path}"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())

    def count(self, path: str, method: str | None = None) -> int:
        with self.lock:
            return sum(n for (m, p), n in self.hits.items() if p == path and method in (None, m))

    def take_token(self) -> bool:
        """Whether the rate limit lets one more request through now (caller holds `lock`)."""
        if self.rate_limit is None:
            return True
        rate, burst = self.rate_limit
        now = time.monotonic()
        self._tokens = min(burst, self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        self.limited += 1
        return False

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LinkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "linkserver"
    #: Headers and body go out in two writes; with Nagle's algorithm on, the body waited for
    #: the client's delayed ACK (40 ms on Linux) on most GET answers, a stall web servers
    #: avoid (nginx sets TCP_NODELAY by default). Every tool in the benchmark paid it.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        owner: LinkServer = self.server.owner  # type: ignore[attr-defined]
        with owner.lock:
            owner.connections += 1

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        owner: LinkServer = self.server.owner  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        logged = Logged(time.monotonic(), 0.0, method, path, self.headers.get("Host", ""))
        self._logged = logged
        with owner.lock:
            owner.hits[(method, path)] += 1
            seen = sum(n for (_, p), n in owner.hits.items() if p == path)
            owner.in_flight += 1
            owner.peak = max(owner.peak, owner.in_flight)
            owner.log.append(logged)
            allowed = owner.take_token()
        try:
            if owner.latency:
                time.sleep(owner.latency)
            if allowed:
                self._behave(owner, method, path, query, seen)
            else:
                self._reply(method, 429, {"Retry-After": "1"})
        finally:
            self._settle()

    def _settle(self) -> None:
        """Count the request as done, once: just before its response leaves, since the
        client may start its next request the moment it has the response."""
        logged = getattr(self, "_logged", None)
        if logged is None or logged.end:
            return
        owner: LinkServer = self.server.owner  # type: ignore[attr-defined]
        with owner.lock:
            owner.in_flight -= 1
            logged.end = time.monotonic()

    def _behave(
        self, owner: LinkServer, method: str, path: str, query: dict[str, list[str]], seen: int
    ) -> None:
        kind = path.split("/")[1]
        n = int(query.get("n", ["1"])[0])
        if kind == "ok":
            self._reply(method, 200)
        elif kind == "status":
            self._reply(method, int(path.split("/")[2]))
        elif kind == "redirect":
            self._reply(method, int(path.split("/")[2]), {"Location": query["to"][0]})
        elif kind == "rawlocation":
            raw = unquote(urlsplit(self.path).query.partition("to=")[2], encoding="latin-1")
            self._reply(method, 301, {"Location": raw})
        elif kind == "loop":
            nxt = (int(path.split("/")[2]) + 1) % 2
            self._reply(method, 301, {"Location": f"/loop/{nxt}"})
        elif kind == "nohead":
            self._reply(method, 405 if method == "HEAD" else 200, {"Allow": "GET"})
        elif kind == "headmissing":
            self._reply(method, 404 if method == "HEAD" else 200)
        elif kind == "ratelimited":
            after = query.get("after", ["1"])[0]
            if seen <= n:
                self._reply(method, 429, {"Retry-After": after})
            else:
                self._reply(method, 200)
        elif kind == "flaky":
            wait = query.get("after")
            if seen <= n:
                self._reply(method, 503, {"Retry-After": wait[0]} if wait else None)
            else:
                self._reply(method, 200)
        elif kind == "error":
            self._reply(method, 500)
        elif kind == "hang":
            self._hang(owner)
        elif kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif kind == "challenge":
            body = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
            body += b"<body><script src='/cdn-cgi/challenge-platform/x.js'></script></body></html>"
            headers = {"Server": "cloudflare", "cf-mitigated": "challenge"}
            self._reply(method, 403, headers, body)
        elif kind == "wall999":
            self._reply(method, 999)
        elif kind == "big":
            self._big(owner, method)
        elif kind == "drip":
            self._drip(owner)
        else:
            self._reply(method, 404)

    def _reply(
        self, method: str, status: int, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> None:
        body = body or f"status {status}\n".encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._settle()
        self.end_headers()
        if method == "GET":
            self.wfile.write(body)

    def _big(self, owner: LinkServer, method: str) -> None:
        if method == "HEAD":
            self._reply(method, 405, {"Allow": "GET"})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(FIVE_GB))
        self.end_headers()
        sent = 0
        try:
            while sent < FIVE_GB and not owner.stopping.is_set():
                self.wfile.write(_CHUNK)
                sent += len(_CHUNK)
        except OSError:
            pass
        finally:
            with owner.lock:
                owner.big_bytes_sent += sent
            self.close_connection = True

    def _hang(self, owner: LinkServer) -> None:
        """Say nothing until the client gives up (so the server's in-flight count stays true)."""
        while not owner.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                break
        self.close_connection = True

    def _drip(self, owner: LinkServer) -> None:
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
            while not owner.stopping.wait(0.1):
                self.wfile.write(b"a")
        except OSError:
            pass
        self.close_connection = True
