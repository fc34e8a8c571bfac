"""The link checker's pure parts: waits, bot-wall signatures, escaping, durations, cache, bounds."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import os
import threading
import time
import traceback
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest

from aicatalog import urls as urls_mod
from aicatalog.durations import parse_duration
from aicatalog.linkcheck import cache as cache_mod
from aicatalog.linkcheck import run as run_mod
from aicatalog.linkcheck.check import Settings, check_urls, host_of
from aicatalog.linkcheck.classify import Hop, bot_wall, final, moved_to
from aicatalog.linkcheck.guard import (
    EVERYWHERE,
    AddressPolicy,
    RefusedAddress,
    Resolver,
    parse_networks,
)
from aicatalog.linkcheck.hosts import HostLimits, Need, Pending, Step
from aicatalog.linkcheck.progress import Progress
from aicatalog.linkcheck.report import FORMATS, Report, md, render
from aicatalog.linkcheck.results import (
    FAILING,
    REUSABLE,
    STATUS_TABLE,
    STATUSES,
    Result,
    Source,
    Status,
    Target,
)
from aicatalog.linkcheck.retry import backoff
from aicatalog.retryafter import HUGE, parse_retry_after
from aicatalog.retryafter import parse_retry_after as retry_after
from aicatalog.urls import ambiguous_host, url_problem

NOW = dt.datetime(2025, 3, 1, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 120 ", 120.0),
        ("Sat, 01 Mar 2025 12:00:30 GMT", 30.0),
        ("Sat, 01 Mar 2025 11:00:00 GMT", 0.0),  # in the past: retry now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header, seconds):
    assert retry_after(header, NOW) == seconds


def test_backoff_doubles_is_capped_and_jittered_within_half():
    assert backoff(1, 1.0, 60, lambda: 1.0) == 1.0
    assert backoff(3, 1.0, 60, lambda: 1.0) == 4.0
    assert backoff(3, 1.0, 60, lambda: 0.0) == 2.0
    assert backoff(10, 1.0, 60, lambda: 1.0) == 60


@pytest.mark.parametrize(
    ("status", "headers", "body", "wall"),
    [
        (403, {"cf-mitigated": "challenge"}, b"", "Cloudflare challenge"),
        (503, {"server": "cloudflare"}, b"<title>Just a moment...</title>", "Cloudflare challenge"),
        (403, {"x-datadome": "protected"}, b"", "DataDome bot protection"),
        (403, {"server": "AkamaiGHost"}, b"<h1>Access Denied</h1>", "Akamai bot protection"),
        (403, {}, b"<div class='g-recaptcha'>", "a CAPTCHA page"),
        (999, {}, b"", "bot wall (HTTP 999, as LinkedIn answers robots)"),
        # The site's own refusals are not bot walls: they stay broken.
        (403, {"server": "nginx"}, b"<h1>403 Forbidden</h1>", None),
        (503, {"server": "cloudflare"}, b"<h1>Service unavailable</h1>", None),
        (404, {"cf-mitigated": "challenge"}, b"", None),
    ],
)
def test_bot_walls_are_recognised_and_ordinary_refusals_are_not(status, headers, body, wall):
    assert bot_wall(status, headers, body) == wall


def test_classes_of_final_answers():
    assert final(200, None, []) == ("ok", "HTTP 200 OK")
    assert final(404, None, [])[0] == "broken"
    assert final(503, None, [])[0] == "broken"
    assert final(429, None, [])[0] == "blocked"
    assert final(403, "Cloudflare challenge", [])[0] == "blocked"
    assert final(200, None, [Hop(302, "https://a/x")])[0] == "ok"
    assert final(204, None, [])[0] == "ok"
    assert final(199, None, [])[0] == "error"
    assert final(100, None, [])[0] == "error"
    for code in (300, 304, 305, 306, 399):
        assert final(code, None, [])[0] == "broken", code
    assert final(305, None, [Hop(301, "https://b/")])[0] == "broken"
    status, detail = final(200, None, [Hop(301, "https://b/"), Hop(302, "https://b/login")])
    assert status == "redirected"
    assert "https://b/" in detail


def test_moved_to_stops_at_the_first_temporary_redirect():
    assert moved_to([Hop(301, "a"), Hop(308, "b"), Hop(302, "c"), Hop(301, "d")]) == "b"
    assert moved_to([Hop(302, "a"), Hop(301, "b")]) is None


def test_policy_permits_public_and_explicitly_allowed_addresses_only():
    policy = AddressPolicy(parse_networks(["10.1.0.0/16"]))
    allowed = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "10.1.2.3"]
    refused = ["10.2.0.1", "127.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1",
               "fe80::1", "224.0.0.1", "0.0.0.0", "100.64.0.1", "240.0.0.1"]  # fmt: skip
    assert all(policy.permits(ipaddress.ip_address(a)) for a in allowed)
    assert not any(policy.permits(ipaddress.ip_address(a)) for a in refused)
    assert all(AddressPolicy(EVERYWHERE).permits(ipaddress.ip_address(a)) for a in refused)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("30m", 1800),
        ("12h", 43200),
        ("1d", 86400),
        ("2w", 1209600),
        ("1.5h", 5400),
        ("0", 0),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "-1d", "1y", "", "1 d d"])
def test_non_durations_are_refused(text):
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_markdown_cells_are_inert():
    cell = md("https://x/a|b<img src=x onerror=alert(1)>[link](javascript:x)*b*_i_`c`\n#h")
    assert "|" not in cell.replace("&#124;", "")
    assert "<" not in cell
    assert ">" not in cell
    assert "\\[link\\]\\(javascript:x\\)" in cell
    assert "\\*b\\*" in cell
    assert "\\_i\\_" in cell
    assert "\\`c\\`" in cell
    assert "\n" not in cell


def _result(url: str, status: str, age: float, now: float) -> Result:
    return Result(url, status, 200, None, 1, 5, "HTTP 200 OK", now - age)  # type: ignore[arg-type]


def test_cache_reuses_recent_good_results_only(tmp_path: Path):
    now = time.time()
    results = [
        _result("https://a/", "ok", 10, now),
        _result("https://b/", "blocked", 10, now),
        _result("https://c/", "broken", 10, now),
        _result("https://d/", "ok", 7200, now),
    ]
    path = tmp_path / "cache.json"
    cache_mod.save(cache_mod.Cache({}).updated(results, now, max_age=86400), path)
    loaded = cache_mod.load(path)
    assert loaded.fresh("https://a/", now, 3600).from_cache  # type: ignore[union-attr]
    assert loaded.fresh("https://b/", now, 3600) is not None
    assert loaded.fresh("https://c/", now, 3600) is None  # failures are always rechecked
    assert loaded.fresh("https://d/", now, 3600) is None  # too old
    assert loaded.fresh("https://e/", now, 3600) is None
    # Entries too old to ever be reused are dropped on the next save.
    assert set(loaded.updated([], now, max_age=3600).entries) == {
        "https://a/",
        "https://b/",
        "https://c/",
    }


def test_failed_cache_write_leaves_the_previous_file_intact(tmp_path: Path):
    path = tmp_path / "cache.json"
    now = time.time()
    cache_mod.save(cache_mod.Cache({"https://a/": _result("https://a/", "ok", 0, now)}), path)
    before = path.read_bytes()
    unserialisable = _result("https://b/", "ok", 0, now)
    bad = cache_mod.Cache({"https://b/": Result(**{**unserialisable.__dict__, "detail": object()})})
    with pytest.raises(TypeError):
        cache_mod.save(bad, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]  # no temporary file left
    good = cache_mod.Cache({"https://a/": _result("https://a/", "ok", 0, now)})
    with pytest.raises(cache_mod.CacheError):
        cache_mod.save(good, tmp_path / "cache.json" / "inside-a-file.json")


def test_cache_of_another_shape_is_refused_with_a_reason(tmp_path: Path):
    path = tmp_path / "cache.json"
    path.write_text(json.dumps({"version": 1, "results": {"https://a/": {"status": "great"}}}))
    with pytest.raises(cache_mod.CacheError, match="not a link cache"):
        cache_mod.load(path)


def test_live_progress_redraws_one_line_and_clears_it():
    out = io.StringIO()
    progress = Progress(out, total=2, live=True)
    progress.update(_result("https://a/", "ok", 0, 0))
    progress.update(_result("https://b/", "broken", 0, 0))
    progress.close()
    text = out.getvalue()
    assert text.startswith("\r[###############---------------] 1/2, 0 not ok")
    assert "\r[##############################] 2/2, 1 not ok" in text
    assert text.endswith("\r\x1b[2K")
    assert "\n" not in text


def test_run_budget_grows_with_the_busiest_host():
    settings = Settings(concurrency=32, per_host=4, timeout=15, retries=2, max_wait=60)
    assert settings.url_budget() == 3 * 15 + 2 * 60
    assert settings.run_budget(Counter({"a": 4, "b": 4})) == 2 * settings.url_budget()
    assert settings.run_budget(Counter({"a": 40, "b": 1})) == 11 * settings.url_budget()
    assert (
        settings.run_budget(Counter({f"h{i}": 1 for i in range(64)})) == 3 * settings.url_budget()
    )


def test_run_ends_at_its_bound_even_when_name_resolution_hangs():
    release = threading.Event()

    def stuck_resolver(host, port, **kw):
        release.wait(30)  # outside any socket, so only the run's bound can stop it
        raise OSError("gave up")

    settings = Settings(timeout=0.2, retries=0, max_wait=0.1, allowed=EVERYWHERE)
    started = time.monotonic()
    try:
        results, stats = check_urls(["http://stuck.test/a", "http://stuck.test/b"], settings,
                                    getaddrinfo=stuck_resolver)  # fmt: skip
    finally:
        release.set()
    elapsed = time.monotonic() - started
    assert stats.bound_s == pytest.approx(2 * settings.url_budget())
    assert elapsed < stats.bound_s + 1.5
    assert [r.status for r in results] == ["timeout", "timeout"]
    assert all("time limit" in r.detail for r in results)


# Issue 13 and the link-checker parts of issue 11.

_V4_EMBEDDERS = {
    "::/96": lambda v4: v4,
    "::ffff:0:0/96": lambda v4: 0xFFFF << 32 | v4,
    "::ffff:0:0:0/96": lambda v4: 0xFFFF << 48 | v4,
    "64:ff9b::/96": lambda v4: 0x64FF9B << 96 | v4,
    "2002::/16": lambda v4: 0x2002 << 112 | v4 << 80 | 1,
    # Teredo: a public server (8.8.4.4) and the client, stored inverted.
    "2001::/32": lambda v4: 0x20010000 << 96 | 0x08080404 << 64 | (~v4 & 0xFFFFFFFF),
}


@pytest.mark.parametrize("row", urls_mod.REFUSED, ids=lambda row: str(row.network))
def test_every_row_of_the_refused_networks_table(row):
    net = row.network
    if row.embeds is None:
        samples = [net[0], net[-1], net[net.num_addresses // 2]]
        assert all(urls_mod.refusal(a) is not None for a in samples), samples
        more = [net[1], net[-2]] if net.num_addresses > 2 else []
        assert any(urls_mod.refusal(a) == row.reason for a in samples + more), row
        assert not AddressPolicy().permits(samples[-1])
        return
    embed = _V4_EMBEDDERS[str(net)]
    for inner, word in [("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("0.1.2.3", "this")]:
        address = ipaddress.IPv6Address(embed(int(ipaddress.IPv4Address(inner))))
        assert address in net
        why = urls_mod.refusal(address)
        assert why is not None and why.startswith(row.reason) and word in why, (address, why)
    public = ipaddress.IPv6Address(embed(int(ipaddress.IPv4Address("8.8.8.8"))))
    assert urls_mod.refusal(public) is None, public
    assert AddressPolicy().permits(public)


def test_the_table_covers_what_python_knows_and_more():
    refused = ["168.63.129.16", "192.0.0.192", "fec0::1", "2002:a00:1::", "3fff::1", "5f00::1",
               "100:0:0:1::1", "192.88.99.1", "64:ff9b:1::808:808", "fd00:ec2::254"]  # fmt: skip
    for text in refused:
        assert not urls_mod.ip_is_public(ipaddress.ip_address(text)), text
    public = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450::1"]
    for text in public:
        assert urls_mod.ip_is_public(ipaddress.ip_address(text)), text
    # Everything Python's ipaddress calls non-global is refused too (sampled per network).
    python = ipaddress.IPv4Address._constants._private_networks  # type: ignore[attr-defined]
    python += ipaddress.IPv6Address._constants._private_networks  # type: ignore[attr-defined]
    for net in python:
        assert urls_mod.refusal(net[0]) is not None, net


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1\\.example.org/",
        "https://example.org\\@evil.example/",
        "https://example.org/a\\b",
        "https:\\\\evil.example/",
        "https:evil.example/",
        "https:/evil.example/",
        "https://example%2eorg/",
        "https://evil%2Eexample.org/",
        "https://example\u3002org/",
    ],
)
def test_urls_browsers_and_urllib_read_differently_are_rejected(url):
    problem = url_problem(url)
    assert problem is not None, url
    assert any(w in problem[0] for w in ("backslash", "ambiguous", "host")), problem


def test_plain_urls_are_not_ambiguous():
    for url in ["https://example.org/", "https://Example.ORG:443/a?b=c#d", "https://bücher.de/",
                "https://[2606:4700::1111]/", "https://a.example.org/%5C"]:  # fmt: skip
        assert ambiguous_host(url) is None, url
    assert url_problem("https://example.org/path%5Cwith-escaped-backslash") is None


def test_a_refused_host_raises_a_fresh_exception_each_time():
    """The resolver keeps outcomes, not exception instances: re-raising one instance grew its
    traceback with every raise (40,000 URLs to one refused host: 491 MB)."""
    resolver = Resolver(AddressPolicy())
    depths = []
    tracemalloc.start()
    try:
        for i in range(3000):
            try:
                resolver.vetted("127.0.0.1", 80)
            except RefusedAddress as exc:
                depths.append(len(traceback.extract_tb(exc.__traceback__)))
            if i == 100:
                base, _ = tracemalloc.get_traced_memory()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert len(depths) == 3000 and depths[0] == depths[-1]
    assert grown < 200_000


def test_every_status_has_exactly_one_row():
    assert set(get_args(Status)) == set(STATUS_TABLE) == set(STATUSES)
    assert {s for s, row in STATUS_TABLE.items() if row.failing} == FAILING
    assert {s for s, row in STATUS_TABLE.items() if row.reusable} == REUSABLE
    ranks = [row.problem_rank for row in STATUS_TABLE.values() if row.problem_rank is not None]
    assert sorted(ranks) == list(range(len(STATUSES) - 1))  # every class but ok is listed
    assert all(row.label for row in STATUS_TABLE.values())


def test_a_report_lists_every_class_in_table_order():
    now = time.time()
    checked = [(Target(f"https://{s}/", (Source("f.yml", 1, "homepage"),)),
                _result(f"https://{s}/", s, 0, now)) for s in STATUSES]  # fmt: skip
    report = Report(checked, 1.0)
    listed = [r.status for _, r in report.problems()]
    assert listed == sorted(
        (s for s in STATUSES if s != "ok"), key=lambda s: STATUS_TABLE[s].problem_rank or 0
    )
    for fmt in FORMATS:
        assert render(report, fmt)
    assert all(row.label in render(report, "markdown") for row in STATUS_TABLE.values())


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("²", None),  # str.isdigit() says yes; float() says no
        ("٣", None),  # a digit, but not an ASCII one
        ("inf", None),
        ("nan", None),
        ("1e3", None),
        ("1.5", None),
        ("+5", None),
        ("-5", None),
        ("0", 0.0),
        ("007", 7.0),
        ("9" * 5000, HUGE),  # int() of 5,000 digits raises; this is simply "very long"
        ("99999999", 99999999.0),
        ("99999999999", HUGE),
        ("Sat, 01 Mar 99999 12:00:00 GMT", None),
        ("Sat, 01 Mar 2025 12:00:30 +9999", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", HUGE),
        ("Sat, 01 Mar 2025 12:00:30", 30.0),
        ("\x00", None),
    ],
)
def test_retry_after_is_robust(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"version": 1, "results": {"https://caf\xe9/": {}}}', "not a link cache"),
        (b"\xff\xfe{\x00}\x00", "not a link cache"),
        (b"[]", "not a link cache"),
        (b'{"version": 1, "results": []}', "not a link cache"),
    ],
)
def test_a_cache_that_cannot_be_read_is_a_cache_error(tmp_path: Path, raw, reason):
    path = tmp_path / "cache.json"
    path.write_bytes(raw)
    with pytest.raises(cache_mod.CacheError, match=reason):
        cache_mod.load(path)


def test_a_cache_symlink_is_never_followed(tmp_path: Path):
    real = tmp_path / "real.json"
    now = time.time()
    cache_mod.save(cache_mod.Cache({"https://a/": _result("https://a/", "ok", 0, now)}), real)
    before = real.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(cache_mod.CacheError, match="symbolic link"):
        cache_mod.load(link)
    with pytest.raises(cache_mod.CacheError, match="symbolic link"):
        cache_mod.save(cache_mod.Cache({}), link)
    assert real.read_bytes() == before and link.is_symlink()
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "elsewhere" / "deep" / "cache.json")
    with pytest.raises(cache_mod.CacheError, match="symbolic link"):
        cache_mod.load(dangling)
    with pytest.raises(cache_mod.CacheError):
        cache_mod.save(cache_mod.Cache({}), dangling)
    assert not (tmp_path / "elsewhere").exists()


def test_a_cache_in_a_missing_folder_creates_no_folder(tmp_path: Path):
    with pytest.raises(cache_mod.CacheError, match="cannot write"):
        cache_mod.save(cache_mod.Cache({}), tmp_path / "new" / "cache.json")
    assert not (tmp_path / "new").exists()


def test_a_fifo_as_cache_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "cache.json"
    os.mkfifo(fifo)
    with pytest.raises(cache_mod.CacheError, match="regular file"):
        cache_mod.load(fifo)


def test_prepare_keeps_this_shards_targets_and_skips_fresh_cached_ones():
    now = time.time()
    targets = [Target(f"https://h{i % 7}.example/{i}", (Source("l", i, "url"),)) for i in range(70)]
    cache = cache_mod.Cache({targets[0].url: _result(targets[0].url, "ok", 10, now)})
    whole = run_mod.prepare(targets, cache, now, max_age=3600)
    assert set(whole.cached) == {targets[0].url} and len(whole.todo) == 69
    parts = [run_mod.prepare(targets, cache, now, 3600, run_mod.Shard(i, 3)) for i in (1, 2, 3)]
    urls = [t.url for part in parts for t in part.targets]
    assert sorted(urls) == sorted(t.url for t in targets)  # every URL in exactly one shard
    for part in parts:
        hosts = {host_of(t.url) for t in part.targets}
        assert not any(
            host_of(t.url) in hosts for other in parts if other is not part for t in other.targets
        )


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "a/b", "1", "1/2/3", "²/3", "-1/2"])
def test_bad_shards_are_refused(text):
    with pytest.raises(ValueError, match="i"):
        run_mod.parse_shard(text)


def test_the_validator_rejects_backslashes_and_refused_addresses(make_catalog):
    from aicatalog.workspace import load_workspace
    from tests.helpers import valid_entry

    links = {
        "homepage": "https://127.0.0.1\\.example.org/",
        "repository": "https://[2002:7f00:1::]/x",
    }
    root = make_catalog({"alpha": valid_entry(links=links)})
    messages = [d.text() for d in load_workspace(root).diagnostics if d.severity == "error"]
    assert any("homepage" in m and "backslash" in m for m in messages), messages
    assert any("repository" in m and "not a public address" in m for m in messages), messages


def test_the_host_with_the_most_urls_waiting_goes_first():
    """A run ends when its busiest host is done, so that host is served before the others
    (round-robin would hand out a.example's only URL first)."""
    limits = HostLimits(per_host=2, concurrency=2)
    items = [(0, "a.example"), (1, "b.example"), (2, "b.example"), (3, "b.example")]
    pending = Pending(items, limits)
    deadline = time.monotonic() + 5
    first = pending.take(deadline)
    second = pending.take(deadline)
    assert first is not None and second is not None
    assert [(first.index, first.host), (second.index, second.host)] == [
        (1, "b.example"),
        (2, "b.example"),
    ]


def test_every_url_is_handed_out_once_whatever_the_queue_lengths():
    limits = HostLimits(per_host=1)
    hosts = ["a", "b", "b", "c", "c", "c", "a", "d"]
    pending = Pending(enumerate(hosts), limits)
    seen = []
    while (job := pending.take(time.monotonic() + 1)) is not None:
        seen.append(job.index)
        limits.release(job.host, job.token)
        pending.finish()
    assert sorted(seen) == list(range(len(hosts)))
    assert hosts[seen[0]] == "c"


def _parked() -> Step:
    """A stand-in for a check under way (Pending only stores and hands back the generator)."""
    yield Need("a", 0.0, retry=False)
    return Result("https://a/", "ok", 200, None, 2, 0, "", 0.0)


def test_retries_go_first_then_urls_not_started_then_other_next_requests():
    """A retry has already waited out one answer; a GET after HEAD or a redirect hop follows a
    quick answer, while a URL not started yet may never answer: it should start soonest."""
    limits = HostLimits(per_host=1)
    pending = Pending([(0, "a"), (1, "a")], limits)
    deadline = time.monotonic() + 5
    order = []
    job = pending.take(deadline)
    assert job is not None and job.step is None
    order.append(job.index)
    follow_up, retry, retry_later = _parked(), _parked(), _parked()
    pending.park(0, follow_up, Need("a", 0.0, retry=False))
    pending.park(0, retry_later, Need("a", time.monotonic() + 0.3, retry=True))
    pending.park(0, retry, Need("a", 0.0, retry=True))
    limits.release("a", job.token)
    handed = []
    for _ in range(4):
        job = pending.take(deadline)
        assert job is not None
        handed.append(job.step or job.index)
        limits.release(job.host, job.token)
    assert handed == [retry, 1, follow_up, retry_later]


def test_a_parked_retry_is_not_handed_out_before_its_time():
    limits = HostLimits(per_host=1)
    pending = Pending([(0, "a")], limits)
    job = pending.take(time.monotonic() + 5)
    assert job is not None
    limits.release("a", job.token)
    at = time.monotonic() + 0.3
    pending.park(0, _parked(), Need("a", at, retry=True))
    again = pending.take(time.monotonic() + 5)
    assert again is not None and time.monotonic() >= at


def test_a_retry_due_on_a_full_host_waits_without_spinning():
    """The retry is due but its host's only slot is busy: the worker sleeps until a slot
    frees (here: until its deadline), it does not poll."""
    limits = HostLimits(per_host=1)
    pending = Pending([(0, "a")], limits)
    job = pending.take(time.monotonic() + 5)
    assert job is not None  # holds a's only slot from here on
    pending.park(0, _parked(), Need("a", time.monotonic(), retry=True))
    cpu = time.process_time()
    assert pending.take(time.monotonic() + 0.5) is None
    assert time.process_time() - cpu < 0.1
