"""How a link check is reported: text, json, markdown (a CI job summary) or github annotations.

URLs, redirect targets and details can come from strangers (an entry, a list,
a server's Location header), so every format escapes what it prints.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from .results import FAILING, STATUS_TABLE, STATUSES, Result, Source, Status, Target

FORMATS = ("text", "json", "markdown", "github")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Report:
    """Every target with its result, and how long the run took."""

    checked: list[tuple[Target, Result]]
    elapsed_s: float

    def counts(self) -> Counter[Status]:
        return Counter(result.status for _, result in self.checked)

    def failing(self) -> bool:
        return any(result.failing for _, result in self.checked)

    def problems(self) -> list[tuple[Target, Result]]:
        ranked = [(STATUS_TABLE[r.status].problem_rank, t, r) for t, r in self.checked]
        found = [(rank, t, r) for rank, t, r in ranked if rank is not None]
        found.sort(key=lambda item: (item[0], _first_place(item[1]), item[1].url))
        return [(t, r) for _, t, r in found]

    def summary_line(self) -> str:
        counts = self.counts()
        parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        return f"{len(self.checked)} URLs checked in {self.elapsed_s:.1f} s: {parts}"


def _first_place(target: Target) -> tuple[str, int]:
    first = target.sources[0] if target.sources else Source("", 0, "")
    return first.file, first.line


def render(report: Report, fmt: str) -> str:
    """The report in one of FORMATS."""
    return {"text": text, "json": as_json, "markdown": markdown, "github": github}[fmt](report)


def printable(value: str) -> str:
    """`value` with control characters shown as escapes, safe for a terminal or a log."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _message(result: Result) -> str:
    return printable(f"{result.status}: {result.url}: {result.detail}")


def text(report: Report) -> str:
    lines = [
        f"{source.file}:{source.line}: {printable(source.field)}: {_message(result)}"
        for target, result in report.problems()
        for source in target.sources
    ]
    lines.append(report.summary_line())
    return "\n".join(lines)


def as_json(report: Report) -> str:
    """The summary, then one result a line: readable, diff-friendly, and written by json's C
    encoder (with `indent=` json falls back to its pure-Python encoder, ten times slower)."""
    counts = report.counts()
    summary: dict[str, int | float] = {"total": len(report.checked)}
    summary.update((status, counts[status]) for status in STATUSES)
    summary["elapsed_s"] = round(report.elapsed_s, 3)
    results = ",\n    ".join(
        json.dumps(_item(target, result), ensure_ascii=False) for target, result in report.checked
    )
    listed = f"[\n    {results}\n  ]" if results else "[]"
    return f'{{\n  "summary": {json.dumps(summary)},\n  "results": {listed}\n}}'


def _item(target: Target, result: Result) -> dict[str, object]:
    return {
        "url": result.url,
        "status": result.status,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "detail": result.detail,
        "sources": [_source(s) for s in target.sources],
    }


def _source(source: Source) -> dict[str, object]:
    return {"file": source.file, "line": source.line, "field": source.field}


def github(report: Report) -> str:
    """Workflow commands: an annotation at each entry's line, error or warning by class."""
    lines = [
        Diagnostic(
            path=source.file,
            line=source.line,
            col=1,
            severity="error" if result.status in FAILING else "warning",
            field=printable(source.field),
            message=_message(result),
        ).github()
        for target, result in report.problems()
        for source in target.sources
    ]
    lines.append(report.summary_line())
    return "\n".join(lines)


def md(value: str) -> str:
    """`value` as inert Markdown table-cell text: no markup, no HTML, no cell breaks."""
    out = []
    for char in printable(value):
        if char in "&<>|":
            out.append(f"&#{ord(char)};")
        elif char.isascii() and not char.isalnum() and char not in " /:.,;=?-%":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def markdown(report: Report) -> str:
    counts = report.counts()
    problems = report.problems()
    failing = sum(r.failing for _, r in report.checked)
    title = f"{failing} failing link(s)" if failing else "no failing links"
    lines = [
        f"## Link check: {title}",
        "",
        "| URLs | " + " | ".join(STATUSES) + " | time |",
        "|---:|" + "---:|" * len(STATUSES) + "---:|",
        f"| {len(report.checked)} | "
        + " | ".join(str(counts[s]) for s in STATUSES)
        + f" | {report.elapsed_s:.1f} s |",
        "",
        "; ".join(f"**{status}**: {row.label}" for status, row in STATUS_TABLE.items()),
    ]
    if problems:
        lines += ["", "| Class | URL | Detail | Used in |", "|---|---|---|---|"]
        for target, result in problems:
            where = "<br>".join(
                f"{md(s.file)}:{s.line} \\({md(s.field)}\\)" for s in target.sources
            )
            lines.append(f"| {result.status} | {md(result.url)} | {md(result.detail)} | {where} |")
    return "\n".join(lines)
