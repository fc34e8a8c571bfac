"""Whatever bytes a pull request brings, loading and validation end in a clean report."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aicatalog.diagnostics import Diagnostic
from aicatalog.validate import load_schema
from aicatalog.workspace import load_workspace
from aicatalog.yamlfile import parse_yaml

from .helpers import CATALOG, dump_entry, valid_entry

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
)
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog folder for one fuzzed entry (pytest removes it, unlike a bare mkdtemp)."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "projects").mkdir()
    for name in ("schema.json", "categories.yml", "domains.yml"):
        shutil.copy(CATALOG / name, folder / name)
    return folder


def check_clean(root: Path, raw: bytes) -> list[Diagnostic]:
    """Load a one-entry catalog holding `raw`; assert the outcome is a well-formed report."""
    (root / "projects" / "fuzzed.yml").write_bytes(raw)
    result = load_workspace(root, today=TODAY)
    for d in result.diagnostics:
        assert d.path.endswith("fuzzed.yml")
        assert d.line >= 1
        assert d.col >= 1
        assert d.severity in ("error", "warning")
        assert d.message
        assert "\n" not in d.text()
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert (result.catalog is None) == bool(errors)
    return result.diagnostics


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(root: Path, raw: bytes) -> None:
    check_clean(root, raw)


yaml_text = st.text(alphabet=string.printable + "äß€\u2028\ufeff", max_size=400)


@FUZZ
@given(yaml_text)
def test_arbitrary_text(root: Path, text: str) -> None:
    check_clean(root, text.encode("utf-8", "surrogatepass"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates().map(str),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=6),
    ),
    max_leaves=30,
)


@FUZZ
@given(documents)
def test_arbitrary_yaml_documents(root: Path, doc: Any) -> None:
    check_clean(root, yaml.safe_dump(doc, allow_unicode=True).encode())


FIELDS = [
    *valid_entry(),
    *("tags", "domains", "related", "status", "first_release", "steward"),
    *("programming_languages", "links", "license"),
]


@FUZZ
@given(st.sampled_from(FIELDS), documents)
def test_mutated_valid_entries(root: Path, field: str, value: Any) -> None:
    entry = valid_entry()
    entry[field] = value
    check_clean(root, dump_entry(entry).encode())


@FUZZ
@given(st.data())
def test_mutated_nested_fields(root: Path, data: st.DataObject) -> None:
    entry = valid_entry()
    part = data.draw(st.sampled_from(["links", "license"]))
    key = data.draw(st.sampled_from(["homepage", "repository", "code", "weights", "source", "x"]))
    entry[part] = {**entry[part], key: data.draw(documents)}
    check_clean(root, dump_entry(entry).encode())


@FUZZ
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=400))
def test_byte_flips_in_a_valid_file(root: Path, noise: bytes, at: int) -> None:
    raw = dump_entry(valid_entry()).encode()
    at = min(at, len(raw))
    check_clean(root, raw[:at] + noise + raw[at:])


def test_the_valid_base_entry_is_clean(root: Path) -> None:
    """Guards the fuzz tests: the entry they mutate starts out valid."""
    assert check_clean(root, dump_entry(valid_entry()).encode()) == []


def test_deep_nesting_is_a_report_not_a_crash() -> None:
    doc = parse_yaml(b"a: " + b"[" * 20000 + b"]" * 20000, "deep.yml")
    assert doc.problems
    assert doc.problems[0].path == "deep.yml"


@FUZZ
@given(st.sampled_from(FIELDS), documents)
def test_fast_and_explaining_schema_validators_agree(field: str, value: Any) -> None:
    """The fast path may skip jsonschema only when jsonschema would find nothing."""
    schema = load_schema((CATALOG / "schema.json").resolve())
    entry = valid_entry()
    entry[field] = value
    data = yaml.safe_load(yaml.safe_dump(entry))
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    assert schema.is_valid(data) == (not list(schema.explain.iter_errors(data)))


# The link checker's parsers of strangers' input (issue 13): never an exception.

_RETRY_AFTER_NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def _cache_file(doc: Any) -> bytes:
    import json

    return json.dumps({"version": 1, "results": {"https://a/": doc}}).encode()


@FUZZ
@given(st.one_of(st.text(max_size=80), st.from_regex(r"\A[0-9²³¹٣ .eE+-]{0,30}\Z")))
def test_retry_after_is_none_or_a_finite_wait(text: str) -> None:
    from aicatalog.retryafter import HUGE, parse_retry_after

    wait = parse_retry_after(text, _RETRY_AFTER_NOW)
    assert wait is None or 0.0 <= wait <= HUGE


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=400),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=8), inner, max_size=3)
            ),
            max_leaves=20,
        ).map(_cache_file),
    )
)
def test_any_link_cache_file_loads_or_is_a_cache_error(root: Path, raw: bytes) -> None:
    import contextlib

    from aicatalog.linkcheck import cache

    path = root / "links-cache.json"
    path.write_bytes(raw)
    with contextlib.suppress(cache.CacheError):
        cache.load(path)


@FUZZ
@given(st.text(alphabet=st.sampled_from("htps:/\\@[]%2e.:exampl0129zZ#?\t\u3002"), max_size=40))
def test_url_checks_never_raise(url: str) -> None:
    from aicatalog.urls import ambiguous_host, url_problem

    url_problem(url)
    ambiguous_host(url)


@FUZZ
@given(st.integers(0, 2**128 - 1), st.integers(0, 2**32 - 1))
def test_every_address_is_refused_or_public(v6: int, v4: int) -> None:
    import ipaddress

    from aicatalog.urls import refusal

    for address in (ipaddress.IPv6Address(v6), ipaddress.IPv4Address(v4)):
        why = refusal(address)
        assert why is None or why


# The link checker's scheduler (hosts.Pending): whatever checks do between their requests.

_PLANS = st.lists(
    st.tuples(
        st.sampled_from("abc"),  # the URL's host
        # what each of its requests is followed by: a retry (due now or a little later),
        # a next request to some host, or nothing more (the check is done)
        st.lists(
            st.one_of(
                st.tuples(st.just("retry"), st.sampled_from("abc"), st.sampled_from([0.0, 0.002])),
                st.tuples(st.just("next"), st.sampled_from("abc"), st.just(0.0)),
            ),
            max_size=3,
        ),
    ),
    min_size=1,
    max_size=12,
)


@FUZZ
@given(_PLANS, st.integers(1, 3), st.integers(1, 4))
def test_the_scheduler_hands_out_every_request_once_within_the_limits(
    plans: list[tuple[str, list[tuple[str, str, float]]]], per_host: int, concurrency: int
) -> None:
    """Driven the way workers drive it, Pending hands out each check's requests in order,
    never beyond a limit, and ends (returns None) exactly when every check is done."""
    import time

    from aicatalog.linkcheck.hosts import HostLimits, Job, Need, Pending, Step
    from aicatalog.linkcheck.results import Result

    limits = HostLimits(per_host=per_host, concurrency=concurrency)
    pending = Pending(enumerate(host for host, _ in plans), limits)
    sent: list[tuple[int, str]] = []

    def check(index: int) -> Step:
        for kind, host, delay in plans[index][1]:
            yield Need(host, time.monotonic() + delay, retry=kind == "retry")
        return Result(str(index), "ok", 200, None, 1 + len(plans[index][1]), 0, "", 0.0)

    steps: dict[int, Step] = {}
    in_flight: list[Job] = []
    finished: set[int] = set()
    while True:
        # Take all the work there is room for now, then end the oldest request.
        job = pending.take(time.monotonic() + (0 if in_flight else 5))
        if job is not None:
            assert job.index not in finished and job.index not in {j.index for j in in_flight}
            in_flight.append(job)
            hosts = [j.host for j in in_flight]
            assert hosts.count(job.host) <= per_host and len(in_flight) <= concurrency
            sent.append((job.index, job.host))
            continue
        if not in_flight:
            break  # None with nothing in flight: the scheduler says everything is done
        done = in_flight.pop(0)
        limits.release(done.host, done.token)
        step = steps.setdefault(done.index, check(done.index))
        try:
            need = next(step)
        except StopIteration:
            finished.add(done.index)
            pending.finish()
            continue
        pending.park(done.index, step, need)
    assert finished == set(range(len(plans)))
    for index, (host, then) in enumerate(plans):
        assert [h for i, h in sent if i == index] == [host, *(h for _, h, _ in then)]
