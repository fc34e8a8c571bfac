"""One enrichment run: decide what is stale, fetch it, merge it into the records, save as we go.

`prepare` is pure (catalog + existing records + clock -> plan), so what a run
would fetch can be checked without a network; `execute` does the fetching and
always ends with a save, whether the run finished, hit a limit or was
interrupted, so records collected earlier are never lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..activity import (
    ACTIVITY_FILE,
    STAR_MONTHS,
    Activity,
    GitHubActivity,
    HubActivity,
    StarSample,
    load_activity,
)
from ..diagnostics import Diagnostic, Location
from ..model import Catalog
from . import github, hub, sanitize
from .http import ApiClient, Policy, Stop
from .store import Checkpoints
from .targets import GitHubTarget, HubTarget, github_target, hub_targets

DEFAULT_GITHUB_API = "https://api.github.com"
DEFAULT_HUB_API = "https://huggingface.co"


@dataclass(frozen=True)
class Options:
    max_age: dt.timedelta = dt.timedelta(days=7)
    only: frozenset[str] | None = None
    github_api: str = DEFAULT_GITHUB_API
    hub_api: str = DEFAULT_HUB_API
    concurrency: int = 4
    policy: Policy = field(default_factory=Policy)
    #: Seconds between checkpoint saves during a run.
    checkpoint_interval: float = 10.0


@dataclass(frozen=True)
class Plan:
    """What a run starts from and what it will fetch."""

    path: Path
    records: dict[str, Activity]  # earlier records, minus those of links that are gone
    saved_text: str | None  # the file as it is now
    github: tuple[GitHubTarget, ...]
    hub: tuple[HubTarget, ...]
    fresh: int  # targets skipped because their record is younger than --max-age
    pruned: bool  # records were dropped (their entry or link is gone): the file must change


@dataclass
class Report:
    """What a run did, for the command's output and the workflow's summary."""

    fresh: int = 0
    github_collected: int = 0
    hub_collected: int = 0
    github_requests: int = 0
    hub_requests: int = 0
    left: int = 0  # targets never attempted because the run stopped early
    github_skipped: int = 0  # GitHub targets not attempted: no GITHUB_TOKEN
    problems: list[Diagnostic] = field(default_factory=list)
    stopped: list[Stop] = field(default_factory=list)
    written: bool = False


def _same_repo(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _github_matches(record: GitHubActivity, target: GitHubTarget) -> bool:
    names = (record.repository, record.renamed_from or record.repository)
    return any(_same_repo(name, target.repository) for name in names)


def _is_fresh(collected: dt.datetime, now: dt.datetime, max_age: dt.timedelta) -> bool:
    return now - collected < max_age


def prepare(catalog: Catalog, options: Options, now: dt.datetime) -> Plan:
    """The plan for a run: which records stay and which repositories to fetch.

    Raises ActivityError when the existing file is corrupt (a run must not
    overwrite records it could not read).
    """
    path = catalog.root / ACTIVITY_FILE
    old = load_activity(catalog.root)
    saved_text = path.read_text(encoding="utf-8") if old or path.exists() else None
    records: dict[str, Activity] = {}
    to_github: list[GitHubTarget] = []
    to_hub: list[HubTarget] = []
    fresh = 0
    for project in catalog.projects:
        record = old.get(project.id)
        gh_target = github_target(project)
        gh = record.github if record else None
        if gh is not None and (gh_target is None or not _github_matches(gh, gh_target)):
            gh = None
        wanted = {t.key: t for t in hub_targets(project)}
        hubs = tuple(
            h for h in (record.hub if record else ()) if (h.kind, h.repository.casefold()) in wanted
        )
        if gh is not None or hubs:
            records[project.id] = Activity(project.id, gh, hubs)
        if options.only is not None and project.id not in options.only:
            continue
        if gh_target is not None:
            if gh is not None and _is_fresh(gh.provenance.collected, now, options.max_age):
                fresh += 1
            else:
                to_github.append(gh_target)
        have: dict[tuple[str, str], HubActivity] = {
            (h.kind, h.repository.casefold()): h for h in hubs
        }
        for key, target in wanted.items():
            known = have.get(key)
            if known is not None and _is_fresh(known.provenance.collected, now, options.max_age):
                fresh += 1
            else:
                to_hub.append(target)
    pruned = records != old
    return Plan(path, records, saved_text, tuple(to_github), tuple(to_hub), fresh, pruned)


def _same_history(old: GitHubActivity, new: GitHubActivity) -> bool:
    """One repository's facts, under its name then or now: a rename keeps the star history."""
    before = {n.casefold() for n in (old.repository, old.renamed_from) if n}
    after = {n.casefold() for n in (new.repository, new.renamed_from) if n}
    return bool(before & after)


def star_history(
    old: GitHubActivity | None, new: GitHubActivity, now: dt.datetime
) -> tuple[StarSample, ...]:
    """Last 13 months of samples: earlier ones for the same repository, plus this month's count."""
    samples = {}
    if old is not None and _same_history(old, new):
        samples = {s.month: s.stars for s in old.star_history}
    if new.stars is not None:
        samples[f"{now:%Y-%m}"] = new.stars
    first = now.year * 12 + now.month - STAR_MONTHS  # months since year 0, exclusive bound
    kept = [m for m in sorted(samples) if int(m[:4]) * 12 + int(m[5:]) > first]
    return tuple(StarSample(m, samples[m]) for m in kept)


def _merge_github(
    record: Activity | None, pid: str, facts: GitHubActivity, now: dt.datetime
) -> Activity:
    old = record.github if record else None
    facts = replace(facts, star_history=star_history(old, facts, now))
    return Activity(pid, facts, record.hub if record else ())


def _merge_hub(
    record: Activity | None, pid: str, target: HubTarget, facts: HubActivity
) -> Activity:
    others = [
        h for h in (record.hub if record else ()) if (h.kind, h.repository.casefold()) != target.key
    ]
    hubs = sorted([*others, facts], key=lambda h: (h.field, h.kind, h.repository.casefold()))
    return Activity(pid, record.github if record else None, tuple(hubs))


_UNUSABLE = "the API gave an unusable value; the rest of the record was saved if it could be"


def _problem(location: Location, field_name: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic.at(location, field_name, message, hint, severity="warning")


class _Merge:
    """Takes each API result as it lands: checks it, merges it into the records, checkpoints."""

    def __init__(
        self,
        report: Report,
        checkpoints: Checkpoints,
        now: dt.datetime,
        secrets: tuple[str | None, ...],
    ) -> None:
        self.report = report
        self.checkpoints = checkpoints
        self.records = checkpoints.records
        self.now = now
        self.secrets = secrets

    def _note(
        self, location: Location, field_name: str, notes: list[str], hint: str = _UNUSABLE
    ) -> None:
        for note in notes:
            self.report.problems.append(_problem(location, field_name, note, hint))

    def github(self, results: list[github.Fetched]) -> None:
        for item in results:
            target = item.target
            self.report.left -= 1
            if item.facts is None:
                hint = "check the URL: a private, deleted or moved repository has no facts"
                self._note(target.location, "links.repository", [item.problem or "no facts"], hint)
                continue
            facts, notes = sanitize.clean_github(item.facts, self.secrets)
            self._note(target.location, "links.repository", [*item.notes, *notes])
            if facts is None:
                continue
            self.records[target.project] = _merge_github(
                self.records.get(target.project), target.project, facts, self.now
            )
            self.report.github_collected += 1
        self.checkpoints.changed()

    def hub(self, item: hub.Fetched) -> None:
        target = item.target
        self.report.left -= 1
        if item.facts is None:
            hint = "check the link points at a public model or dataset page"
            self._note(target.location, target.field, [item.problem or "no facts"], hint)
        else:
            facts, notes = sanitize.clean_hub(item.facts, self.secrets)
            self._note(target.location, target.field, [*item.notes, *notes])
            if facts is not None:
                self.records[target.project] = _merge_hub(
                    self.records.get(target.project), target.project, target, facts
                )
                self.report.hub_collected += 1
        self.checkpoints.changed()


def execute(
    plan: Plan,
    options: Options,
    github_token: str | None,
    hub_token: str | None,
    now: dt.datetime,
) -> tuple[Report, dict[str, Activity]]:
    """Fetch the plan's targets, saving checkpoints; returns the report and the final records.

    Without a GitHub token the GitHub targets are skipped (counted in
    `github_skipped`); the Hub, which needs no token, is still collected.
    """
    report = Report(fresh=plan.fresh)
    checkpoints = Checkpoints(
        plan.path, dict(plan.records), plan.saved_text, options.checkpoint_interval, plan.pruned
    )
    merge = _Merge(report, checkpoints, now, (github_token, hub_token))
    report.left = len(plan.github) + len(plan.hub)
    clients: list[ApiClient] = []
    try:
        if plan.github and github_token is None:
            report.github_skipped = len(plan.github)
            report.left -= len(plan.github)
        elif plan.github:
            client = ApiClient("GitHub", options.github_api, github_token, options.policy)
            clients.append(client)
            collect = github.GitHubCollector(client, now).collect
            _guard(report, lambda: collect(plan.github, merge.github))
            report.github_requests = client.requests
        if plan.hub:
            hub_client = ApiClient("Hugging Face Hub", options.hub_api, hub_token, options.policy)
            clients.append(hub_client)
            collector = hub.HubCollector(hub_client, now, options.concurrency)
            _guard(report, lambda: collector.collect(plan.hub, merge.hub))
            report.hub_requests = hub_client.requests
    finally:
        checkpoints.save()
        report.written = checkpoints.writes > 0
        for client in clients:
            client.close()
    return report, checkpoints.records


def _guard(report: Report, work: Callable[[], None]) -> None:
    """Run one API's collection; a Stop ends that API's part of the run, not the other's."""
    try:
        work()
    except Stop as exc:
        report.stopped.append(exc)
