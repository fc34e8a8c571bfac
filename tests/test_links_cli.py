"""`aicatalog links` end to end: formats, exit codes, cache, pull-request mode, bad usage."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import pytest
import yaml
from click.testing import CliRunner

from aicatalog.cli import cli
from aicatalog.linkcheck import targets
from aicatalog.workspace import load_or_raise
from tests.helpers import REPO, linked_entry, valid_entry
from tests.linkserver import LinkServer

FAST = ["--timeout", "0.5", "--retries", "1"]


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer("127.0.0.1") as running:
        yield running


@pytest.fixture
def url_list(tmp_path: Path) -> Callable[..., Path]:
    """url_list(url, ...) -> a URL list file, one a line, with a comment and a blank line."""

    def write(*urls: str) -> Path:
        path = tmp_path / "urls.txt"
        path.write_text("# links to check\n\n" + "\n".join(urls) + "\n", encoding="utf-8")
        return path

    return write


def run(*args: str | Path):
    return CliRunner().invoke(cli, ["links", *map(str, args)], catch_exceptions=False)


def test_json_report_has_exactly_the_documented_shape(server, url_list):
    urls = url_list(server.url("/ok/1"), server.url("/status/404/x"), server.url("/ok/1"))
    result = run("--urls", urls, "--format", "json", "--allow-private", *FAST)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"summary", "results"}
    summary = data["summary"]
    assert set(summary) == {
        "total", "ok", "redirected", "broken", "blocked", "timeout", "error", "elapsed_s"
    }  # fmt: skip
    assert (summary["total"], summary["ok"], summary["broken"]) == (2, 1, 1)
    assert isinstance(summary["elapsed_s"], float)
    ok, broken = data["results"]
    assert set(ok) == {
        "url", "status", "http_status", "final_url", "attempts", "elapsed_ms", "detail", "sources"
    }  # fmt: skip
    assert ok["sources"] == [
        {"file": str(urls), "line": 3, "field": "url"},
        {"file": str(urls), "line": 5, "field": "url"},
    ]
    assert (broken["status"], broken["http_status"], broken["final_url"]) == ("broken", 404, None)
    assert broken["attempts"] == 2
    assert isinstance(broken["elapsed_ms"], int)
    assert server.count("/ok/1", "HEAD") == 1  # used twice, checked once


def test_warnings_alone_exit_zero(server, url_list):
    urls = url_list(
        server.url("/ok/1"), server.url("/redirect/301?to=/ok/2"), server.url("/challenge/1")
    )
    result = run("--urls", urls, "--allow-private", *FAST)
    assert result.exit_code == 0, result.output
    assert f"{urls}:4: url: redirected: " in result.stdout
    assert f"{urls}:5: url: blocked: " in result.stdout
    assert "3 URLs checked" in result.stdout


def test_github_format_annotates_each_place_with_error_or_warning(server, url_list):
    urls = url_list(server.url("/status/410/gone"), server.url("/challenge/1"))
    result = run("--urls", urls, "--format", "github", "--allow-private", *FAST)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    path = str(urls).replace(":", "%3A")
    assert lines[0].startswith(f"::error file={path},line=3,col=1::url: broken: ")
    assert lines[1].startswith(f"::warning file={path},line=4,col=1::url: blocked: ")


def test_markdown_summary_escapes_what_strangers_wrote(server, url_list):
    hostile = server.url("/status/404/a|b<script>alert(1)</script>*x*")
    result = run("--urls", url_list(hostile), "--format", "markdown", "--allow-private", *FAST)
    assert result.exit_code == 1
    table_row = next(line for line in result.stdout.splitlines() if line.startswith("| broken"))
    assert "<script>" not in result.stdout
    assert "&#60;script&#62;" in table_row
    assert table_row.count("|") == 5  # four cells: the URL's pipe did not split one
    assert "\\*x\\*" in table_row


def test_text_report_shows_control_characters_escaped(server, url_list):
    result = run("--urls", url_list(server.url("/status/404/\x1b[31mred")), "--allow-private")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout


def test_plain_progress_lines_when_not_a_terminal(server, url_list):
    urls = url_list(*(server.url(f"/ok/{i}") for i in range(20)))
    result = run("--urls", urls, "--allow-private", *FAST)
    assert result.exit_code == 0
    progress = [line for line in result.stderr.splitlines() if line.startswith("checked ")]
    assert progress[-1] == "checked 20/20 URLs, 0 not ok"
    assert len(progress) == 10  # one line each tenth of the way, no carriage returns
    assert "\r" not in result.stderr


def test_private_addresses_are_refused_without_allow_private(server, url_list):
    result = run("--urls", url_list(server.url("/ok/1")), *FAST)
    assert result.exit_code == 1
    assert "non-public address" in result.stdout
    assert server.total == 0


def test_allow_network_lifts_the_guard_for_that_network_only(server, url_list):
    urls = url_list(server.url("/ok/1"))
    assert run("--urls", urls, "--allow-network", "127.0.0.2/32", *FAST).exit_code == 1
    assert run("--urls", urls, "--allow-network", "127.0.0.1/32", *FAST).exit_code == 0
    assert server.total == 1


def test_cache_makes_a_clean_rerun_send_no_requests(server, url_list, tmp_path):
    cache = tmp_path / "links-cache.json"
    urls = url_list(server.url("/ok/1"), server.url("/redirect/308?to=/ok/2"))
    first = run("--urls", urls, "--cache", cache, "--allow-private", *FAST)
    assert first.exit_code == 0
    sent = server.total
    assert sent > 0
    assert cache.is_file()
    second = run("--urls", urls, "--cache", cache, "--format", "json", "--allow-private", *FAST)
    assert second.exit_code == 0
    assert server.total == sent  # not a single request
    results = json.loads(second.stdout)["results"]
    assert [r["status"] for r in results] == ["ok", "redirected"]
    assert all(r["attempts"] == 0 and "(cached," in r["detail"] for r in results)


def test_cache_rechecks_failures_and_expired_results(server, url_list, tmp_path):
    cache = tmp_path / "cache.json"
    urls = url_list(server.url("/ok/1"), server.url("/status/404/x"))
    assert run("--urls", urls, "--cache", cache, "--allow-private", *FAST).exit_code == 1
    assert run("--urls", urls, "--cache", cache, "--allow-private", *FAST).exit_code == 1
    assert server.count("/ok/1") == 1
    assert server.count("/status/404/x") == 4  # HEAD + GET, on both runs
    args = ("--urls", urls, "--cache", cache, "--max-age", "0s", "--allow-private", *FAST)
    assert run(*args).exit_code == 1
    assert server.count("/ok/1") == 2


def test_unreadable_cache_is_a_warning_and_is_replaced(server, url_list, tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    result = run("--urls", url_list(server.url("/ok/1")), "--cache", cache, "--allow-private")
    assert result.exit_code == 0
    assert "is not a link cache" in result.stderr
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == 1


def test_interrupted_run_keeps_finished_results_in_a_valid_cache(server, url_list, tmp_path):
    cache = tmp_path / "cache.json"
    urls = url_list(server.url("/ok/1"), server.url("/ok/2"), server.url("/hang/1"))
    command = [str(Path(sys.executable).parent / "aicatalog"), "links", "--urls", str(urls)]
    proc = subprocess.Popen(
        [*command, "--cache", str(cache), "--allow-private", "--timeout", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while server.count("/hang/1") == 0 or server.count("/ok/2") == 0:
        assert time.monotonic() < deadline
        assert proc.poll() is None
        time.sleep(0.02)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    kept = json.loads(cache.read_text(encoding="utf-8"))["results"]
    assert set(kept) == {server.url("/ok/1"), server.url("/ok/2")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--per-host", "0"], "--per-host"),
        (["--max-age", "soon"], "not a duration"),
        (["--allow-network", "intranet"], "--allow-network"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(url_list, args, message):
    result = run("--urls", url_list("https://example.org/"), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_urls_cannot_be_combined_with_changed_since(url_list):
    result = run("--urls", url_list("https://example.org/"), "--changed-since", "HEAD")
    assert result.exit_code == 2
    assert "cannot be combined" in result.stderr


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def entry(name: str) -> dict[str, Any]:
    repo = f"https://github.com/x/{name}"
    lic = {"code": "MIT", "source": f"{repo}/blob/HEAD/LICENSE"}
    return linked_entry(f"https://{name}.example.org/", repo, name=name.title(), license=lic)


@pytest.fixture
def repo(make_catalog: Callable[..., Path]) -> Path:
    """A git repository holding a catalog of three committed entries."""
    root = make_catalog({"alpha": entry("alpha"), "beta": entry("beta"), "gamma": entry("gamma")})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "catalog")
    return root


def test_changed_since_selects_changed_and_new_entries_only(repo, make_catalog):
    beta = repo / "projects" / "beta.yml"
    beta.write_text(beta.read_text().replace("https://beta.example.org/", "https://b.example.org/"))
    (repo / "projects" / "gamma.yml").unlink()
    alpha = (repo / "projects" / "alpha.yml").read_text()
    (repo / "projects" / "delta.yml").write_text(
        alpha.replace("alpha", "delta").replace("Alpha", "Delta")
    )
    changed = targets.changed_entries(repo, "HEAD")
    assert changed == [repo / "projects" / "beta.yml", repo / "projects" / "delta.yml"]

    picked = targets.from_catalog(load_or_raise(repo), changed)
    assert {t.url for t in picked} == {
        "https://b.example.org/", "https://github.com/x/beta",
        "https://github.com/x/beta/blob/HEAD/LICENSE", "https://delta.example.org/",
        "https://github.com/x/delta", "https://github.com/x/delta/blob/HEAD/LICENSE",
    }  # fmt: skip
    homepage = next(t for t in picked if t.url == "https://b.example.org/")
    (source,) = homepage.sources
    assert source.field == "links.homepage"
    assert source.file.endswith("projects/beta.yml")
    lines = beta.read_text().splitlines()
    assert "https://b.example.org/" in lines[source.line - 1]


def test_changed_since_with_no_changes_checks_nothing(repo):
    result = run("--catalog", repo, "--changed-since", "HEAD")
    assert result.exit_code == 0
    assert "0 URLs checked" in result.stdout


def test_changed_since_an_unknown_ref_is_bad_usage(repo):
    result = run("--catalog", repo, "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a commit" in result.stderr


def test_invalid_catalog_is_reported_not_checked(make_catalog):
    root = make_catalog({"alpha": valid_entry(kind="spaceship")})
    result = run("--catalog", root)
    assert result.exit_code == 1
    assert "alpha.yml:" in result.stderr
    assert "kind" in result.stderr
    assert "aicatalog validate" in result.stderr
    assert "Traceback" not in result.output


def test_weekly_workflow_checks_everything_and_only_its_issue_job_may_write():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "links.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "1"]  # weekly
    assert workflow["permissions"] == {}
    check, issue = workflow["jobs"]["check"], workflow["jobs"]["issue"]
    assert check["permissions"] == {"contents": "read"}
    assert issue["permissions"] == {"issues": "write"}
    run = next(s["run"] for s in check["steps"] if s.get("id") == "links")
    command = next(line for line in run.splitlines() if "aicatalog links" in line).split(">")[0]
    args = command.split()[2:]
    # The workflow's command line is one this command accepts.
    links = cli.get_command(click.Context(cli), "links")
    assert links is not None
    options = links.make_context("links", args).params
    assert (options["fmt"], str(options["json_file"])) == ("markdown", "links.json")
    assert not any("checkout" in s.get("uses", "") for s in issue["steps"])  # no repository code


def test_weekly_workflow_tells_broken_links_from_a_crashed_checker():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "links.yml").read_text())
    check, issue = workflow["jobs"]["check"], workflow["jobs"]["issue"]
    assert "needs.check.outputs.status == '1'" in issue["if"]  # the issue: broken links only
    steps = {s.get("name"): s for s in check["steps"]}
    broken = steps["Fail when a link is broken, timed out or in error"]
    crashed = steps["Fail when the link checker itself failed"]
    assert broken["if"] == "steps.links.outputs.status == '1'"
    assert "!= '1'" in crashed["if"] and "!= '0'" in crashed["if"]
    assert "3) echo" in crashed["run"] and "not a broken link" in crashed["run"]


# Issue 13: one hostile server never costs the report; crashes are not "links broken".


def test_hostile_servers_cost_only_their_own_urls(server, url_list, tmp_path):
    cache = tmp_path / "cache.json"
    hostile = [
        server.url("/rawlocation?to=/caf%E9"),
        server.url("/rawlocation?to=" + quote("http://[::1", safe="")),
        server.url("/rawlocation?to=" + quote("http://[zz::1]/", safe="")),
        server.url("/flaky/x?n=2&after=" + quote("²")),
    ]
    good = [server.url("/ok/1"), server.url("/ok/2")]
    urls = url_list(*good, *hostile)
    args = ("--urls", urls, "--format", "json", "--cache", cache, "--allow-private", *FAST)
    result = run(*args)
    assert result.exit_code == 1, result.output  # error results, not a crash
    statuses = {r["url"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert [statuses[u] for u in good + hostile] == ["ok", "ok", "error", "error", "error", "ok"]
    assert set(json.loads(cache.read_text(encoding="utf-8"))["results"]) >= set(good)


def test_a_crash_exits_3_not_1(server, url_list, monkeypatch):
    from aicatalog.linkcheck import command

    def broken_render(report, fmt):
        raise RuntimeError("a bug in a report format")

    monkeypatch.setattr(command, "render", broken_render)
    result = run("--urls", url_list(server.url("/ok/1")), "--allow-private", *FAST)
    assert result.exit_code == 3
    assert "RuntimeError: a bug in a report format" in result.stderr
    assert "internal error" in result.stderr and "not a broken link" in result.stderr


def test_a_report_that_cannot_be_written_exits_3(server, url_list, tmp_path):
    args = ("--urls", url_list(server.url("/ok/1")), "--allow-private", *FAST)
    result = run(*args, "--json-file", tmp_path / "missing" / "links.json")
    assert result.exit_code == 3
    assert "cannot write" in result.stderr


def test_help_names_every_exit_status():
    text = " ".join(run("--help").stdout.split())
    assert "1 otherwise; 2 on bad usage; 3 on an internal error" in text


def test_a_dangling_cache_symlink_is_a_warning_and_creates_nothing(server, url_list, tmp_path):
    link = tmp_path / "cache.json"
    link.symlink_to(tmp_path / "elsewhere" / "deep" / "cache.json")
    result = run("--urls", url_list(server.url("/ok/1")), "--cache", link, "--allow-private")
    assert result.exit_code == 0, result.output
    assert "symbolic link" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert link.is_symlink()


@pytest.mark.parametrize("raw", [b"[" * 200_000 + b"]" * 200_000, b"\xff\xfe\x00not utf-8"])
def test_an_unreadable_cache_is_a_warning_not_a_traceback(server, url_list, tmp_path, raw):
    cache = tmp_path / "cache.json"
    cache.write_bytes(raw)
    result = run("--urls", url_list(server.url("/ok/1")), "--cache", cache, "--allow-private")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "Traceback" not in result.output


@pytest.fixture
def hosts() -> Iterator[list[LinkServer]]:
    servers = [LinkServer(f"127.0.0.{i}") for i in range(2, 8)]
    yield servers
    for running in servers:
        running.close()


def test_shards_split_by_host_and_merge_into_the_whole_report(hosts, url_list, tmp_path):
    urls = [s.url(p) for s in hosts for p in ("/ok/a", "/ok/b", "/status/404/c")]
    listing = url_list(*urls)
    whole = json.loads(run("--urls", listing, "--format", "json", "--allow-private").stdout)
    parts = []
    for i in (1, 2, 3):
        part = tmp_path / f"links-{i}.json"
        args = ("--urls", listing, "--shard", f"{i}/3", "--json-file", part, "--allow-private")
        assert run(*args).exit_code in (0, 1)
        parts.append(json.loads(part.read_text(encoding="utf-8")))
    seen = [r["url"] for part in parts for r in part["results"]]
    assert sorted(seen) == sorted(urls)  # each URL checked by exactly one shard
    for part in parts:  # and each host wholly in one shard
        netlocs = {r["url"].split("/")[2] for r in part["results"]}
        assert all(r["url"].split("/")[2] not in netlocs for o in parts if o is not part
                   for r in o["results"])  # fmt: skip
    files = [tmp_path / f"links-{i}.json" for i in (1, 2, 3)]
    merged = run("--merge", *files, "--format", "json")
    assert merged.exit_code == 1  # the 404s are in it
    data = json.loads(merged.stdout)
    summary = {k: v for k, v in data["summary"].items() if k != "elapsed_s"}
    assert summary == {k: v for k, v in whole["summary"].items() if k != "elapsed_s"}
    assert sorted(r["url"] for r in data["results"]) == sorted(urls)
    markdown = run("--merge", *files, "--format", "markdown")
    assert "| 18 | 12 | 0 | 6 |" in markdown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--merge"], "needs the JSON reports"),
        (["--shard", "3/2"], "between 1 and n"),
        (["--shard", "x"], "is not i/n"),
    ],
)
def test_shard_and_merge_usage_errors(url_list, args, message):
    result = run(*args, "--urls", url_list("https://example.org/"))
    assert result.exit_code == 2
    assert message in result.output


def test_merge_refuses_files_that_are_not_reports(tmp_path):
    bad = tmp_path / "bad.json"
    for raw in (b"{}", b"[" * 100_000, b"\xff", b'{"summary": {}, "results": [1]}'):
        bad.write_bytes(raw)
        result = run("--merge", bad)
        assert result.exit_code == 2, raw
        assert "bad.json" in result.output and "REPORTS" in result.output, result.output
    assert run(bad).exit_code == 2  # report files without --merge
