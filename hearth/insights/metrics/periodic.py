"""Metrics that are a row per week (or month) of stored figures, declared as data (issue 19).

Most of the dashboard's tables are the same loop: for each week of the span, read a few of the worker's stored
figures (``specs.py`` declares what is counted) and show each through :mod:`small_numbers`. A
:class:`Periodic` names the columns and how each cell is worked out from a :class:`Period`, and
:func:`periodic` registers it as a :class:`Metric`; the loop, the row label and the "Week starting" column are
written once, here. Labels and notes may name the organisation's targets (``{settings.talk_target_minutes}``):
they are read only by the metrics that name them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Literal

from hearth.insights import small_numbers as sn
from hearth.insights.models import InsightsSettings
from hearth.insights.registry import Chart, Column, Metric, Span, Table, month_of, register
from hearth.insights.rollup import Stored


class Period:
    """One row's days and what the stored figures say for them."""

    def __init__(self, stored: Stored, days: list[date], monday: date | None, shared: _Shared) -> None:
        self.stored = stored
        self.day_list = days
        self.monday = monday
        self._shared = shared

    def count(self, key: str) -> int:
        """A daily figure added up over the period's days."""
        return self.stored.count(key, self.day_list)

    def kept(self, key: str) -> list[Any]:
        """The values a daily figure kept (minutes, hours) over the period's days."""
        return self.stored.kept(key, self.day_list)

    def people(self, key: str) -> int:
        """A weekly figure: different people in the whole week (weeks only)."""
        assert self.monday is not None, "different people are counted by whole weeks"
        return int(self.stored.week(key, self.monday)[0])

    @property
    def settings(self) -> InsightsSettings:
        return self._shared.settings


class _Shared:
    @cached_property
    def settings(self) -> InsightsSettings:
        return InsightsSettings.load()


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    cell: Callable[[Period], sn.Cell]


@dataclass(frozen=True)
class Periodic:
    """A table of one row per ``by`` (week or month) of the span, one :class:`Col` per figure."""

    key: str
    title: str
    description: str
    columns: tuple[Col, ...]
    chart: Chart
    notes: tuple[str, ...] = ()
    by: Literal["week", "month"] = "week"
    unavailable: Callable[[], str | None] = lambda: None
    order: int = 50

    def table(self, span: Span) -> Table:
        stored = Stored.of(span)
        shared = _Shared()
        rows: list[dict[str, sn.Cell | str]] = []
        for label, days, monday in self._periods(span, stored):
            period = Period(stored, days, monday, shared)
            rows.append({self.by: label, **{c.key: c.cell(period) for c in self.columns}})

        def text(words: str) -> str:
            return words.format(settings=shared.settings) if "{" in words else words

        first = Column(self.by, "Week starting" if self.by == "week" else "Month")
        return Table(
            [first, *[Column(c.key, text(c.label)) for c in self.columns]], rows, [text(n) for n in self.notes]
        )

    def _periods(self, span: Span, stored: Stored) -> list[tuple[str, list[date], date | None]]:
        if self.by == "week":
            return [(f"{week:%d %b %Y}", list(stored.days(week)), week) for week in span.weeks()]
        by_month: dict[date, list[date]] = defaultdict(list)
        for day in stored.days():
            by_month[month_of(day)].append(day)
        return [(f"{month:%b %Y}", by_month[month], None) for month in span.months()]


def periodic(spec: Periodic) -> Metric:
    """Register ``spec`` as a dashboard metric (the CSV download and the research export follow)."""
    return register(
        Metric(spec.key, spec.title, spec.description, spec.table, spec.chart, spec.unavailable, spec.order)
    )
