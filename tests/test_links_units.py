"""The link checker's pure parts: waits, bot-wall signatures, escaping, durations, cache, bounds."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from aicatalog.durations import parse_duration
from aicatalog.linkcheck import cache as cache_mod
from aicatalog.linkcheck.check import Settings, check_urls
from aicatalog.linkcheck.classify import Hop, bot_wall, final, moved_to
from aicatalog.linkcheck.guard import EVERYWHERE, AddressPolicy, parse_networks
from aicatalog.linkcheck.progress import Progress
from aicatalog.linkcheck.report import md
from aicatalog.linkcheck.results import Result
from aicatalog.linkcheck.retry import backoff
from aicatalog.retryafter import parse_retry_after as retry_after

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
    status, detail = final(200, None, [Hop(301, "https://b/"), Hop(302, "https://b/login")])
    assert status == "redirected" and "https://b/" in detail


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
    assert "<" not in cell and ">" not in cell
    assert "\\[link\\]\\(javascript:x\\)" in cell
    assert "\\*b\\*" in cell and "\\_i\\_" in cell and "\\`c\\`" in cell
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
    with pytest.raises(cache_mod.CacheError):
        cache_mod.save(bad, tmp_path / "cache.json" / "inside-a-file.json")


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
    assert text.endswith("\r\x1b[2K") and "\n" not in text


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
