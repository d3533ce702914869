"""Charts for the stats page, drawn at build time as inline SVG (no script, no CDN).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` for screen readers and
the same numbers in a table next to it. Text and axes use ``currentColor`` and the bars use
the ``--pc-series-N`` colours of papercat.css, which have a light and a dark variant, so the
charts stay legible in both colour schemes. Every label is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SERIES = 12  # distinct colours; further series reuse them


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(1, value)
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def _ticks(top: int) -> list[int]:
    step = max(1, top // 4)
    return list(range(0, top + 1, step))


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str


def stacked_columns(
    chart_id: str,
    title: str,
    columns: Sequence[str],
    column_labels: Sequence[str],
    series: Sequence[Series],
    values: Mapping[tuple[str, str], int],
) -> str:
    """Columns (e.g. months) of stacked bars (e.g. topics); ``values[(column, series key)]``."""
    totals = [sum(values.get((c, s.key), 0) for s in series) for c in columns]
    top = _nice_max(max(totals, default=0))
    bar, gap, left, height, bottom, top_pad = 14, 4, 44, 200, 52, 10
    width = left + len(columns) * (bar + gap) + 10
    scale = height / top
    parts = [
        f'<svg class="pc-chart" id="{_e(chart_id)}" role="img" aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height + bottom + top_pad}" width="{width}" height="{height + bottom + top_pad}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(title)}: {len(columns)} columns, {sum(totals)} in all; '
        "the table below has the numbers.</desc>",
    ]
    for tick in _ticks(top):
        y = top_pad + height - tick * scale
        parts.append(f'<line class="pc-grid" x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="pc-axis" x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    for index, (column, label) in enumerate(zip(columns, column_labels, strict=True)):
        x = left + index * (bar + gap)
        y = top_pad + height
        for number, item in enumerate(series):
            value = values.get((column, item.key), 0)
            if not value:
                continue
            h = value * scale
            y -= h
            parts.append(
                f'<rect class="pc-series-{number % SERIES}" x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}">'
                f"<title>{_e(label)}, {_e(item.label)}: {value}</title></rect>"
            )
        ty = top_pad + height + 6
        parts.append(
            f'<text class="pc-axis" transform="translate({x + bar / 2 + 3:.1f},{ty}) rotate(-60)" text-anchor="end">{_e(label)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="pc-legend-item"><span class="pc-swatch pc-series-{n % SERIES}"></span>{_e(s.label)}</span>'
        for n, s in enumerate(series)
        if any(values.get((c, s.key), 0) for c in columns)
    )
    return f'<div class="pc-chart-box"><div class="pc-chart-scroll">{"".join(parts)}</div><div class="pc-legend">{legend}</div></div>'


def horizontal_bars(
    chart_id: str, title: str, rows: Sequence[tuple[str, int]], *, unit: tuple[str, str] = ("paper", "papers"),
    colours: Sequence[int] | None = None,
) -> str:
    """One bar per row (label, value), longest scale first as given.

    ``colours``: each row's series colour (a topic keeps its colour from chart to chart); one colour without.
    """
    top = _nice_max(max((v for _, v in rows), default=0))
    label_width, bar_area, row_height = 250, 330, 22
    width = label_width + bar_area + 60
    height = row_height * len(rows) + 8
    parts = [
        f'<svg class="pc-chart" id="{_e(chart_id)}" role="img" aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(title)}: '
        + _e("; ".join(f"{label} {value}" for label, value in rows))
        + "</desc>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_height
        w = bar_area * value / top
        shown = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f'<text class="pc-axis" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{_e(shown)}</text>')
        colour = f"pc-series-{colours[index] % SERIES}" if colours is not None else "pc-series-0"
        parts.append(
            f'<rect class="{colour}" x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_height - 6}">'
            f"<title>{_e(label)}: {value} {_e(unit[0] if value == 1 else unit[1])}</title></rect>"
        )
        parts.append(f'<text class="pc-axis" x="{label_width + w + 5:.1f}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return f'<div class="pc-chart-box"><div class="pc-chart-scroll">{"".join(parts)}</div></div>'
