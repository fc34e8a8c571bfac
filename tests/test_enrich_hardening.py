"""`aicatalog enrich` against APIs that answer oddly (issue 13, items 8, 9, 11, 12, 13).

Real loopback servers (tests/enrich_apis.py, or a raw socket server where an
answer must be malformed on the wire); the command runs as a subprocess.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from aicatalog.activity import load_activity
from aicatalog.diagnostics import Location
from aicatalog.enrich.github import GitHubCollector
from aicatalog.enrich.http import ApiClient, Oversized, Policy, Stop
from aicatalog.enrich.targets import GitHubTarget
from tests.enrich_apis import FakeApis, serve
from tests.helpers import AICATALOG, valid_entry
from tests.test_enrich import HF_TOKEN, TOKEN, activity, entry, run

NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


@pytest.fixture
def world() -> FakeApis:
    return FakeApis(token=TOKEN)


def hub_entry(name: str = "acme/m") -> dict[str, Any]:
    """A model entry whose only collectable link is a Hub model (no GitHub repository)."""
    home = f"https://{name.replace('/', '-')}.example.org/"
    links = {"homepage": home, "weights": f"https://huggingface.co/{name}"}
    lic = {"code": "MIT", "weights": "MIT"}
    return valid_entry(name=f"Model {name}", kind="model", links=links, license=lic)


def validate(catalog: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog)], capture_output=True, text=True
    )


def assert_file_is_readable(catalog: Path) -> None:
    load_activity(catalog)  # raises ActivityError if the reader refuses what was written
    done = validate(catalog)
    assert done.returncode == 0, done.stdout + done.stderr


# --- item 8: never write a file its own reader rejects ----------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"latestRelease": {"tagName": "", "publishedAt": "2026-09-01T00:00:00Z"}}, "release"),
        ({"licenseInfo": {"spdxId": "X" * 301}}, "license"),
        ({"licenseInfo": {"spdxId": "MIT\ud800"}}, "license"),
    ],
    ids=["empty-tag", "long-spdx", "surrogate-spdx"],
)
def test_a_bad_field_is_left_out_with_a_warning(
    make_catalog: Callable[..., Path], world: FakeApis, facts: dict[str, Any], field: str
) -> None:
    catalog = make_catalog({"one": entry(1), "two": entry(2)})
    world.add_repo("org1/repo1", stars=11, **facts)
    world.add_repo("org2/repo2", stars=22)
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"the answer's {field}" in done.stdout and "left out" in done.stdout
    records = activity(catalog)
    assert records["one"]["github"]["stars"] == 11 and field not in records["one"]["github"]
    assert records["two"]["github"]["stars"] == 22
    assert_file_is_readable(catalog)
    with serve(world) as base:  # and the next run reads the file it left
        again = run(catalog, base, "--max-age", "0")
    assert again.returncode == 1 and "Traceback" not in again.stderr


def test_a_name_that_is_not_owner_slash_name_drops_the_record(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1), "two": entry(2)})
    world.add_repo("org1/repo1")
    world.repos["org1/repo1"]["nameWithOwner"] = "org 1/repo <1>"
    world.add_repo("org2/repo2", stars=22)
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1
    assert "one.yml:" in done.stdout
    records = activity(catalog)
    assert "one" not in records and records["two"]["github"]["stars"] == 22
    assert_file_is_readable(catalog)


def test_a_hub_answer_with_a_surrogate_licence_keeps_the_rest(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"model": hub_entry()})
    world.hub["models/acme/m"] = {"id": "acme/m", "downloads": 5, "tags": ["license:\udc80x"]}
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1, done.stdout + done.stderr
    hub = activity(catalog)["model"]["hub"][0]
    assert hub["downloads"] == 5 and "license" not in hub
    load_activity(catalog)


# --- item 9: API anomalies are warnings or clean stops, never tracebacks ----------------


class _OddHandler(BaseHTTPRequestHandler):
    """Answers each path with the behaviour registered for it in `server.routes`."""

    server: _OddServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        route = self.server.routes.get(self.path) or self.server.routes.get("*")
        if route is None:
            self.send_error(404)
            return
        # The client may give up on purpose: that is what is being tested.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    do_GET = do_POST = _answer


class _OddServer(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]


@contextmanager
def odd_server(routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]) -> Iterator[str]:
    server = _OddServer(("127.0.0.1", 0), _OddHandler)
    server.routes = routes
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def send_json(body: bytes, status: int = 200, **headers: str) -> Callable[..., None]:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            h.send_header(key.replace("_", "-"), value)
        h.end_headers()
        h.wfile.write(body)

    return route


def drip_headers(h: BaseHTTPRequestHandler) -> None:
    """A header line every 0.2 s for 10 s: each socket read is quick, the request never ends."""
    h.send_response(200)
    for i in range(50):
        h.send_header(f"x-drip-{i}", "1")
        h.wfile.write(b"".join(h._headers_buffer))  # type: ignore[attr-defined]
        h._headers_buffer = []  # type: ignore[attr-defined]
        h.wfile.flush()
        time.sleep(0.2)


def endless_body(h: BaseHTTPRequestHandler) -> None:
    """A 400 MB answer, or as much of it as the client reads, with no Content-Length."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.end_headers()
    h.wfile.write(b'{"data": "')
    block = b"x" * (1024 * 1024)
    for _ in range(400):
        h.wfile.write(block)


DEEP = b"[" * 200_000 + b"]" * 200_000


def test_a_dripping_server_is_cut_off_at_the_request_deadline() -> None:
    with odd_server({"*": drip_headers}) as base:
        client = ApiClient("GitHub", base, "t", Policy(deadline=1.0, timeout=5, transient=0.01))
        started = time.monotonic()
        with pytest.raises(Stop, match="no complete answer within 1 s"):
            client.send("POST", "/graphql", json={})
        took = time.monotonic() - started
        client.close()
    assert took < 4.0  # two attempts of 1 s each, not 10 s of dripping


def test_an_endless_answer_is_refused_at_the_size_cap() -> None:
    with odd_server({"*": endless_body}) as base:
        client = ApiClient("GitHub", base, "t", Policy(max_bytes=2 * 1024 * 1024))
        with pytest.raises(Oversized, match="over 2 MB"):
            client.send("POST", "/graphql", json={})
        client.close()


def test_a_declared_huge_answer_is_refused_before_reading() -> None:
    route = send_json(b"{}", Content_Length="419430400")

    def lying(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "419430400")
        h.end_headers()
        h.wfile.write(b"{}")

    assert route is not None
    with odd_server({"*": lying}) as base:
        client = ApiClient("Hub", base, None, Policy(max_bytes=1024 * 1024, deadline=5))
        started = time.monotonic()
        with pytest.raises(Oversized):
            client.send("GET", "/api/models/a/b")
        assert time.monotonic() - started < 3
        client.close()


@pytest.mark.parametrize(
    "headers",
    [
        {"retry_after": "inf"},
        {"retry_after": "nan"},
        {"retry_after": "-5"},
        {"x_ratelimit_remaining": "0", "x_ratelimit_reset": "1e300"},
        {"x_ratelimit_remaining": "0", "x_ratelimit_reset": "99999999999999999"},
        {"x_ratelimit_remaining": "0", "x_ratelimit_reset": "-99999999999"},
    ],
    ids=["inf", "nan", "negative", "reset-1e300", "reset-huge", "reset-negative"],
)
def test_odd_limit_headers_end_in_a_clean_stop(headers: dict[str, str]) -> None:
    with odd_server({"*": send_json(b'{"message": "rate limit"}', 429, **headers)}) as base:
        client = ApiClient("GitHub", base, "t", Policy(backoff=0.01, attempts=3))
        with pytest.raises(Stop):
            client.send("POST", "/graphql", json={})
        client.close()


def test_deeply_nested_json_from_github_is_a_clean_stop() -> None:
    target = GitHubTarget("p", "o/n", Location("p.yml", 5))
    with odd_server({"/graphql": send_json(DEEP)}) as base:
        client = ApiClient("GitHub", base, "t", Policy())
        with pytest.raises(Stop, match="not JSON"):
            GitHubCollector(client, NOW).collect([target], lambda results: None)
        client.close()


def test_hub_anomalies_are_problems_for_their_record_and_the_rest_is_saved(
    make_catalog: Callable[..., Path],
) -> None:
    good = json.dumps(
        {"id": "acme/good", "downloads": 7, "lastModified": "0001-01-01T00:00:00+01:00"}
    )
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
        "/api/models/acme/deep": send_json(DEEP),
        "/api/models/acme/huge": endless_body,
        "/api/models/acme/good": send_json(good.encode()),
    }
    catalog = make_catalog(
        {
            "deep": hub_entry("acme/deep"),
            "huge": hub_entry("acme/huge"),
            "good": hub_entry("acme/good"),
        }
    )
    with odd_server(routes) as base:
        done = run(catalog, base)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert "deep.yml:" in done.stdout and "not a JSON object" in done.stdout
    assert "huge.yml:" in done.stdout and "over 16 MB" in done.stdout
    assert "good.yml:" in done.stdout and "lastModified" in done.stdout
    records = activity(catalog)
    assert list(records) == ["good"] and records["good"]["hub"][0]["downloads"] == 7
    assert "modified" not in records["good"]["hub"][0]
    assert_file_is_readable(catalog)


def test_out_of_range_times_from_github_are_left_out(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.add_repo(
        "org1/repo1",
        pushedAt="0001-01-01T00:00:00+01:00",
        createdAt="9999-12-31T23:59:59-01:00",
    )
    with serve(world) as base:
        done = run(catalog, base)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    assert "pushedAt '0001-01-01T00:00:00+01:00' is not a usable time" in done.stdout
    assert "createdAt" in done.stdout
    facts = activity(catalog)["one"]["github"]
    assert "pushed" not in facts and "created" not in facts and facts["stars"] == 100
    assert_file_is_readable(catalog)


# --- item 12: a rename keeps the star history --------------------------------------------


def test_a_renamed_repository_keeps_its_monthly_star_samples(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"moved": entry(1, "https://github.com/old-org/old-name")})
    now = dt.datetime.now(dt.UTC)
    last_month = f"{(now.replace(day=1) - dt.timedelta(days=1)):%Y-%m}"
    earlier = {
        "version": 1,
        "projects": {
            "moved": {
                "github": {
                    "repository": "old-org/old-name",
                    "source": "GitHub GraphQL API",
                    "collected": f"{last_month}-15T00:00:00Z",
                    "stars": 40,
                    "star_history": {last_month: 40},
                }
            }
        },
    }
    (catalog / "activity.json").write_text(json.dumps(earlier), encoding="utf-8")
    world.add_repo("new-org/new-name", stars=55)
    world.renames["old-org/old-name"] = "new-org/new-name"
    with serve(world) as base:
        done = run(catalog, base, "--max-age", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    facts = activity(catalog)["moved"]["github"]
    assert facts["repository"] == "new-org/new-name"
    assert facts["star_history"] == {last_month: 40, f"{now:%Y-%m}": 55}
    # The entry then follows the rename: the samples stay with it.
    path = catalog / "projects" / "moved.yml"
    path.write_text(path.read_text().replace("old-org/old-name", "new-org/new-name"))
    world.repos["new-org/new-name"]["stargazerCount"] = 60
    with serve(world) as base:
        again = run(catalog, base, "--max-age", "0")
    assert again.returncode == 0, again.stdout + again.stderr
    facts = activity(catalog)["moved"]["github"]
    assert facts["star_history"] == {last_month: 40, f"{now:%Y-%m}": 60}
    assert "renamed_from" not in facts


# --- item 13: the Hub without GitHub ---------------------------------------------------


def test_without_a_github_token_the_hub_is_still_collected(
    make_catalog: Callable[..., Path], world: FakeApis, tmp_path: Path
) -> None:
    catalog = make_catalog({"one": entry(1), "model": hub_entry("acme/m")})
    world.add_repo("org1/repo1")
    world.hub["models/acme/m"] = {"id": "acme/m", "downloads": 9, "likes": 2}
    summary = tmp_path / "summary.md"
    with serve(world) as base:
        done = run(catalog, base, "--summary", str(summary), token=None)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "GitHub skipped: GITHUB_TOKEN is not set, so 1 repositories" in done.stderr
    assert world.graphql_requests() == []
    records = activity(catalog)
    assert records["model"]["hub"][0]["downloads"] == 9 and "one" not in records
    assert "GitHub skipped" in summary.read_text()
    assert "Traceback" not in done.stderr


# --- item 11: text from the Hub is data ----------------------------------------------------

HOSTILE_TAG = (
    "\x1b[2Jx](https://evil.example/) ![p](https://evil.example/p.png) <img src=x> @octocat `"
)


def test_a_hostile_hub_licence_tag_is_inert_in_every_report(
    make_catalog: Callable[..., Path], world: FakeApis, tmp_path: Path
) -> None:
    import markdown

    catalog = make_catalog({"model": hub_entry("acme/m")})
    world.hub["models/acme/m"] = {
        "id": "acme/m",
        "downloads": 1,
        "tags": [f"license:{HOSTILE_TAG}"],
    }
    summary = tmp_path / "summary.md"
    with serve(world) as base:
        done = run(catalog, base, "--summary", str(summary), token=None)
    assert done.returncode == 0, done.stdout + done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "### New warnings (1)" in text and "the Hub tags acme/m with licence" in text
    html = markdown.markdown(text)
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    for needle in ("<img", "<a ", "evil.example", "@octocat", "\x1b"):
        assert needle not in outside_code, needle
    assert "\x1b" not in html
    checked = validate(catalog)
    assert "\x1b" not in checked.stdout and "\\x1b[2J" in checked.stdout
    annotations = subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog), "--format", "github"],
        capture_output=True,
        text=True,
    )
    assert "\x1b" not in annotations.stdout and annotations.stdout.count("\n") == 1


def test_a_value_equal_to_a_token_is_never_written(
    make_catalog: Callable[..., Path], world: FakeApis, tmp_path: Path
) -> None:
    catalog = make_catalog({"one": entry(1), "model": hub_entry("acme/m")})
    world.add_repo("org1/repo1", latestRelease={"tagName": TOKEN, "publishedAt": None})
    world.hub["models/acme/m"] = {"id": "acme/m", "downloads": 3, "tags": [f"license:{HF_TOKEN}"]}
    summary = tmp_path / "summary.md"
    with serve(world) as base:
        done = run(catalog, base, "--summary", str(summary))
    assert done.returncode == 1, done.stdout + done.stderr
    written = (catalog / "activity.json").read_text(encoding="utf-8")
    for secret in (TOKEN, HF_TOKEN):
        assert secret not in written
        assert secret not in summary.read_text() + done.stdout + done.stderr
    records = activity(catalog)
    assert records["one"]["github"]["stars"] == 100 and "release" not in records["one"]["github"]
    assert records["model"]["hub"][0]["downloads"] == 3
    assert "held a token of this run" in done.stdout
