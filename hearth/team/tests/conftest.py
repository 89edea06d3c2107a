from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from hearth.team.models import TrainingModule

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    """A Tuesday morning in London; dates in these tests are built from TODAY."""
    time_machine.move_to(datetime(2026, 11, 24, 10, tzinfo=LONDON), tick=False)
    return time_machine


@pytest.fixture
def safeguarding(db: None) -> TrainingModule:
    return TrainingModule.objects.create(
        name="Safeguarding", required_for=["volunteer", "peer_worker"], renew_every_months=12
    )


@pytest.fixture
def crisis_response(db: None) -> TrainingModule:
    return TrainingModule.objects.create(name="Crisis response", required_for=["peer_worker"])
