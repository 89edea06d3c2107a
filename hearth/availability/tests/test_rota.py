"""Coverage gaps across recurring patterns and one-off exceptions, including daylight-saving days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import ServiceHours, ShiftPattern
from hearth.availability.rota import Rota, hour_slots, next_scheduled_start
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, text

MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _the_friday_before(time_machine: TimeMachineFixture) -> None:
    """Every story here happens in the week of MONDAY, planned on the Friday before.

    New shift patterns apply from the day they are made (``ShiftPattern.valid_from`` defaults to today), so
    the clock must stand before the week under test whatever the real date is.
    """
    time_machine.move_to(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def evenings_only(db: None) -> None:
    """The service means to be open 18:00-21:00 every day."""
    for day in range(7):
        ServiceHours.objects.create(weekday=day, opens=time(18), closes=time(21))


def test_hours_with_nobody_and_hours_with_only_volunteers_are_gaps(
    coordinator: Member, volunteer: Member, man_peer_worker: Member, evenings_only: None
) -> None:
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=0, starts=time(18), ends=time(21))
    actions.do_add_shift_pattern(coordinator, man_peer_worker, weekday=0, starts=time(18), ends=time(20))
    gaps = Rota(MONDAY, 7).gaps()
    monday = [(s.start.hour, s.gap) for s in gaps if s.start.date() == MONDAY]
    assert monday == [(20, "Volunteers only, no peer worker behind them")]
    tuesday = [s for s in gaps if s.start.date() == date(2026, 11, 24)]
    assert [s.gap for s in tuesday] == ["Nobody on the rota"] * 3


def test_one_off_changes_override_the_pattern(
    coordinator: Member, volunteer: Member, man_peer_worker: Member, evenings_only: None
) -> None:
    actions.do_add_shift_pattern(coordinator, man_peer_worker, weekday=2, starts=time(18), ends=time(21))
    actions.do_mark_off(coordinator, man_peer_worker, date(2026, 11, 25))
    actions.do_add_extra_shift(coordinator, volunteer, date(2026, 11, 25), time(18), time(19))
    wednesday = [s for s in Rota(MONDAY, 7).slots() if s.start.date() == date(2026, 11, 25) and s.in_service_hours]
    assert [[p.display_name for p in s.supporters] for s in wednesday] == [["Sam"], [], []]
    assert AuditEntry.objects.filter(action="availability.shift.off").count() == 1


def test_cover_swaps_who_is_on(
    coordinator: Member, volunteer: Member, man_peer_worker: Member, evenings_only: None
) -> None:
    pattern = actions.do_add_shift_pattern(man_peer_worker, man_peer_worker, weekday=3, starts=time(18), ends=time(21))
    cover = actions.do_request_cover(man_peer_worker, pattern, date(2026, 11, 26), "dentist")
    with pytest.raises(ActionError, match="own shift"):
        actions.do_take_cover(man_peer_worker, cover)
    actions.do_take_cover(volunteer, cover)
    thursday = [s for s in Rota(MONDAY, 7).slots() if s.start.date() == date(2026, 11, 26) and s.in_service_hours]
    assert all([p.display_name for p in s.supporters] == ["Sam"] for s in thursday)
    with pytest.raises(ActionError, match="already covered"):
        actions.do_take_cover(coordinator, cover)


def test_spring_forward_day_has_23_hours_and_a_shift_across_the_gap_is_one_real_hour(
    coordinator: Member, man_peer_worker: Member
) -> None:
    # Europe/London: clocks go forward at 01:00 GMT on Sunday 29 March 2026 (01:00-02:00 local never happens).
    assert len(hour_slots(date(2026, 3, 29), 1)) == 23
    actions.do_add_shift_pattern(coordinator, man_peer_worker, weekday=6, starts=time(1), ends=time(3))
    ShiftPattern.objects.update(valid_from=date(2026, 1, 1))
    rota = Rota(date(2026, 3, 23), 7)
    on = [s for s in rota.slots() if s.supporters]
    assert [(s.start.hour, s.start.utcoffset()) for s in on] == [(1, timedelta(0))] or [
        s.start.strftime("%H:%M%z") for s in on
    ] == ["02:00+0100"]
    assert len(on) == 1


def test_fall_back_day_has_25_hours_and_the_repeated_hour_is_covered_twice(
    coordinator: Member, man_peer_worker: Member
) -> None:
    # Clocks go back at 02:00 BST on Sunday 25 October 2026: 01:00-02:00 local happens twice.
    assert len(hour_slots(date(2026, 10, 25), 1)) == 25
    actions.do_add_shift_pattern(coordinator, man_peer_worker, weekday=6, starts=time(1), ends=time(2))
    ShiftPattern.objects.update(valid_from=date(2026, 1, 1))
    on = [s for s in Rota(date(2026, 10, 19), 7).slots() if s.supporters]
    assert [s.start.strftime("%H:%M%z") for s in on] == ["01:00+0100", "01:00+0000"]


def test_next_supporter_on_is_found_for_the_fallback(
    coordinator: Member, volunteer: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-24T22:30:00+00:00", tick=False)  # Tuesday night
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=3, starts=time(10), ends=time(12))
    start = next_scheduled_start()
    assert start is not None and start.strftime("%A %H:%M") == "Thursday 10:00"


def test_supporters_edit_only_their_own_shifts(volunteer: Member, man_peer_worker: Member, member: Member) -> None:
    with pytest.raises(ActionError, match="only your own"):
        actions.do_add_shift_pattern(volunteer, man_peer_worker, weekday=1, starts=time(9), ends=time(10))
    with pytest.raises(ActionError):
        actions.do_add_shift_pattern(member, member, weekday=1, starts=time(9), ends=time(10))
    with pytest.raises(ActionError, match="end after it starts"):
        actions.do_add_shift_pattern(volunteer, volunteer, weekday=1, starts=time(10), ends=time(9))


def test_rota_page_shows_gaps_to_coordinators(
    client_for: ClientFor, coordinator: Member, volunteer: Member, evenings_only: None
) -> None:
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=0, starts=time(18), ends=time(21))
    page = text(client_for(coordinator).get(reverse("availability:rota"), {"week": "2026-11-23"}))
    assert "Coverage gaps this week" in page and "Volunteers only" in page
    assert "Coverage gaps" not in text(client_for(volunteer).get(reverse("availability:rota"), {"week": "2026-11-23"}))


def test_members_cannot_see_the_rota_or_other_peoples_shifts(
    client_for: ClientFor, member: Member, volunteer: Member, man_peer_worker: Member
) -> None:
    pattern = actions.do_add_shift_pattern(man_peer_worker, man_peer_worker, weekday=0, starts=time(9), ends=time(10))
    assert client_for(member).get(reverse("availability:rota")).status_code == 403
    response = client_for(volunteer).post(reverse("availability:rota_pattern", args=[pattern.pk]), {"action": "remove"})
    assert response.status_code == 404
    assert ShiftPattern.objects.filter(pk=pattern.pk, valid_until__isnull=True).exists()


def test_rota_page_runs_a_constant_number_of_queries(
    client_for: ClientFor,
    coordinator: Member,
    make_member: MakeMember,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    from hearth.members.models import Role

    client = client_for(coordinator)
    client.get(reverse("availability:rota"))
    people = [make_member(f"Helper {i}", Role.VOLUNTEER) for i in range(12)]
    for i, p in enumerate(people[:3]):
        actions.do_add_shift_pattern(coordinator, p, weekday=i % 7, starts=time(9), ends=time(12))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("availability:rota"))
    # Session and person, the week (patterns, exceptions, hours, special days, rules), offers, cover requests,
    # who could fill each gap (supporters and profiles, once for every gap), regular shifts, check-ins.
    assert len(few.captured_queries) <= 24
    for i, p in enumerate(people[3:]):
        actions.do_add_shift_pattern(coordinator, p, weekday=i % 7, starts=time(13), ends=time(17))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("availability:rota"))
