"""The metric registry: one way to add a figure to the dashboard, its CSV download and the research export.

A metric is a function from a :class:`Span` (a date range) to a :class:`Table`,
registered with a key, title, description and how to draw it. The dashboard,
the CSV download and the research export's service metrics all iterate
:func:`metrics`, so a new metric needs nothing else. Recipe: copy one in
``hearth/insights/metrics/``, give it a hand-computed test in
``tests/test_metrics.py``, done.

Metrics must make a fixed number of queries whatever the data (the dashboard's
query count is pinned in a test) and must build every figure about people
with :mod:`hearth.insights.small_numbers`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from hearth.insights.small_numbers import Cell

MAX_DAYS = 366


@dataclass
class Span:
    """Local dates ``start`` to ``end``, both included; ``cache`` is shared by the metrics of one request."""

    start: date
    end: date
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.end < self.start:
            self.start, self.end = self.end, self.start
        if (self.end - self.start).days >= MAX_DAYS:
            self.start = self.end - timedelta(days=MAX_DAYS - 1)

    @property
    def start_at(self) -> datetime:
        """Local midnight at the start (aware)."""
        return timezone.make_aware(datetime.combine(self.start, time(0)))

    @property
    def end_at(self) -> datetime:
        """Local midnight after the last day (aware, excluded)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time(0)))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def weeks(self) -> list[date]:
        """Mondays of every week the span touches."""
        first = self.start - timedelta(days=self.start.weekday())
        return [first + timedelta(weeks=i) for i in range((self.end - first).days // 7 + 1)]

    def months(self) -> list[date]:
        out, d = [], self.start.replace(day=1)
        while d <= self.end:
            out.append(d)
            d = (d + timedelta(days=32)).replace(day=1)
        return out

    def halves(self) -> tuple[Span, Span]:
        mid = self.start + timedelta(days=self.days // 2)
        return Span(self.start, mid - timedelta(days=1)), Span(mid, self.end)

    def week_bounds(self) -> list[datetime]:
        """Local midnight at the end of each of :meth:`weeks` (aware): DST-correct, computed once here."""
        return [timezone.make_aware(datetime.combine(w + timedelta(days=7), time(0))) for w in self.weeks()]

    def week_index(self, field_name: str) -> Case:
        """A SQL expression giving the index in :meth:`weeks` of the week ``field_name`` falls in.

        A plain ``CASE`` on precomputed boundaries: unlike ``TruncWeek`` (a Python function
        per row on SQLite) it runs inside the database on every backend and uses no time-zone
        arithmetic in SQL. Rows must already be filtered to the span.
        """
        bounds = self.memo("week_bounds", self.week_bounds)
        return Case(
            *[When(**{f"{field_name}__lt": b}, then=Value(i)) for i, b in enumerate(bounds)],
            default=Value(len(bounds) - 1),
            output_field=IntegerField(),
        )

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def week_of(moment: datetime | date) -> date:
    """The Monday of the local week ``moment`` falls in."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def month_of(moment: datetime | date) -> date:
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return day.replace(day=1)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Cell | str]]
    notes: list[str] = field(default_factory=list)

    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def cells(self) -> list[list[Cell | str]]:
        return [[row.get(c.key, "") for c in self.columns] for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """How to draw a metric's table: ``x`` is the label column; ``series`` the value columns drawn.

    ``kind``: ``bars`` (one bar per row, series side by side), ``stacked`` (series stacked per
    row) or ``hbars`` (horizontal bars, one series, for long labels like group names).
    """

    kind: str
    x: str
    series: tuple[str, ...]
    unit: str = ""


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    description: str
    compute: Callable[[Span], Table]
    chart: Chart
    # Returns a reason when the data this metric needs isn't there (an app not installed yet).
    unavailable: Callable[[], str | None] = lambda: None
    order: int = 50
    research: bool = True  # included in the research export's service metrics


_METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _METRICS and _METRICS[metric.key] is not metric:
        raise ValueError(f"metric {metric.key!r} is registered twice")
    _METRICS[metric.key] = metric
    return metric


def metrics() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: (m.order, m.key))


def get(key: str) -> Metric | None:
    return _METRICS.get(key)


def model_ready(app_label: str, model_name: str) -> bool:
    """Whether an app is installed, defines the model, and its table exists (migrations can lag code)."""
    if not apps.is_installed(f"hearth.{app_label}"):
        return False
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return model._meta.db_table in _tables()


_TABLES: WeakKeyDictionary[BaseDatabaseWrapper, set[str]] = WeakKeyDictionary()


def _tables() -> set[str]:
    # One introspection query per connection; kept per connection object so a new
    # test database (a new connection) looks again.
    wrapper = connections[DEFAULT_DB_ALIAS]
    cached = _TABLES.get(wrapper)
    if cached is None:
        cached = _TABLES[wrapper] = set(wrapper.introspection.table_names())
    return cached


def needs(app_label: str, model_name: str, what: str) -> Callable[[], str | None]:
    """An ``unavailable`` check: ``what`` is the plain-words reason shown when it is missing."""
    return lambda: None if model_ready(app_label, model_name) else what
