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
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Substr
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
    # Every answer of the people who answered a questionnaire in these days, linked to their answers before and after.
    answers: list[AnswerLinks] = field(default_factory=list)

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
    out.answers = answers_of_people_who_answered(first, last)
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


@dataclass(frozen=True)
class AnswerLinks:
    """One questionnaire answer, and when the same person answered the same questionnaire before and after it."""

    response_id: int
    measure: str
    band: str
    score: int
    answered_at: datetime
    previous_at: datetime | None
    next_at: datetime | None


def answers_of_people_who_answered(first: date, last: date) -> list[AnswerLinks]:
    """All the answers of everyone who answered a questionnaire in ``first``..``last``, each with its neighbours.

    A new answer changes its neighbours' links too, so each such person's answers are all linked again.
    """
    from hearth.insights.models import OutcomeResponse

    answered = OutcomeResponse.objects.filter(_in_days(OutcomeResponse, "created_at", first, last)).values("member_id")
    rows = (
        OutcomeResponse.objects.filter(member_id__in=answered)
        .order_by("member_id", "measure", "created_at", "id")
        .values_list("pk", "member_id", "measure", "band", "score", "created_at")
    )
    return link_answers(list(rows))


def link_answers(rows: list[tuple[int, int, str, str, int, datetime]]) -> list[AnswerLinks]:
    """Rows (id, member, measure, band, score, time), ordered by member, measure, time and id, linked in that order."""
    out = []
    for i, (pk, member_id, measure, band, score, at) in enumerate(rows):
        before = rows[i - 1] if i > 0 else None
        after = rows[i + 1] if i + 1 < len(rows) else None
        same = (member_id, measure)
        out.append(
            AnswerLinks(
                pk,
                measure,
                band,
                score,
                at,
                before[5] if before and before[1:3] == same else None,
                after[5] if after and after[1:3] == same else None,
            )
        )
    return out


# --- Reading ------------------------------------------------------------------------------------------------


NOTHING_KEPT: tuple[()] = ()


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
            if isinstance(values, str):
                values = NOTHING_KEPT if values == "[]" else json.loads(values)  # most rows keep nothing
            self.by_key[key][when] = (n, values)

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
    # The part of each block the span covers (a year is in one block, or the end of one and the start of the next):
    # the database cuts it out, so a member's row brings a year of characters rather than ten.
    parts = [(offset if i == 0 else 0, min(BLOCK, offset + len(weeks) - i * BLOCK)) for i in range(len(blocks))]
    start: Value | Case
    length: Value | Case
    if len(blocks) == 1:
        start, length = Value(parts[0][0] + 1), Value(parts[0][1] - parts[0][0])
    else:
        start = Case(*[When(first_week=b, then=Value(lo + 1)) for b, (lo, _) in zip(blocks, parts, strict=True)])
        length = Case(*[When(first_week=b, then=Value(hi - lo)) for b, (lo, hi) in zip(blocks, parts, strict=True)])
    stored = ActivityWeeks.objects.filter(first_week__in=blocks).annotate(part=Substr("weeks", start, length))
    found: dict[int, str]
    if len(blocks) == 1:
        found = dict(_raw(stored.values_list("member_id", "part")))
    else:  # the two parts of each member's weeks, one of them maybe not stored (nothing seen then)
        rows = _raw(stored.values_list("member_id", "first_week", "part"))
        position = {b: i for i, b in enumerate(blocks)} | {b.isoformat(): i for i, b in enumerate(blocks)}
        pieces: dict[int, list[str]] = {}
        for member_id, block, chars in rows:
            if member_id not in pieces:
                pieces[member_id] = [specs.NOT_SEEN * (hi - lo) for lo, hi in parts]
            pieces[member_id][position[block]] = chars
        found = {member_id: "".join(parts_of) for member_id, parts_of in pieces.items()}
    # Today's hosts count as hosting in any week they took part at all.
    hosts = set(Membership.objects.filter(is_host=True).values_list("member_id", flat=True).distinct())
    as_host = str.maketrans(dict.fromkeys("0123456", specs.RANK_CHARS["host"]))
    nothing = specs.NOT_SEEN * len(weeks)
    out = {member_id: chars for member_id, chars in found.items() if chars != nothing}
    for member_id in hosts & out.keys():
        out[member_id] = out[member_id].translate(as_host)
    return out


class Styles:
    """Counting ways of taking part over runs of the span's weeks without going through members one by one.

    For each week and each character ``c`` (``specs.RANK_CHARS`` and ``specs.ACTIVE``), the members whose character
    that week is ``c`` or smaller, as one integer with a byte per member (1: yes). A member's style over a run of
    weeks is the smallest character there, so the members whose style is ``c`` or more visible over the run are the
    OR of those integers, and how many they are is a bit count: a year's months cost microseconds, not a pass
    over every member for each month.
    """

    LEVELS = "0123456"

    def __init__(self, weeks_by_member: dict[int, str], n_weeks: int) -> None:
        joined = "".join(weeks_by_member.values()).encode("ascii")
        tables = [
            bytes.maketrans(b"0123456x", bytes(1 if c <= level else 0 for c in "0123456x")) for level in self.LEVELS
        ]
        # A week's column of characters is every n_weeks-th byte, one per member in the same order for every week.
        self.at_most = [
            [int.from_bytes(joined[w::n_weeks].translate(table)) for table in tables] for w in range(n_weeks)
        ]
        self.everyone = int.from_bytes(b"\x01" * len(weeks_by_member))

    def up_to(self, part: slice) -> list[int]:
        """For each level: the members whose character over the weeks of ``part`` is that level or smaller."""
        out = [0] * len(self.LEVELS)
        for week in self.at_most[part]:
            out = [a | b for a, b in zip(out, week, strict=True)]
        return out

    def exactly(self, part: slice) -> dict[str | None, int]:
        """Style -> the members with that style over ``part`` (None: active with no style, or not seen)."""
        levels = self.up_to(part)
        out: dict[str | None, int] = {}
        below = 0
        for char, members in zip(self.LEVELS, levels, strict=True):
            style = specs.STYLE_OF_CHAR.get(char)
            if style is not None:
                out[style] = members ^ below
                below = members
        out[None] = self.everyone ^ below
        return out

    def counts(self, part: slice) -> Counter[str]:
        """How many members had each style over ``part``."""
        return Counter(
            {style: n for style, members in self.exactly(part).items() if style and (n := members.bit_count())}
        )


def styles(span: Span) -> Styles:
    """The span's :class:`Styles` (memoised)."""

    def build() -> Styles:
        return Styles(weeks_of_activity(span), len(span.weeks()))

    found: Styles = span.memo("styles", build)
    return found


def counted_days(span: Span) -> tuple[int, int]:
    """How many of the span's days up to today are counted, of how many."""
    from hearth.insights.models import RolledUpDay

    last = min(span.end, timezone.localdate())
    if last < span.start:
        return 0, 0
    done = RolledUpDay.objects.filter(day__gte=span.start, day__lte=last).count()
    return done, (last - span.start).days + 1
