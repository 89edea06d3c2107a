"""Daily rollups (issue 21): every figure of ``specs.py`` counted once per day by the worker, read by the dashboard.

Counting (:func:`count_days`) reads the rows each spec names for a run of days and returns what to store;
``actions.do_roll_up`` stores it and ``actions.roll_up_due`` (the ``roll_up_insights`` periodic job) decides
which days to count: today and yesterday every run (so the rollup is kept current), days whose tables gained
rows dated in the past since the last run (late arrivals, found by each table's highest id), days of the last
fortnight counted more than a day ago (a request answered or a check-in replied to later), and days of the
last year never counted (after an upgrade; ``hearth insights_rollup`` does all of them at once).

Reading (:class:`Stored`, :func:`weeks_of_activity`) is a fixed number of queries whatever the span or the
number of people: the dashboard's year is a year of daily rows, not a year of posts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from hearth.insights import specs
from hearth.insights.registry import Span, model_ready, week_of

EPOCH = date(2001, 1, 1)  # a Monday: ActivityWeeks blocks are counted from here
BLOCK = 522  # weeks per ActivityWeeks row, about ten years: a year's span reads one row a member (two once a decade)
ACTIVE_PEOPLE = "activity.people"  # a weekly figure made from specs.ACTIONS: different people who took part
WEEKLY_KEYS = frozenset({ACTIVE_PEOPLE, *(f.key for f in specs.FIGURES if f.weekly)})


def block_of(monday: date) -> tuple[date, int]:
    """The first Monday of the ActivityWeeks block ``monday`` is in, and its position there."""
    n = (monday - EPOCH).days // 7
    return EPOCH + timedelta(weeks=n - n % BLOCK), n % BLOCK


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def available(app: str, label: str) -> bool:
    app_label, model_name = label.split(".")
    return model_ready(app or app_label, model_name) if app else True


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _is_datetime(model: type[models.Model], path: str) -> bool:
    """Whether ``path`` (``created_at``, ``gathering__starts_at``) ends at a DateTimeField."""
    for part in path.split("__")[:-1]:
        related = model._meta.get_field(part).related_model
        assert related is not None and not isinstance(related, str)
        model = related
    return isinstance(model._meta.get_field(path.split("__")[-1]), models.DateTimeField)


def _in_days(model: type[models.Model], when: str, first: date, last: date) -> Q:
    if _is_datetime(model, when):
        return Q(**{f"{when}__gte": midnight(first), f"{when}__lt": midnight(last + timedelta(days=1))})
    return Q(**{f"{when}__gte": first, f"{when}__lte": last})


def day_of(value: datetime | date) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


# --- Counting -----------------------------------------------------------------------------------------------


@dataclass
class Counted:
    """What one run of counting found: figures to store by (day, key), and each member's week characters."""

    first: date
    last: date
    figures: dict[tuple[date, str], tuple[int, Any]] = field(default_factory=dict)
    weeks: dict[int, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def mondays(self) -> list[date]:
        start = week_of(self.first)
        return [start + timedelta(weeks=i) for i in range((self.last - start).days // 7 + 1)]


def count_days(first: date, last: date) -> Counted:
    """Every figure for the days ``first``..``last``: daily ones for those days, weekly ones for their whole weeks."""
    out = Counted(first, last)
    week_first, week_last = week_of(first), week_of(last) + timedelta(days=6)
    for fig in specs.FIGURES:
        if not available(fig.app, fig.model):
            continue
        if fig.weekly:
            _count_weekly(out, fig, week_first, week_last)
        else:
            _count_daily(out, fig, first, last)
    for derived in specs.DERIVED:
        for key, by_day in derived.compute(first, last).items():
            for day, n in by_day.items():
                if n:
                    out.figures[(day, key)] = (n, [])
    _count_actions(out, week_first, week_last)
    active: Counter[date] = Counter(week for weeks in out.weeks.values() for week in weeks)
    for week, n in active.items():
        out.figures[(week, ACTIVE_PEOPLE)] = (n, [])
    return out


def rows_of(fig: specs.Figure | specs.Action, first: date, last: date, *fields: str) -> Iterable[tuple[Any, ...]]:
    model = model_of(fig.model)
    rows: Iterable[tuple[Any, ...]] = (
        model._default_manager.filter(fig.where()).filter(_in_days(model, fig.when, first, last)).values_list(*fields)
    )
    return rows


def _count_daily(out: Counted, fig: specs.Figure, first: date, last: date) -> None:
    counts: Counter[date] = Counter()
    kept: dict[date, list[float]] = defaultdict(list)
    if fig.minutes:
        start, end = fig.minutes
        for when, a, b in rows_of(fig, first, last, fig.when, start, end):
            day = day_of(when)
            counts[day] += 1
            if b is not None:
                minutes = max(0.0, (b - a).total_seconds() / 60)
                kept[day].append(round(minutes / 60 if fig.hours else minutes, 2))
    else:
        counts.update(day_of(when) for (when,) in rows_of(fig, first, last, fig.when))
    for day, n in counts.items():
        out.figures[(day, fig.key)] = (n, kept.get(day, []))


def _count_weekly(out: Counted, fig: specs.Figure, first: date, last: date) -> None:
    fields = [fig.when, *(f for f in (fig.per, fig.people, fig.groups) if f)]
    found: dict[date, Any] = defaultdict(lambda: defaultdict(set) if fig.per else set())
    per_rows: dict[date, Counter[str]] = defaultdict(Counter)
    for when, *rest in rows_of(fig, first, last, *fields):
        week = week_of(day_of(when))
        if fig.per and fig.people:
            part, person = rest
            if person is not None:
                found[week][str(part)].add(person)
        elif fig.per:
            per_rows[week][str(rest[0])] += 1
        elif rest[0] is not None:
            found[week].add(rest[0])
    if fig.per and not fig.people:
        for week, parts in per_rows.items():
            out.figures[(week, fig.key)] = (sum(parts.values()), dict(parts))
    elif fig.per:
        for week, by_part in found.items():
            out.figures[(week, fig.key)] = (len(by_part), {p: len(people) for p, people in by_part.items()})
    elif fig.groups:
        for week, ids in found.items():
            out.figures[(week, fig.key)] = (len(ids), sorted(ids))
    else:
        for week, people in found.items():
            out.figures[(week, fig.key)] = (len(people), [])


def _count_actions(out: Counted, first: date, last: date) -> None:
    for action in specs.ACTIONS:
        if not available(action.app, action.model):
            continue
        char = specs.char_for(action.action)
        for who, when in rows_of(action, first, last, action.who, action.when):
            if who is None or when is None:
                continue
            weeks = out.weeks[who]
            week = week_of(day_of(when))
            weeks[week] = min(weeks.get(week, specs.NOT_SEEN), char)


# --- Reading ------------------------------------------------------------------------------------------------


class Stored:
    """The stored figures a span needs, read in one query (memoised on the span)."""

    def __init__(self, span: Span) -> None:
        from hearth.insights.models import Rollup

        self.span = span
        self.first = span.weeks()[0]
        self.by_key: dict[str, dict[date, tuple[int, Any]]] = defaultdict(dict)
        for day, key, n, values in _raw(
            Rollup.objects.filter(day__gte=self.first, day__lte=span.end).values_list("day", "key", "count", "values")
        ):
            # Read without the ORM's per-row conversions (a year is thousands of rows); dates and JSON by hand.
            when = date.fromisoformat(day) if isinstance(day, str) else day
            self.by_key[key][when] = (n, json.loads(values) if isinstance(values, str) else values)

    @classmethod
    def of(cls, span: Span) -> Stored:
        stored: Stored = span.memo("rollup", lambda: cls(span))
        return stored

    def days(self, week: date | None = None) -> Iterator[date]:
        """The span's days (of one week, when given)."""
        first, last = self.span.start, self.span.end
        if week is not None:
            first, last = max(first, week), min(last, week + timedelta(days=6))
        d = first
        while d <= last:
            yield d
            d += timedelta(days=1)

    def count(self, key: str, days: Iterable[date]) -> int:
        found = self.by_key.get(key, {})
        return sum(found[d][0] for d in days if d in found)

    def kept(self, key: str, days: Iterable[date]) -> list[Any]:
        found = self.by_key.get(key, {})
        return [v for d in days if d in found for v in found[d][1]]

    def week(self, key: str, monday: date) -> tuple[int, Any]:
        """A weekly figure (different people or groups in the whole week)."""
        return self.by_key.get(key, {}).get(monday, (0, {} if key.startswith("mood.") else []))


def _raw(query: models.QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the database driver gives them: no ORM conversion per row."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def weeks_of_activity(span: Span) -> dict[int, str]:
    """Member -> one character a week of the span (``specs.RANK_CHARS``), today's hosts as hosts (memoised)."""
    result: dict[int, str] = span.memo("activity_weeks", lambda: _weeks_of_activity(span))
    return result


def _weeks_of_activity(span: Span) -> dict[int, str]:
    from hearth.community.models import Membership
    from hearth.insights.models import ActivityWeeks

    weeks = span.weeks()
    offset = block_of(weeks[0])[1]
    blocks = sorted({block_of(w)[0] for w in weeks})
    joined: dict[int, list[str]] = defaultdict(lambda: [specs.NOT_SEEN * BLOCK] * len(blocks))
    position = {b: i for i, b in enumerate(blocks)} | {b.isoformat(): i for i, b in enumerate(blocks)}
    for member_id, block, chars in _raw(
        ActivityWeeks.objects.filter(first_week__in=blocks).values_list("member_id", "first_week", "weeks")
    ):
        joined[member_id][position[block]] = chars
    # Today's hosts count as hosting in any week they took part at all.
    hosts = set(Membership.objects.filter(is_host=True).values_list("member_id", flat=True).distinct())
    as_host = str.maketrans(dict.fromkeys("0123456", specs.RANK_CHARS["host"]))
    out: dict[int, str] = {}
    for member_id, parts in joined.items():
        chars = "".join(parts)[offset : offset + len(weeks)]
        if chars.count(specs.NOT_SEEN) == len(chars):
            continue
        out[member_id] = chars.translate(as_host) if member_id in hosts else chars
    return out


def counted_days(span: Span) -> tuple[int, int]:
    """How many of the span's days up to today are counted, of how many."""
    from hearth.insights.models import RolledUpDay

    last = min(span.end, timezone.localdate())
    if last < span.start:
        return 0, 0
    done = RolledUpDay.objects.filter(day__gte=span.start, day__lte=last).count()
    return done, (last - span.start).days + 1
