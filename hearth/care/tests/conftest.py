from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from hearth.care import cues
from hearth.care.models import Visit
from hearth.members import consent
from hearth.members.actions import do_set_consent
from hearth.members.models import Member

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # a Tuesday morning
TODAY = date(2026, 11, 24)


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    """A controllable clock: a Tuesday morning in London."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def share() -> Callable[..., None]:
    """``share(member, "mood", "peer_team")``: the member's choice in the consent centre."""

    def choose(member: Member, source: str, audience: str = consent.PEER_TEAM.key) -> None:
        do_set_consent(member, cues.KINDS[source].key, audience)

    return choose


def visits_every(
    member: Member, gap_days: int | list[int], *, count: int = 20, last: date = TODAY - timedelta(days=1)
) -> list[date]:
    """Visits ``gap_days`` apart (an int, or a list of gaps walked backwards from ``last``)."""
    gaps = [gap_days] * (count - 1) if isinstance(gap_days, int) else list(gap_days)
    day, days = last, [last]
    for gap in gaps:
        day -= timedelta(days=gap)
        days.append(day)
    Visit.objects.bulk_create([Visit(member=member, day=d) for d in days], ignore_conflicts=True)
    return days
