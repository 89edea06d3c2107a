"""The on-call rota: coordinators set who is reached, and how, for the hours nobody is on duty (issue 13)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.availability import actions, oncall
from hearth.availability.models import OnCallSlot, ShiftPattern, Weekday
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member, Role
from hearth.testing import ClientFor, MakeMember, text

from .conftest import LONDON


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def night(person: Member, weekday: int = Weekday.FRIDAY, channel: str = OnCallSlot.Channel.PUSH) -> OnCallSlot:
    return OnCallSlot.objects.create(person=person, weekday=weekday, starts=time(22), ends=time(8), channel=channel)


def test_a_night_slot_runs_past_midnight_into_the_next_morning(peer_worker: Member) -> None:
    night(peer_worker)
    assert [s.person for s in oncall.on_call_at(at(2026, 11, 27, 23, 30))] == [peer_worker]  # Friday night
    assert [s.person for s in oncall.on_call_at(at(2026, 11, 28, 7, 59))] == [peer_worker]  # Saturday morning
    assert oncall.on_call_at(at(2026, 11, 28, 8, 0)) == []
    assert oncall.on_call_at(at(2026, 11, 27, 21, 59)) == []
    assert oncall.on_call_at(at(2026, 11, 28, 23, 0)) == []  # Saturday night is someone else's, or nobody's


def test_the_wall_clock_decides_on_the_night_the_clocks_go_back(peer_worker: Member) -> None:
    night(peer_worker, weekday=Weekday.SATURDAY)
    # 25 October 2026: 01:30 happens twice in London (BST, then GMT); on call for both.
    for fold in (0, 1):
        assert oncall.on_call_at(datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LONDON)) != []


def test_the_coming_week_shows_hours_with_nobody_on_the_rota_or_on_call(
    peer_worker: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    # Tuesday 24 November, 19:00. A volunteer on the rota Tuesday 18:00-22:00; Priya on call from 22:00.
    ShiftPattern.objects.create(
        supporter=volunteer, weekday=Weekday.TUESDAY, starts=time(18), ends=time(22), valid_from=at(2026, 11, 1).date()
    )
    night(peer_worker, weekday=Weekday.TUESDAY)
    first = oncall.uncovered(days=1)[0]
    assert (first.start, first.end) == (at(2026, 11, 25, 8), at(2026, 11, 25, 19))  # Wednesday, 08:00 to 19:00
    assert first.hours == 11


def test_only_people_who_handle_crisis_alerts_can_be_on_call(
    coordinator: Member, volunteer: Member, peer_worker: Member
) -> None:
    with pytest.raises(ActionError, match="can't be on call"):
        actions.do_add_on_call(coordinator, person=volunteer, weekday=0, starts=time(22), ends=time(8), channel="push")
    slot = actions.do_add_on_call(
        coordinator, person=peer_worker, weekday=0, starts=time(22), ends=time(8), channel="email"
    )
    assert slot.describe() == "Monday 22:00 to Tuesday 08:00"
    entry = AuditEntry.objects.get(action="availability.on_call.added")
    assert entry.subject == peer_worker and entry.data["channel"] == "email"


@pytest.mark.parametrize("who", ["member", "volunteer", "peer_worker", "outsider"])
def test_only_coordinators_set_the_on_call_rota(
    request: pytest.FixtureRequest, client_for: ClientFor, who: str
) -> None:
    person = request.getfixturevalue(who)
    assert client_for(person).get(reverse("availability:on_call")).status_code == 403


def test_a_coordinator_puts_someone_on_call_from_team_tools(
    client_for: ClientFor,
    coordinator: Member,
    peer_worker: Member,
    make_member: MakeMember,
    clock: TimeMachineFixture,
) -> None:
    make_member("Sam", Role.VOLUNTEER)
    client = client_for(coordinator)
    assert reverse("availability:on_call") in text(client.get(reverse("members:team")))
    page = client.get(reverse("availability:on_call"))
    assert "Nobody is on call right now" in text(page)
    assert "Sam" not in text(page)  # volunteers aren't offered
    client.post(
        reverse("availability:on_call"),
        {"form": "add", "person": peer_worker.pk, "weekday": 1, "starts": "18:00", "ends": "08:00", "channel": "push"},
    )
    words = text(client.get(reverse("availability:on_call")))
    assert "On call now: Priya (push to their phone)" in words
    # Priya has no device with push on: the page says what will really happen.
    assert "Priya has no phone or computer with push turned on, so they will be emailed instead" in words
    slot = OnCallSlot.objects.get()
    client.post(reverse("availability:on_call"), {"form": "remove", "slot": slot.pk})
    assert not OnCallSlot.objects.exists()


def test_bad_on_call_input_gets_a_clear_message(
    client_for: ClientFor, coordinator: Member, peer_worker: Member
) -> None:
    client = client_for(coordinator)
    page = client.post(
        reverse("availability:on_call"),
        {"form": "add", "person": "99999", "weekday": 9, "starts": "late", "ends": "", "channel": "pigeon"},
    )
    assert page.status_code == 200 and "Check the on-call hours" in text(page)
    page = client.post(reverse("availability:on_call"), {"form": "remove", "slot": "nope"})
    assert page.status_code == 400 and "The value for “slot” should be a number" in text(page)
    assert client.post(reverse("availability:on_call"), {"form": "remove", "slot": "99999"}).status_code == 404
