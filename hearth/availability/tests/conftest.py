from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.members.models import Member, Role
from hearth.testing import MakeMember

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    """A controllable clock: a Tuesday evening in London."""
    time_machine.move_to(datetime(2026, 11, 24, 19, 0, tzinfo=LONDON), tick=False)
    return time_machine


@pytest.fixture
def on_duty(clock: TimeMachineFixture) -> Callable[..., tuple[Member, ...]]:
    """Check people in for a shift; returns them."""

    def check_in(*people: Member) -> tuple[Member, ...]:
        for person in people:
            actions.do_check_in(person)
        return people

    return check_in


@pytest.fixture
def woman_volunteer(make_member: MakeMember) -> Member:
    return make_member("Ada", Role.VOLUNTEER, gender="Woman", age_band="25-34")


@pytest.fixture
def man_peer_worker(make_member: MakeMember) -> Member:
    return make_member("Ben", Role.PEER_WORKER, gender="man", age_band="50-64")
