"""Charts drawn at build time as inline SVG: no script, no request, readable without colour.

Each chart is a titled figure holding an SVG (with <title> and <desc>, so a screen
reader announces what it shows), followed by its data as a table, so the figures
can be read, copied and checked. All text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

BAR = 18  # height of one bar, px
GAP = 6
LABEL_W = 190
WIDTH = 640


@dataclass(frozen=True)
class Series:
    """One chart's data: a title, what it shows in words, and (label, value) rows."""

    id: str
    title: str
    summary: str
    rows: tuple[tuple[str, int], ...]
    unit: str = "entries"


def describe(series: Series) -> str:
    """The text alternative: the summary and every figure, in words."""
    figures = "; ".join(f"{label}: {value}" for label, value in series.rows)
    return f"{series.summary} {figures}." if figures else f"{series.summary} No data yet."


def bar_chart(series: Series) -> Markup:
    """A horizontal bar chart of `series` as an accessible SVG figure with its data table."""
    top = max((v for _, v in series.rows), default=0) or 1
    plot_w = WIDTH - LABEL_W - 60
    height = len(series.rows) * (BAR + GAP) + GAP
    bars = []
    for i, (label, value) in enumerate(series.rows):
        y = GAP + i * (BAR + GAP)
        w = round(plot_w * value / top) if value else 0
        bars.append(
            Markup(
                '<text x="{lx}" y="{ty}" text-anchor="end" class="aic-chart-label">{label}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="aic-chart-bar"/>'
                '<text x="{vx}" y="{ty}" class="aic-chart-value">{value}</text>'
            ).format(
                lx=LABEL_W - 8,
                ty=y + BAR - 5,
                label=label,
                x=LABEL_W,
                y=y,
                w=w,
                h=BAR,
                vx=LABEL_W + w + 6,
                value=f"{value:,}",
            )
        )
    svg = Markup(
        '<svg role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" class="aic-chart">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{bars}</svg>'
    ).format(
        id=series.id,
        w=WIDTH,
        h=max(height, BAR + 2 * GAP),
        title=series.title,
        desc=describe(series),
        bars=Markup("").join(bars),
    )
    return Markup(
        '<figure class="aic-figure" id="{id}"><figcaption><strong>{title}</strong></figcaption>'
        "{svg}{table}</figure>"
    ).format(id=series.id, title=series.title, svg=svg, table=data_table(series))


def data_table(series: Series) -> Markup:
    """The chart's figures as a table, in a details element so it does not dominate."""
    rows = Markup("").join(
        Markup("<tr><td>{}</td><td>{:,}</td></tr>").format(label, value)
        for label, value in series.rows
    )
    return Markup(
        "<details><summary>Data: {title}</summary><table><thead><tr><th>{head}</th>"
        "<th>{unit}</th></tr></thead><tbody>{rows}</tbody></table></details>"
    ).format(title=series.title, head="Value", unit=series.unit.capitalize(), rows=rows)


def share_rows(counts: Sequence[tuple[str, int, int]]) -> tuple[tuple[str, int], ...]:
    """(label, part, whole) -> (label, percent of whole), rounded; empty wholes are skipped."""
    return tuple((label, round(100 * part / whole)) for label, part, whole in counts if whole)
