"""When a recurring gathering happens: pure date arithmetic, no database.

A series is a wall-clock rule in the organisation's time zone ("every Tuesday at 7 pm"), so its gatherings stay
at 7 pm across the daylight-saving changes: each occurrence is a *local date* first, and only then combined
with the local time and the zone (:func:`local_start`). Adding 168 hours to an instant would drift by an
hour twice a year.

- weekly: every 7 days from the first date; fortnightly: every 14;
- monthly: the same weekday in the same week of the month as the first date ("the second Tuesday"); a first
  date in the month's last seven days means "the last Tuesday", so a rule started on the 29th never skips a
  month.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"
ORDINALS = ["first", "second", "third", "fourth", "last"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def week_of_month(day: date) -> int:
    """0-3 for the first to fourth such weekday of the month, 4 for the last one (see the module docstring)."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    if day.day > days_in_month - 7:
        return 4
    return (day.day - 1) // 7


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (0-3, or 4 for the last) ``weekday`` of a month."""
    if nth == 4:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * nth)


def dates(repeat: str, first: date, *, since: date, until: date) -> Iterator[date]:
    """The rule's dates from ``since`` to ``until`` (both included), never before ``first``."""
    since = max(since, first)
    if repeat in (WEEKLY, FORTNIGHTLY):
        step = 7 if repeat == WEEKLY else 14
        skip = (since - first).days
        day = first + timedelta(days=-(-skip // step) * step)  # the first occurrence on or after `since`
        while day <= until:
            yield day
            day += timedelta(days=step)
    elif repeat == MONTHLY:
        nth, year, month = week_of_month(first), since.year, since.month
        while date(year, month, 1) <= until:
            day = nth_weekday(year, month, first.weekday(), nth)
            if since <= day <= until:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        raise ValueError(f"unknown repeat {repeat!r}")


def local_start(day: date, at: time) -> datetime:
    """``at`` on ``day`` in the organisation's zone, as an aware datetime.

    On the night the clocks go forward a time between 1 and 2 am doesn't exist; Python reads it with the offset
    before the change (01:30 becomes 02:30 BST). On the night they go back, 1:30 happens twice; the first (BST)
    is meant. Both only matter for gatherings held in the small hours.
    """
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def describe(repeat: str, first: date, at: time) -> str:
    """``"Every Tuesday, 7 pm"``, ``"Every other Tuesday, 7 pm"``, ``"The second Tuesday of each month, 7 pm"``."""
    from hearth.chat.models import clock

    weekday = WEEKDAYS[first.weekday()]
    if repeat == WEEKLY:
        rule = f"Every {weekday}"
    elif repeat == FORTNIGHTLY:
        rule = f"Every other {weekday}"
    else:
        rule = f"The {ORDINALS[week_of_month(first)]} {weekday} of each month"
    return f"{rule}, {clock(at)}"
