"""The link checker's engine against real HTTP servers on loopback addresses.

Every class of result, the politeness limits and the time bounds are measured
at the servers themselves; nothing is mocked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from urllib.parse import quote

import pytest

from aicatalog.linkcheck.check import Settings, check_urls
from aicatalog.linkcheck.guard import EVERYWHERE, parse_networks
from aicatalog.linkcheck.results import Result
from tests.linkserver import LinkServer, Logged

FAST = Settings(timeout=0.5, retries=2, backoff_base=0.05, max_wait=1.5, allowed=EVERYWHERE)


@pytest.fixture
def serve() -> Iterator[Callable[..., LinkServer]]:
    """Factory: serve(address, latency=0) -> a running LinkServer, closed after the test."""
    servers: list[LinkServer] = []

    def start(address: str = "127.0.0.1", latency: float = 0.0, **kw: object) -> LinkServer:
        server = LinkServer(address, latency, **kw)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def check_one(url: str, settings: Settings = FAST) -> Result:
    (result,), _ = check_urls([url], settings)
    return result


def peak_overlap(logs: list[Logged]) -> int:
    """Most requests in progress at once across these logs."""
    events = sorted([(r.start, 1) for r in logs] + [(r.end or float("inf"), -1) for r in logs])
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def test_200_is_ok_with_one_head_request(serve):
    server = serve()
    result = check_one(server.url("/ok/1"))
    assert (result.status, result.http_status, result.final_url) == ("ok", 200, None)
    assert server.hits == {("HEAD", "/ok/1"): 1}
    assert result.attempts == 1


@pytest.mark.parametrize("code", [404, 410, 400])
def test_client_errors_are_broken_after_confirming_with_get(serve, code):
    server = serve()
    result = check_one(server.url(f"/status/{code}/x"))
    assert (result.status, result.http_status) == ("broken", code)
    # HEAD is not trusted alone: some servers answer it wrongly. 4xx is never retried.
    assert server.hits == {("HEAD", f"/status/{code}/x"): 1, ("GET", f"/status/{code}/x"): 1}


def test_permanent_redirect_chain_across_hosts_reports_where_to_update(serve):
    first, second, third = serve("127.0.0.2"), serve("127.0.0.3"), serve("127.0.0.4")
    final = third.url("/ok/final")
    middle = second.url("/redirect/308?to=" + quote(final, safe=""))
    result = check_one(first.url("/redirect/301?to=" + quote(middle, safe="")))
    assert result.status == "redirected"
    assert result.final_url == final
    assert result.http_status == 200
    assert "moved permanently (301)" in result.detail
    assert third.count("/ok/final") == 1


def test_temporary_redirect_is_ok_and_says_where_it_ended(serve):
    server = serve()
    result = check_one(server.url("/redirect/302?to=/ok/2"))
    assert result.status == "ok"
    assert result.final_url == server.url("/ok/2")


def test_temporary_redirect_after_a_permanent_one_suggests_only_the_permanent_target(serve):
    server = serve()
    temp = server.url("/redirect/302?to=/ok/login")
    result = check_one(server.url("/redirect/301?to=" + quote(temp, safe="")))
    assert result.status == "redirected"
    assert result.final_url == temp


def test_redirect_loop_is_an_error(serve):
    server = serve()
    result = check_one(server.url("/loop/0"))
    assert result.status == "error"
    assert "redirect loop" in result.detail
    assert server.total < 10


def test_more_than_ten_redirects_is_an_error(serve):
    server = serve()
    url = server.url("/ok/end")
    for _ in range(11):
        url = server.url("/redirect/302?to=" + quote(url, safe=""))
    result = check_one(url)
    assert result.status == "error"
    assert "more than 10 redirects" in result.detail
    assert server.count("/ok/end") == 0


def test_head_405_falls_back_to_get_and_the_host_skips_head_afterwards(serve):
    server = serve()
    results, _ = check_urls([server.url("/nohead/1")], replace(FAST, concurrency=1))
    assert results[0].status == "ok"
    assert server.hits == {("HEAD", "/nohead/1"): 1, ("GET", "/nohead/1"): 1}
    # In one run, a host that refused HEAD is asked with GET directly.
    results, _ = check_urls(
        [server.url("/nohead/2"), server.url("/nohead/3")],
        replace(FAST, concurrency=1, per_host=1),
    )
    assert [r.status for r in results] == ["ok", "ok"]
    assert server.count("/nohead/2", "HEAD") + server.count("/nohead/3", "HEAD") == 1


def test_head_404_then_get_200_is_ok(serve):
    server = serve()
    result = check_one(server.url("/headmissing/1"))
    assert result.status == "ok"
    assert server.hits == {("HEAD", "/headmissing/1"): 1, ("GET", "/headmissing/1"): 1}


def test_429_waits_for_retry_after_then_ok_and_slows_the_host(serve):
    server = serve(latency=0.05)
    urls = [server.url("/ratelimited/a?after=1")] + [server.url(f"/ok/{i}") for i in range(12)]
    results, _ = check_urls(urls, FAST)  # one host's URLs are taken in order: the 429 first
    assert all(r.status == "ok" for r in results), [r.detail for r in results]
    limited = [r for r in server.log if r.path == "/ratelimited/a"]
    assert len(limited) == 2
    pause_start = limited[0].end
    assert limited[1].start - pause_start >= 0.95  # Retry-After: 1 honoured
    # Nothing else was sent to the host during the pause...
    during = [r for r in server.log if pause_start + 0.01 < r.start < pause_start + 0.95]
    assert during == []
    # ...and it was slowed for the rest of the run: half the per-host limit.
    after = [r for r in server.log if r.start > pause_start + 0.95]
    assert after
    assert peak_overlap(after) <= FAST.per_host // 2


def test_503_twice_then_200_is_ok_after_retries(serve):
    server = serve()
    result = check_one(server.url("/flaky/1?n=2"))
    assert result.status == "ok"
    assert [(r.method, r.path) for r in server.log] == [
        ("HEAD", "/flaky/1"),
        ("GET", "/flaky/1"),
        ("GET", "/flaky/1"),
    ]
    assert result.attempts == 3


def test_500_always_is_broken_after_every_retry(serve):
    server = serve()
    result = check_one(server.url("/error/1"))
    assert (result.status, result.http_status) == ("broken", 500)
    assert server.count("/error/1", "GET") == FAST.attempts
    assert result.attempts == 1 + FAST.attempts  # the HEAD, then GET and its retries


def test_server_that_never_answers_times_out_and_the_run_ends_on_time(serve):
    server = serve()
    urls = [server.url(f"/hang/{i}") for i in range(4)]
    started = time.monotonic()
    results, _ = check_urls(urls, FAST)
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == ["timeout"] * 4
    assert all(server.count(f"/hang/{i}") == FAST.attempts for i in range(4))
    # All four in parallel: each takes its attempts' timeouts plus short backoffs.
    assert FAST.attempts * FAST.timeout <= elapsed < FAST.attempts * FAST.timeout + 1.0


def test_server_dripping_headers_is_cut_at_the_timeout(serve):
    server = serve()
    started = time.monotonic()
    result = check_one(server.url("/drip/1"), replace(FAST, retries=0))
    assert result.status == "timeout"
    assert time.monotonic() - started < FAST.timeout + 0.5


def test_connection_reset_is_an_error_after_retries(serve):
    server = serve()
    result = check_one(server.url("/reset/1"))
    assert result.status == "error"
    assert "reset" in result.detail
    assert server.count("/reset/1", "GET") == FAST.attempts


def test_cloudflare_challenge_is_blocked_not_broken(serve):
    server = serve()
    result = check_one(server.url("/challenge/1"))
    assert (result.status, result.http_status) == ("blocked", 403)
    assert "Cloudflare challenge" in result.detail
    # Recognised by its header in the answer to HEAD: a GET would meet the same wall.
    assert (server.count("/challenge/1", "HEAD"), server.count("/challenge/1", "GET")) == (1, 0)


def test_linkedin_999_is_blocked(serve):
    server = serve()
    result = check_one(server.url("/wall999/1"))
    assert (result.status, result.http_status) == ("blocked", 999)
    assert server.total == 1  # the wall answered HEAD: no GET, no retry


def test_a_connection_is_kept_for_the_next_request_to_the_host(serve):
    """HEAD answers, small GET answers and errors are read to the end, so one connection
    serves a whole host checked one request at a time (no handshake per URL)."""
    server = serve()
    paths = [f"/ok/{i}" for i in range(5)] + ["/status/404/1", "/headmissing/1", "/nohead/1"]
    results, _ = check_urls([server.url(p) for p in paths], replace(FAST, per_host=1))
    assert [r.status for r in results] == ["ok"] * 5 + ["broken", "ok", "ok"]
    assert server.connections == 1


def test_multi_gigabyte_body_is_not_downloaded(serve):
    server = serve()
    tracemalloc.start()
    try:
        started = time.monotonic()
        result = check_one(server.url("/big/1"))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "ok"
    assert elapsed < 2.0
    assert peak < 8 * 1024**2
    deadline = time.monotonic() + 2
    while server.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    # The server stopped when the checker hung up: socket buffers, not 5 GB.
    assert server.big_bytes_sent < 64 * 1024**2


def test_private_addresses_are_refused_by_default(serve):
    server = serve()
    # Checked after resolution, so other spellings of 127.0.0.1 are refused too.
    spellings = ("127.0.0.1", "localhost", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]")
    for url in (server.url("/ok/1", host=host) for host in spellings):
        result = check_one(url, replace(FAST, allowed=()))
        assert result.status == "error"
        assert "non-public address" in result.detail
    assert server.total == 0


def test_redirect_from_an_allowed_host_to_a_private_address_is_refused(serve):
    public, private = serve("127.0.0.2"), serve("127.0.0.3")
    # Only 127.0.0.2 stands for "the public internet" here; everything else stays private.
    settings = replace(FAST, allowed=parse_networks(["127.0.0.2/32"]))
    targets = [
        private.url("/ok/secret"),
        private.url("/ok/secret", host="localhost"),
        "http://169.254.169.254/latest/meta-data/",
    ]
    urls = [public.url("/redirect/302?to=" + quote(t, safe="")) for t in targets]
    results, _ = check_urls(urls, settings)
    for result in results:
        assert result.status == "error", result
        assert result.detail.startswith("refused:")
    assert private.total == 0
    assert public.total == len(urls)


def test_connections_go_to_the_vetted_address_with_the_real_host_name(serve):
    vetted = serve("127.0.0.2")
    rebound = serve("127.0.0.3", port=vetted.port)  # where a second DNS answer would lead
    answers = iter(["127.0.0.2"] + ["127.0.0.3"] * 10)  # a rebinding DNS: later answers differ

    def getaddrinfo(host, port, **kw):
        assert host == "mirror.test"
        return [(2, 1, 6, "", (next(answers), port))]

    settings = replace(FAST, allowed=parse_networks(["127.0.0.2/32", "127.0.0.3/32"]))
    urls = [vetted.url(f"/ok/{i}", host="mirror.test") for i in range(5)]
    urls.append(vetted.url("/redirect/301?to=/ok/moved", host="mirror.test"))
    results, _ = check_urls(urls, settings, getaddrinfo=getaddrinfo)
    assert [r.status for r in results] == ["ok"] * 5 + ["redirected"]
    assert rebound.total == 0
    assert vetted.total == 7
    assert {r.host for r in vetted.log} == {f"mirror.test:{vetted.port}"}


def test_per_host_limit_measured_at_the_server(serve):
    server = serve(latency=0.1)
    urls = [server.url(f"/ok/{i}") for i in range(15)]
    results, stats = check_urls(urls, replace(FAST, per_host=3))
    assert all(r.status == "ok" for r in results)
    assert server.peak == 3  # reached, never exceeded
    assert stats.peak_per_host == {"127.0.0.1": 3}


def test_overall_concurrency_limit_across_hosts(serve):
    servers = [serve(f"127.0.0.{i}", latency=0.1) for i in (2, 3, 4)]
    urls = [s.url(f"/ok/{i}") for i in range(6) for s in servers]
    # A generous timeout: under load a 0.5 s one can expire, and the retry would overlap
    # the server's still-running first attempt (which the client no longer counts).
    settings = replace(FAST, per_host=4, concurrency=5, timeout=5.0)
    results, stats = check_urls(urls, settings)
    assert all(r.status == "ok" for r in results)
    assert peak_overlap([r for s in servers for r in s.log]) == 5
    assert max(s.peak for s in servers) <= 4
    assert stats.requests == len(urls)


def test_tls_uses_the_host_name_for_sni_while_connecting_to_the_vetted_address(serve, tmp_path):
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed") if _ci() else pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=pinned.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = serve("127.0.0.2", tls=(str(cert), str(key)))

    def getaddrinfo(host, port, **kw):
        return [(2, 1, 6, "", ("127.0.0.2", port))]

    settings = replace(FAST, retries=0)
    (result,), _ = check_urls(
        [server.url("/ok/1", host="pinned.test")], settings, getaddrinfo=getaddrinfo
    )
    # The self-signed certificate is rightly rejected, after a handshake for the real name.
    assert result.status == "error"
    assert result.detail.startswith("TLS:")
    assert "pinned.test" in server.server_names


def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


# Issue 13: one hostile server never aborts the run; scheduling; statuses.


@pytest.mark.parametrize(
    ("location", "detail"),
    [
        ("/caf%E9", "not UTF-8"),  # the single byte 0xE9
        ("http://[::1", "invalid URL"),
        ("http://[zz::1]/", "invalid URL"),
        ("http://127.0.0.1:99999/", "invalid URL"),
        ("http://127.0.0.1\\.example.org/", "ambiguous URL"),
    ],
)
def test_hostile_location_is_an_error_for_its_url_and_the_run_goes_on(serve, location, detail):
    server = serve()
    hostile = server.url("/rawlocation?to=" + quote(location, safe="%"))
    results, _ = check_urls([server.url("/ok/before"), hostile, server.url("/ok/after")], FAST)
    assert [r.status for r in results] == ["ok", "error", "ok"], results[1].detail
    assert detail in results[1].detail
    assert server.count("/ok/after") == 1


@pytest.mark.parametrize("value", ["²", "inf", "-1", "1e400", "9" * 5000, "Sat, 01 Mar 99999 x"])
def test_unusable_retry_after_falls_back_to_backoff(serve, value):
    server = serve()
    (result,), _ = check_urls([server.url("/flaky/1?n=2&after=" + quote(value))], FAST)
    assert result.status == "ok", result.detail
    assert result.attempts == 3  # HEAD 503, GET 503, then a GET after a short backoff


def test_an_unexpected_exception_in_one_check_is_contained(serve, monkeypatch):
    from aicatalog.linkcheck import classify

    real = classify.bot_wall

    def fails_on_teapots(status, headers, body):
        if status == 418:
            raise RuntimeError("a bug in one check")
        return real(status, headers, body)

    monkeypatch.setattr(classify, "bot_wall", fails_on_teapots)
    server = serve()
    urls = [server.url("/status/418/tea"), server.url("/ok/1"), server.url("/status/404/x")]
    results, _ = check_urls(urls, FAST)
    assert [r.status for r in results] == ["error", "ok", "broken"]
    assert "internal error while checking: RuntimeError: a bug in one check" in results[0].detail


@pytest.mark.parametrize(("code", "status"), [(199, "error"), (305, "broken"), (300, "broken")])
def test_only_2xx_is_ok(serve, code, status):
    result = check_one(serve().url(f"/status/{code}/x"), replace(FAST, retries=0))
    assert (result.status, result.http_status) == (status, code)


def test_addresses_embedding_loopback_are_refused_after_resolution(serve):
    server = serve()
    embedded = ["2002:7f00:1::1", "::ffff:7f00:1", "64:ff9b::7f00:1", "fec0::1", "168.63.129.16"]

    def getaddrinfo(host, port, **kw):
        family = 10 if ":" in embedded[int(host[1:].split(".")[0])] else 2
        return [(family, 1, 6, "", (embedded[int(host[1:].split(".")[0])], port))]

    urls = [server.url("/ok/1", host=f"h{i}.test") for i in range(len(embedded))]
    results, _ = check_urls(urls, replace(FAST, allowed=()), getaddrinfo=getaddrinfo)
    assert [r.status for r in results] == ["error"] * len(embedded)
    for result, reason in zip(
        results, ["6to4", "IPv4-mapped", "NAT64", "site-local", "Azure wire server"], strict=True
    ):
        assert result.detail.startswith("refused:") and reason in result.detail, result.detail
    assert server.total == 0


def test_a_hanging_request_holds_one_slot_not_the_host(serve):
    """After a 429 halves the host's limit, requests hanging for seconds must not keep the
    host's other URLs (and the rate-limited URL's own retry) waiting for their timeout."""
    server = serve(latency=0.05)
    hangs = [server.url("/hang/1"), server.url("/hang/2")]
    urls = [*hangs, server.url("/ratelimited/r?after=0.2")]
    urls += [server.url(f"/ok/{i}") for i in range(10)]
    settings = replace(FAST, timeout=2.5, retries=1, slow_after=0.5)
    results, _ = check_urls(urls, settings)
    assert [r.status for r in results] == ["timeout"] * 2 + ["ok"] * 11
    assert max(r.elapsed_ms for r in results[2:]) < 1500  # not 2.5 s behind the hanging ones
    assert server.peak <= settings.per_host


def test_a_retry_waiting_out_retry_after_holds_no_worker_or_slot(serve):
    server = serve(latency=0.05)
    flaky = [server.url(f"/flaky/{i}?n=2&after=1") for i in range(2)]
    urls = flaky + [server.url(f"/ok/{i}") for i in range(8)]
    results, _ = check_urls(urls, replace(FAST, concurrency=2, max_wait=2.0))
    assert all(r.status == "ok" for r in results), [r.detail for r in results]
    first = min(r.start for r in server.log)
    ok_starts = [r.start - first for r in server.log if r.path.startswith("/ok/")]
    # While both flaky URLs wait out their Retry-After, the other URLs are checked.
    assert max(ok_starts) < 0.9
    assert peak_overlap(server.log) <= 2


def test_every_urls_first_request_goes_before_the_next_requests_of_checks_under_way(serve):
    """A URL not started yet may be one that never answers, so it starts before a GET after a
    HEAD or a redirect hop, which follow quick answers (one request at a time here)."""
    server = serve(latency=0.02)
    urls = [server.url("/redirect/301?to=/ok/moved"), server.url("/headmissing/1")]
    urls += [server.url(f"/ok/{i}") for i in range(4)]
    results, _ = check_urls(urls, replace(FAST, per_host=1))
    assert [r.status for r in results] == ["redirected", "ok", "ok", "ok", "ok", "ok"]
    order = [(r.method, r.path) for r in sorted(server.log, key=lambda r: r.start)]
    assert order == [
        ("HEAD", "/redirect/301"),
        ("HEAD", "/headmissing/1"),
        *[("HEAD", f"/ok/{i}") for i in range(4)],
        ("HEAD", "/ok/moved"),
        ("GET", "/headmissing/1"),
    ]


def test_waiting_behind_the_hosts_other_urls_does_not_use_up_a_urls_time(serve):
    """The redirect hop waits for 30 other URLs (1.5 s at one at a time), three times the
    URL's whole budget (timeout 0.5 s, no retry): that wait is the host's, not the URL's."""
    server = serve(latency=0.05)
    urls = [server.url("/redirect/302?to=/ok/there")]
    urls += [server.url(f"/ok/{i}") for i in range(30)]
    settings = replace(FAST, per_host=1, retries=0)
    assert settings.url_budget() == 0.5
    results, _ = check_urls(urls, settings)
    assert [r.status for r in results] == ["ok"] * 31, results[0].detail
    assert results[0].elapsed_ms > 1500
