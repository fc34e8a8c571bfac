"""A loopback HTTP server that answers like GitHub's GraphQL API and the Hugging Face Hub API.

Shapes follow the public documentation: GraphQL answers carry `data` with one
field per alias and `errors` entries with `type` and `path` (NOT_FOUND for a
missing repository, RATE_LIMITED when the budget is spent), with
x-ratelimit-* headers; secondary limits are 403 with retry-after. The Hub
answers /api/models/<id> and /api/datasets/<id> with the ModelInfo fields
(id, downloads, likes, gated, lastModified, tags with `license:`), 404 when
unknown. Knobs on the server make it misbehave the way the real ones do.
Used by the tests and by tests/bench/bench_enrich.py.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ALIAS_RE = re.compile(
    r"(\w+): repository\(owner: \$(\w+), name: \$(\w+)(, followRenames: true)?\)"
)


def repo_node(name: str, stars: int = 100, **extra: Any) -> dict[str, Any]:
    """A repository as GraphQL's Facts fragment returns it."""
    node = {
        "nameWithOwner": name,
        "stargazerCount": stars,
        "forkCount": stars // 10,
        "pushedAt": "2026-10-01T12:00:00Z",
        "createdAt": "2019-01-02T03:04:05Z",
        "isArchived": False,
        "isFork": False,
        "licenseInfo": {"spdxId": "MIT"},
        "latestRelease": {"tagName": "v1.2.3", "publishedAt": "2026-09-01T00:00:00Z"},
    }
    node.update(extra)
    return node


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    aliases: int  # repositories asked for (GraphQL), 0 otherwise
    authorization: str | None
    status: int


@dataclass
class FakeApis:
    """State and knobs; `requests` records every request answered."""

    token: str = "test-token"
    repos: dict[str, dict[str, Any]] = field(default_factory=dict)  # folded name -> node
    renames: dict[str, str] = field(default_factory=dict)  # old folded -> new folded
    hub: dict[str, dict[str, Any]] = field(default_factory=dict)  # "models/o/n" -> info
    latency: float = 0.0  # seconds added to every GraphQL answer
    budget: int = 5000  # GraphQL requests before x-ratelimit-remaining reaches 0
    secondary_limits: int = 0  # the next N GraphQL requests get 403 + retry-after
    retry_after: int | None = 1  # None: a secondary limit that names no wait
    hub_limits: int = 0  # the next N Hub requests get 429 + retry-after
    split_above: int | None = None  # 502 for batches larger than this
    stall_after: int | None = None  # GraphQL requests answered before the server hangs
    echo_token_in_errors: bool = False
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stalled: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def add_repo(self, name: str, **facts: Any) -> None:
        self.repos[name.casefold()] = repo_node(name, **facts)

    def graphql_requests(self) -> list[Seen]:
        return [r for r in self.requests if r.path == "/graphql"]

    # --- GraphQL -------------------------------------------------------------------------

    def answer_graphql(
        self, body: dict[str, Any], auth: str | None
    ) -> tuple[int, dict[str, str], Any, int]:
        """(status, headers, json body, aliases) for one GraphQL request."""
        query = body.get("query", "")
        variables = body.get("variables") or {}
        aliases = _ALIAS_RE.findall(query)
        with self.lock:
            answered = len(self.graphql_requests())
            stall = self.stall_after is not None and answered >= self.stall_after
        if stall:
            self.stalled.set()
            self.released.wait(60)
        if auth != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials"}, len(aliases)
        with self.lock:
            if self.secondary_limits > 0:
                self.secondary_limits -= 1
                text = "You have exceeded a secondary rate limit. Please wait a few minutes."
                wait = {} if self.retry_after is None else {"retry-after": str(self.retry_after)}
                return 403, wait, {"message": text}, len(aliases)
            used = sum(1 for r in self.graphql_requests() if r.status == 200)
            remaining = self.budget - used
        reset = str(int(time.time()) + 3600)
        limit_headers = {
            "x-ratelimit-limit": str(self.budget),
            "x-ratelimit-reset": reset,
            "x-ratelimit-resource": "graphql",
        }
        if remaining <= 0:
            headers = {**limit_headers, "x-ratelimit-remaining": "0"}
            error = {"type": "RATE_LIMITED", "message": "API rate limit exceeded"}
            return 403, headers, {"errors": [error]}, len(aliases)
        if self.split_above is not None and len(aliases) > self.split_above:
            return 502, {}, {"message": "Server Error"}, len(aliases)
        time.sleep(self.latency)
        data: dict[str, Any] = {}
        errors = []
        for alias, owner_var, name_var, follow in aliases:
            asked = f"{variables.get(owner_var)}/{variables.get(name_var)}".casefold()
            # As on GitHub, an old name resolves only when renames are followed.
            node = self.repos.get(self.renames.get(asked, asked) if follow else asked)
            data[alias] = node
            if self.echo_token_in_errors:
                data[alias] = None
                message = f"Resource not accessible by integration (credentials: {auth})"
                errors.append({"type": "FORBIDDEN", "path": [alias], "message": message})
            elif node is None:
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "locations": [{"line": 2, "column": 3}],
                        "message": "Could not resolve to a Repository with the name "
                        f"'{variables.get(owner_var)}/{variables.get(name_var)}'.",
                    }
                )
        data["rateLimit"] = {"cost": 1, "remaining": remaining - 1, "resetAt": None}
        answer: dict[str, Any] = {"data": data}
        if errors:
            answer["errors"] = errors
        headers = {**limit_headers, "x-ratelimit-remaining": str(remaining - 1)}
        return 200, headers, answer, len(aliases)

    # --- Hub -----------------------------------------------------------------------------

    def answer_hub(self, path: str) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            if self.hub_limits > 0:
                self.hub_limits -= 1
                return 429, {"retry-after": "1"}, {"error": "Too many requests"}
        match = re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)", path)
        info = self.hub.get(f"{match.group(1)}/{match.group(2)}") if match else None
        if info is None:
            return 404, {}, {"error": "Repository not found"}
        return 200, {}, info


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:
        apis = self.server.apis
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path != "/graphql":
            self._send(404, {}, {"message": "Not Found"})
            return
        auth = self.headers.get("Authorization")
        status, headers, answer, aliases = apis.answer_graphql(body, auth)
        with apis.lock:
            apis.requests.append(Seen(self.path, aliases, auth, status))
        self._send(status, headers, answer)

    def do_GET(self) -> None:
        apis = self.server.apis
        status, headers, answer = apis.answer_hub(self.path)
        with apis.lock:
            apis.requests.append(Seen(self.path, 0, self.headers.get("Authorization"), status))
        self._send(status, headers, answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    apis: FakeApis


@contextmanager
def serve(apis: FakeApis) -> Iterator[str]:
    """Serve `apis` on 127.0.0.1 (a free port) for the block; yields the base URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.apis = apis
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        apis.released.set()
        server.shutdown()
        server.server_close()
