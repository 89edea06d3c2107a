"""Server-rendered SVG charts: geometry computed here, markup in ``templates/insights/_chart.html``.

No JavaScript and no inline styles (the CSP forbids them): colours are SVG
``fill`` attributes plus a class per series, which ``insights.css`` recolours
for dark mode. Every chart has a ``<title>``, a generated ``<desc>`` that
says what it shows and its highest value, and the full table next to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from hearth.insights.registry import Metric, Table
from hearth.insights.small_numbers import Cell

WIDTH = 720
PALETTE = ["#1d5c63", "#b3400a", "#5b6abf", "#6b7a1e", "#8e4585", "#4a5a63", "#a86b00"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    series: int
    tip: str

    @property
    def fill(self) -> str:
        return PALETTE[self.series % len(PALETTE)]


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class ChartView:
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)  # axis labels
    marks: list[Label] = field(default_factory=list)  # "<5" markers for hidden figures
    gridlines: list[float] = field(default_factory=list)
    legend: list[tuple[int, str, str]] = field(default_factory=list)  # (series index, colour, label)
    summary: str = ""
    empty: bool = False
    baseline: tuple[float, float, float, float] = (0, 0, 0, 0)

    def drawing(self) -> SafeString:
        """Gridlines, bars, axis labels and "<5" marks as SVG markup (built here: a year has hundreds of bars).

        Numbers are written as they are; every word (tips, labels, marks) is escaped.
        """
        x1, _, x2, _ = self.baseline
        parts = [
            f'<line class="grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#c9c2b8" stroke-width="1"/>'
            for y in self.gridlines
        ]
        parts += [
            f'<rect class="s{r.series}" x="{r.x}" y="{r.y}" width="{r.w}" height="{r.h}" fill="{r.fill}">'
            f"<title>{escape(r.tip)}</title></rect>"
            for r in self.rects
        ]
        for css, size, labels in (("axis", 12, self.labels), ("mark", 11, self.marks)):
            parts += [
                f'<text class="{css}" x="{t.x}" y="{t.y}" text-anchor="{escape(t.anchor)}" font-size="{size}" '
                f'fill="#4a5a63">{escape(t.text)}</text>'
                for t in labels
            ]
        return mark_safe("".join(parts))  # noqa: S308 (numbers, fixed markup and escaped words only)


def table_body(table: Table) -> SafeString:
    """A metric's table rows as markup: the first cell a row header, hidden figures marked for the stylesheet."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">Nothing for these dates.</td></tr>', len(table.columns))
    rows = []
    for first, *rest in table.cells():
        cells = "".join(
            f"<td{' class="suppressed"' if getattr(c, 'suppressed', False) else ''}>{escape(str(c))}</td>" for c in rest
        )
        rows.append(f'<tr><th scope="row">{escape(str(first))}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 (fixed markup and escaped words only)


def _value(cell: Cell | str) -> float | None:
    return cell.value if isinstance(cell, Cell) and cell.value is not None else None


def _hidden(cell: Cell | str) -> bool:
    return isinstance(cell, Cell) and cell.suppressed


def _nice_max(top: float) -> tuple[float, float]:
    """A round axis maximum at or above ``top`` and its tick step (four or five ticks)."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(top / step), step


def _fmt(v: float) -> str:
    return f"{v:g}"


def build(metric: Metric, table: Table) -> ChartView:
    spec = metric.chart
    labels = {c.key: c.label for c in table.columns}
    series = [s for s in spec.series if s in labels]
    rows = table.rows
    names = [str(r.get(spec.x, "")) for r in rows]
    values = [[_value(r.get(s, "")) for s in series] for r in rows]
    hidden = [[_hidden(r.get(s, "")) for s in series] for r in rows]
    legend = [(i, PALETTE[i % len(PALETTE)], labels[s]) for i, s in enumerate(series)]
    totals = [
        sum(v or 0 for v in vs) if spec.kind == "stacked" else max((v or 0 for v in vs), default=0) for vs in values
    ]
    view = ChartView(width=WIDTH, height=280, legend=legend if len(series) > 1 else [])
    if not rows or (not any(totals) and not any(any(h) for h in hidden)):
        view.empty = True
        view.summary = f"{metric.title}: nothing to show for these dates."
        return view
    top, step = _nice_max(max(totals))
    if spec.kind == "hbars":
        _hbars(view, names, values, hidden, series, top, step, labels, spec.unit)
    else:
        _columns(view, names, values, hidden, series, top, step, labels, spec.unit, stacked=spec.kind == "stacked")
    best = max(range(len(rows)), key=lambda i: totals[i])
    what = {"stacked": "Stacked bar chart", "hbars": "Bar chart", "bars": "Bar chart"}[spec.kind]
    shown = " and ".join(labels[s].lower() for s in series)
    view.summary = (
        f"{what} of {shown} by {labels[spec.x].lower()}, {len(rows)} bars. "
        f"Highest: {names[best]}, {_fmt(totals[best])} {spec.unit}. "
        + (
            "Some figures are hidden because they are about fewer than 5 people. "
            if any(any(h) for h in hidden)
            else ""
        )
        + "The figures are in the table below."
    )
    return view


def _columns(
    view: ChartView,
    names: list[str],
    values: list[list[float | None]],
    hidden: list[list[bool]],
    series: list[str],
    top: float,
    step: float,
    labels: dict[str, str],
    unit: str,
    *,
    stacked: bool,
) -> None:
    left, right, top_pad, bottom = 52.0, 12.0, 12.0, 48.0
    plot_w, plot_h = view.width - left - right, view.height - top_pad - bottom
    base = top_pad + plot_h
    view.baseline = (left, base, view.width - right, base)
    tick = 0.0
    while tick <= top + 1e-9:
        y = base - plot_h * tick / top
        view.gridlines.append(y)
        view.labels.append(Label(left - 6, y + 4, _fmt(tick), "end"))
        tick += step
    n = len(names)
    slot = plot_w / n
    bar_w = slot * 0.7 / (1 if stacked else len(series))
    every = max(1, math.ceil(n / 10))
    for i, name in enumerate(names):
        x0 = left + i * slot + slot * 0.15
        y = base
        for j, v in enumerate(values[i]):
            h = plot_h * (v or 0) / top
            x = x0 if stacked else x0 + j * bar_w
            if stacked:
                y -= h
                rect_y = y
            else:
                rect_y = base - h
            tip = f"{name}: {labels[series[j]]} {'fewer than 5' if hidden[i][j] else _fmt(v or 0)}"
            if h > 0:
                view.rects.append(Rect(round(x, 1), round(rect_y, 1), round(bar_w, 1), round(h, 1), j, tip))
            if hidden[i][j] and not stacked:
                view.marks.append(Label(round(x + bar_w / 2, 1), base - 4, "<5"))
        if stacked and any(hidden[i]):
            view.marks.append(Label(round(x0 + bar_w / 2, 1), round(y - 4, 1), "<5"))
        if i % every == 0:
            view.labels.append(Label(round(left + i * slot + slot / 2, 1), base + 18, name))


def _hbars(
    view: ChartView,
    names: list[str],
    values: list[list[float | None]],
    hidden: list[list[bool]],
    series: list[str],
    top: float,
    step: float,
    labels: dict[str, str],
    unit: str,
) -> None:
    left, right, top_pad, row_h = 230.0, 40.0, 8.0, 28.0
    view.height = int(top_pad + row_h * len(names) + 28)
    plot_w = view.width - left - right
    base_y = top_pad + row_h * len(names)
    view.baseline = (left, top_pad, left, base_y)
    for i, name in enumerate(names):
        y = top_pad + i * row_h
        short = name if len(name) <= 32 else name[:31] + "…"
        view.labels.append(Label(left - 8, y + row_h / 2 + 5, short, "end"))
        v, h = values[i][0], hidden[i][0]
        w = plot_w * (v or 0) / top
        if w > 0:
            tip = f"{name}: {_fmt(v or 0)} {unit}"
            view.rects.append(Rect(left, round(y + 5, 1), round(w, 1), row_h - 10, 0, tip))
        view.marks.append(
            Label(
                round(left + w + 6, 1), y + row_h / 2 + 5, "<5" if h else _fmt(v or 0) if v is not None else "", "start"
            )
        )
    view.labels.append(Label(left + plot_w, base_y + 20, f"{_fmt(top)} {unit}", "end"))


@dataclass
class LineView:
    width: int
    height: int
    points: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, tip
    path: str = ""
    labels: list[Label] = field(default_factory=list)
    bands: list[tuple[float, float, str]] = field(default_factory=list)  # y, height, label (shaded zones)
    gridlines: list[float] = field(default_factory=list)
    summary: str = ""
    empty: bool = False


def line(
    title: str,
    points: list[tuple[str, float]],
    low: float,
    high: float,
    *,
    ticks: list[tuple[float, str]] | None = None,
    zones: list[tuple[float, float, str]] | None = None,
) -> LineView:
    """One person's values over time (their own, never compared with anyone): ``points`` are (label, value)."""
    view = LineView(width=WIDTH, height=240)
    if not points:
        view.empty = True
        view.summary = f"{title[:1].upper()}{title[1:]}: nothing yet."
        return view
    left, right, top_pad, bottom = 150.0, 16.0, 12.0, 40.0
    plot_w, plot_h = view.width - left - right, view.height - top_pad - bottom

    def y_of(v: float) -> float:
        return round(top_pad + plot_h * (1 - (v - low) / (high - low)), 1)

    for lo, hi, label in zones or []:
        view.bands.append((y_of(hi), round(y_of(lo) - y_of(hi), 1), label))
    for v, label in ticks or [(low, _fmt(low)), (high, _fmt(high))]:
        view.gridlines.append(y_of(v))
        view.labels.append(Label(left - 8, y_of(v) + 4, label, "end"))
    n = len(points)
    step = plot_w / max(1, n - 1)
    every = max(1, math.ceil(n / 8))
    coords = []
    for i, (label, v) in enumerate(points):
        x = round(left + (i * step if n > 1 else plot_w / 2), 1)
        coords.append(f"{x},{y_of(v)}")
        view.points.append((x, y_of(v), f"{label}: {_fmt(v)}"))
        if i % every == 0 or i == n - 1:
            view.labels.append(Label(x, view.height - 14, label))
    view.path = " ".join(coords)
    first, last = points[0], points[-1]
    view.summary = (
        f"Line chart of {title}: {n} point{'s' if n != 1 else ''}, from {_fmt(first[1])} on {first[0]} "
        f"to {_fmt(last[1])} on {last[0]}. The values are also listed below."
    )
    return view
