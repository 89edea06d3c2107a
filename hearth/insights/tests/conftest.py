"""Insights' test cast: the shared people (hearth/conftest.py) plus a crowd, and a fixed fortnight.

``crowd(n)`` makes ``n`` ordinary members (Ann 1, Ann 2, …) for figures that need
at least five people before they are shown. ``FORTNIGHT`` is Monday 2 March to
Sunday 15 March 2026 (GMT throughout: the clocks change on 29 March).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from hearth.insights.models import InsightsSettings
from hearth.insights.registry import Span
from hearth.members.models import Member
from hearth.testing import MakeMember

WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)


def fortnight() -> Span:
    return Span(WEEK1, date(2026, 3, 15))


def count_fortnight() -> None:
    """Count the fortnight's figures, as the worker's rollup job does (the dashboard reads what it counted)."""
    from hearth.insights.actions import do_roll_up

    span = fortnight()
    do_roll_up(span.start, span.end)


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """An aware instant in March 2026 (London is on GMT all fortnight)."""
    from django.utils import timezone

    return timezone.make_aware(datetime(2026, 3, day, hour, minute))  # noqa: DTZ001 (made aware in London time)


@pytest.fixture
def crowd(make_member: MakeMember) -> Callable[..., list[Member]]:
    def make(n: int, prefix: str = "Ann", *roles: str) -> list[Member]:
        return [make_member(f"{prefix} {i}", *roles) for i in range(1, n + 1)]

    return make


@pytest.fixture
def measures_on(db: Any) -> InsightsSettings:
    s = InsightsSettings.load()
    s.phq9_on = s.gad7_on = s.ucla3_on = True
    s.save()
    return s
