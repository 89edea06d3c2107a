"""Service hours, staffing rules, gaps (also on daylight-saving days), filling and offering shifts, reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import (
    DutySession,
    OpenShift,
    RuleRole,
    ServiceHours,
    ShiftException,
    ShiftNotice,
    ShiftPattern,
    StaffingRule,
    SupporterProfile,
)
from hearth.availability.rota import Rota
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member, Role
from hearth.testing import ClientFor, MakeMember, run_deliveries, text, visible_text

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def friday(time_machine: TimeMachineFixture) -> date:
    """Friday 20 November 2026, noon in London: the week under test starts on the Monday after."""
    time_machine.move_to(datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    return date(2026, 11, 23)


@pytest.fixture
def days_10_to_18(db: None) -> None:
    for day in range(7):
        ServiceHours.objects.create(weekday=day, opens=time(10), closes=time(18))


@pytest.fixture
def team(make_member: MakeMember) -> tuple[list[Member], list[Member]]:
    """Four volunteers and two peer workers."""
    volunteers = [make_member(name, Role.VOLUNTEER) for name in ("Ann", "Bob", "Cy", "Di")]
    peers = [make_member(name, Role.PEER_WORKER) for name in ("Pat", "Quinn")]
    return volunteers, peers


def gap_hours(rota: Rota, day: date) -> list[tuple[str, str]]:
    return [(s.start.strftime("%H:%M%z"), s.gap) for s in rota.gaps() if s.start.date() == day]


# --- Rules produce the expected gaps -----------------------------------------------------------------


def test_at_least_four_on_during_the_day(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date, days_10_to_18: None
) -> None:
    volunteers, peers = team
    actions.do_add_staffing_rule(
        coordinator, who=RuleRole.ANYONE, minimum=4, weekdays=[0, 1, 2, 3, 4], starts=time(10), ends=time(14)
    )
    for person in [*volunteers[:2], peers[0]]:
        actions.do_add_shift_pattern(coordinator, person, weekday=0, starts=time(10), ends=time(18))
    monday = gap_hours(Rota(friday, 7), friday)
    assert monday == [(f"{h:02}:00+0000", "3 of 4 people on the rota") for h in (10, 11, 12, 13)]
    # Saturday isn't in the rule: only "nobody on" counts there.
    saturday = gap_hours(Rota(friday, 7), friday + timedelta(days=5))
    assert {g for _, g in saturday} == {"Nobody on the rota"}


def test_a_peer_worker_behind_the_volunteers_is_the_starting_rule(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date, days_10_to_18: None
) -> None:
    volunteers, peers = team
    actions.do_add_shift_pattern(coordinator, volunteers[0], weekday=0, starts=time(10), ends=time(18))
    actions.do_add_shift_pattern(coordinator, peers[0], weekday=0, starts=time(10), ends=time(16))
    assert not StaffingRule.objects.exists()
    assert gap_hours(Rota(friday, 7), friday) == [
        ("16:00+0000", "Volunteers only, no peer worker behind them"),
        ("17:00+0000", "Volunteers only, no peer worker behind them"),
    ]
    # The first rule written keeps the starting one, now as a row the coordinator can remove.
    actions.do_add_staffing_rule(coordinator, who=RuleRole.VOLUNTEER, minimum=1)
    assert StaffingRule.objects.filter(who=RuleRole.STAFF).count() == 1
    actions.do_remove_staffing_rule(coordinator, StaffingRule.objects.get(who=RuleRole.STAFF))
    assert gap_hours(Rota(friday, 7), friday) == []


def test_closed_days_and_holidays_have_no_gaps_and_special_hours_move_them(
    coordinator: Member, friday: date, days_10_to_18: None
) -> None:
    actions.do_set_service_hours(coordinator, 6, closed=True)  # Sundays closed
    actions.do_set_service_exception(coordinator, friday + timedelta(days=1), closed=True, note="Bank holiday")
    actions.do_set_service_exception(
        coordinator, friday + timedelta(days=2), closed=False, opens=time(12), closes=time(14)
    )
    rota = Rota(friday, 7)
    assert gap_hours(rota, friday + timedelta(days=6)) == []
    assert gap_hours(rota, friday + timedelta(days=1)) == []
    assert [h for h, _ in gap_hours(rota, friday + timedelta(days=2))] == ["12:00+0000", "13:00+0000"]
    assert len(gap_hours(rota, friday)) == 8
    assert AuditEntry.objects.filter(action="availability.hours.exception").count() == 2


def test_gaps_are_real_hours_on_the_spring_forward_day(
    coordinator: Member, peer_worker: Member, time_machine: TimeMachineFixture
) -> None:
    # Europe/London: 01:00-02:00 local never happens on Sunday 29 March 2026.
    time_machine.move_to(datetime(2026, 3, 20, 12, tzinfo=LONDON), tick=False)
    ServiceHours.objects.create(weekday=6, opens=time(0), closes=time(4))
    for day in range(6):
        ServiceHours.objects.create(weekday=day, closed=True)
    actions.do_add_staffing_rule(coordinator, who=RuleRole.ANYONE, minimum=2, weekdays=[6])
    actions.do_add_shift_pattern(coordinator, peer_worker, weekday=6, starts=time(0), ends=time(4))
    rota = Rota(date(2026, 3, 23), 7)
    assert gap_hours(rota, date(2026, 3, 29)) == [
        ("00:00+0000", "1 of 2 people on the rota"),
        ("02:00+0100", "1 of 2 people on the rota"),
        ("03:00+0100", "1 of 2 people on the rota"),
    ]
    [block] = rota.gap_blocks()
    assert (block.starts, block.ends, block.hours) == (time(0), time(4), 3)


def test_gaps_are_real_hours_on_the_fall_back_day(
    coordinator: Member, peer_worker: Member, time_machine: TimeMachineFixture
) -> None:
    # 01:00-02:00 local happens twice on Sunday 25 October 2026.
    time_machine.move_to(datetime(2026, 10, 16, 12, tzinfo=LONDON), tick=False)
    ServiceHours.objects.create(weekday=6, opens=time(0), closes=time(3))
    for day in range(6):
        ServiceHours.objects.create(weekday=day, closed=True)
    rota = Rota(date(2026, 10, 19), 7)
    assert [h for h, _ in gap_hours(rota, date(2026, 10, 25))] == [
        "00:00+0100",
        "01:00+0100",
        "01:00+0000",
        "02:00+0000",
    ]
    [block] = rota.gap_blocks()
    assert (block.starts, block.ends, block.hours) == (time(0), time(3), 4)
    # Filling it from the gap covers every real hour, the repeated one too.
    actions.do_fill_gap(coordinator, peer_worker, block.day, block.starts, block.ends)
    assert Rota(date(2026, 10, 19), 7).gaps() == []


def test_rules_describe_themselves_in_plain_words(coordinator: Member, db: None) -> None:
    rule = actions.do_add_staffing_rule(
        coordinator, who=RuleRole.ANYONE, minimum=4, weekdays=[0, 1, 2, 3, 4], starts=time(10), ends=time(18)
    )
    assert rule.describe() == "At least 4 people on the rota: Monday to Friday, 10:00-18:00"
    staff = StaffingRule.objects.get(who=RuleRole.STAFF)
    assert staff.describe() == "At least one peer worker or counsellor: every day, all service hours"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"who": "wizard", "minimum": 1}, "who the rule is about"),
        ({"who": "anyone", "minimum": 0}, "at least one person"),
        ({"who": "anyone", "minimum": 1, "starts": time(10)}, "both times"),
        ({"who": "anyone", "minimum": 1, "starts": time(10), "ends": time(9)}, "both times"),
        ({"who": "anyone", "minimum": 1, "weekdays": [9]}, "days of the week"),
    ],
)
def test_bad_rules_are_refused_in_plain_words(coordinator: Member, values: dict[str, Any], message: str) -> None:
    with pytest.raises(ActionError, match=message):
        actions.do_add_staffing_rule(coordinator, **values)


# --- Filling and offering from the gap ------------------------------------------------------------------


def test_the_coordinator_fills_a_gap_from_the_gap_itself(
    client_for: ClientFor,
    coordinator: Member,
    team: tuple[list[Member], list[Member]],
    friday: date,
    days_10_to_18: None,
) -> None:
    _, peers = team
    page = visible_text(client_for(coordinator).get(reverse("availability:rota"), {"week": "2026-11-23"}))
    assert "Mon 23 Nov, 10:00\N{EN DASH}18:00" in page and "Nobody on the rota" in page
    response = client_for(coordinator).post(
        reverse("availability:rota_gap"),
        {"week": "2026-11-23", "date": "2026-11-23", "starts": "10:00", "ends": "18:00", "supporter": peers[0].pk},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("availability:rota"))
    assert gap_hours(Rota(friday, 7), friday) == []
    assert AuditEntry.objects.filter(action="availability.gap.filled", subject=peers[0]).exists()
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[peers[0].email]]
    assert "Monday 23 November, 10:00 to 18:00" in mail.outbox[0].body


def test_the_fill_list_offers_only_people_who_could_take_it(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date, days_10_to_18: None
) -> None:
    volunteers, peers = team
    actions.do_add_staffing_rule(coordinator, who=RuleRole.ANYONE, minimum=1)  # keeps the peer-worker rule too
    actions.do_add_shift_pattern(coordinator, volunteers[0], weekday=0, starts=time(10), ends=time(18))
    actions.do_save_supporter_profile(peers[1], peers[1], away_until=friday + timedelta(days=7))
    actions.do_save_supporter_profile(peers[0], peers[0], preferred_days=[0])
    rota = Rota(friday, 7)
    [monday] = [b for b in rota.gap_blocks() if b.day == friday]
    assert monday.who == RuleRole.STAFF and monday.reason == "Volunteers only, no peer worker behind them"
    # Jo the coordinator is staff too, and could step in; Quinn is on a break.
    assert actions.Eligibility(rota).for_shift(friday, monday.starts, monday.ends, monday.who) == [
        peers[0],
        coordinator,
    ]  # Pat said Mondays suit
    # Anyone (for a "nobody on" gap) lists those it suits first: Pat prefers Mondays.
    names = [p.display_name for p in actions.eligible_for_shift(friday, time(10), time(12), RuleRole.ANYONE)]
    assert names == ["Pat", "Bob", "Cy", "Di", "Jo"]  # Ann is on already, Quinn is away


def test_weekly_hour_caps_are_respected(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date, days_10_to_18: None
) -> None:
    volunteers, _ = team
    actions.do_save_supporter_profile(volunteers[1], volunteers[1], max_hours_per_week=8)
    actions.do_add_shift_pattern(coordinator, volunteers[1], weekday=1, starts=time(10), ends=time(16))
    eligible = actions.eligible_for_shift(friday, time(10), time(13), RuleRole.VOLUNTEER)
    assert volunteers[1] not in eligible and volunteers[0] in eligible
    assert volunteers[1] in actions.eligible_for_shift(friday, time(10), time(12), RuleRole.VOLUNTEER)


def test_an_offered_shift_goes_to_the_first_who_claims_it(
    client_for: ClientFor,
    coordinator: Member,
    team: tuple[list[Member], list[Member]],
    friday: date,
    days_10_to_18: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    volunteers, peers = team
    response = client_for(coordinator).post(
        reverse("availability:rota_gap"),
        {"action": "offer", "date": "2026-11-24", "starts": "10:00", "ends": "14:00", "who": "staff"},
    )
    assert response.status_code == 302
    offer = OpenShift.objects.get()
    assert set(offer.offered_to.all()) == set(peers)  # peer workers only, not volunteers or the coordinator
    run_deliveries()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in peers)
    page = visible_text(client_for(peers[0]).get(reverse("availability:rota"), {"week": "2026-11-23"}))
    assert "Shifts you could take" in page and "Tuesday 24 Nov, 10:00\N{EN DASH}14:00" in page
    assert "Tuesday 24 Nov" not in visible_text(
        client_for(volunteers[0]).get(reverse("availability:rota"), {"week": "2026-11-23"})
    )
    # Both tap at once with the offer they loaded: one has it, the other is thanked.
    stale = OpenShift.objects.get(pk=offer.pk)
    actions.do_claim_open_shift(peers[0], offer)
    with pytest.raises(ActionError, match="Someone has just taken this shift"):
        actions.do_claim_open_shift(peers[1], stale)
    assert ShiftException.objects.filter(kind="extra").count() == 1
    assert OpenShift.objects.get().claimed_by == peers[0]
    assert [d for d in Rota(friday, 7).gap_blocks() if d.day == date(2026, 11, 24) and d.starts == time(10)] == []
    mail.outbox.clear()
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Pat took the shift" in mail.outbox[0].subject


def test_a_volunteer_cannot_claim_a_shift_meant_for_peer_workers(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date
) -> None:
    volunteers, _ = team
    offer = actions.do_offer_shift(coordinator, friday, time(10), time(12), who=RuleRole.STAFF)
    with pytest.raises(ActionError, match="another role"):
        actions.do_claim_open_shift(volunteers[0], offer)
    assert OpenShift.objects.get().state == OpenShift.State.OPEN


def test_a_withdrawn_offer_cannot_be_claimed_and_its_emails_stop(
    coordinator: Member, team: tuple[list[Member], list[Member]], friday: date
) -> None:
    _, peers = team
    offer = actions.do_offer_shift(coordinator, friday, time(10), time(12), who=RuleRole.STAFF)
    actions.do_withdraw_open_shift(coordinator, offer)
    assert run_deliveries() == 0 and mail.outbox == []
    with pytest.raises(ActionError, match="withdrawn"):
        actions.do_claim_open_shift(peers[0], offer)


def test_offers_for_past_days_are_refused(coordinator: Member, friday: date) -> None:
    with pytest.raises(ActionError, match="has passed"):
        actions.do_offer_shift(coordinator, friday - timedelta(days=7), time(10), time(12))


# --- Reminders and "nobody has checked in" ----------------------------------------------------------


def test_a_supporter_is_reminded_once_before_their_shift(
    coordinator: Member, volunteer: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=0, starts=time(18), ends=time(21))
    time_machine.move_to(datetime(2026, 11, 23, 16, 30, tzinfo=LONDON), tick=False)
    assert actions.send_shift_reminders() == 0  # 90 minutes ahead: not yet
    time_machine.move_to(datetime(2026, 11, 23, 17, 5, tzinfo=LONDON), tick=False)
    assert actions.send_shift_reminders() == 1
    assert actions.send_shift_reminders() == 0  # once
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[volunteer.email]]
    assert "Your shift starts at 18:00" in mail.outbox[0].subject


def test_coordinators_hear_when_nobody_has_checked_in(
    coordinator: Member, volunteer: Member, peer_worker: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=0, starts=time(18), ends=time(21))
    actions.do_add_shift_pattern(coordinator, peer_worker, weekday=0, starts=time(18), ends=time(21))
    time_machine.move_to(datetime(2026, 11, 23, 18, 10, tzinfo=LONDON), tick=False)
    actions.do_check_in(peer_worker)
    assert actions.alert_missed_check_ins() == 0  # within the grace time
    time_machine.move_to(datetime(2026, 11, 23, 18, 20, tzinfo=LONDON), tick=False)
    assert actions.alert_missed_check_ins() == 1  # Sam, not Priya, who checked in
    assert actions.alert_missed_check_ins() == 0
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Sam" in mail.outbox[0].subject and "20 minutes later" in mail.outbox[0].body
    assert ShiftNotice.objects.get().kind == ShiftNotice.Kind.NO_CHECK_IN
    assert AuditEntry.objects.filter(action="availability.shift.no_check_in", subject=volunteer).exists()


def test_the_rota_page_shows_who_has_not_checked_in(
    client_for: ClientFor,
    coordinator: Member,
    volunteer: Member,
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=0, starts=time(18), ends=time(21))
    time_machine.move_to(datetime(2026, 11, 23, 18, 30, tzinfo=LONDON), tick=False)
    page = visible_text(client_for(coordinator).get(reverse("availability:rota")))
    assert "Not checked in yet" in page and "Sam: shift 18:00\N{EN DASH}21:00" in page
    DutySession.objects.create(supporter=volunteer)
    assert "Not checked in yet" not in visible_text(client_for(coordinator).get(reverse("availability:rota")))


def test_the_worker_runs_reminders_and_check_in_alerts_as_periodic_tasks() -> None:
    from hearth.availability import tasks
    from hearth.core.scheduler import registered_jobs

    assert {tasks.remind_shifts.module_path, tasks.alert_missed_check_ins.module_path} <= set(registered_jobs())


# --- Pages and who may use them --------------------------------------------------------------------


def test_the_coordinator_edits_hours_rules_and_special_days_on_one_page(
    client_for: ClientFor, coordinator: Member, friday: date
) -> None:
    client = client_for(coordinator)
    assert reverse("availability:rules") in text(client.get(reverse("members:team")))
    hours = {"form": "hours"}
    for day in range(7):
        hours |= {f"day{day}-opens": "10:00", f"day{day}-closes": "20:00"}
    hours["day6-closed"] = "on"
    assert client.post(reverse("availability:rules"), hours).status_code == 302
    assert ServiceHours.objects.get(weekday=6).closed and ServiceHours.objects.get(weekday=0).closes == time(20)
    client.post(
        reverse("availability:rules"),
        {"form": "rule", "minimum": "4", "who": "anyone", "weekdays": ["0", "1"], "starts": "10:00", "ends": "14:00"},
    )
    client.post(reverse("availability:rules"), {"form": "exception", "date": "2026-12-25", "closed": "yes"})
    page = visible_text(client.get(reverse("availability:rules")))
    assert "At least 4 people on the rota: Monday and Tuesday, 10:00-14:00" in page
    assert "Friday 25 December 2026: closed" in page


def test_bad_hours_get_a_clear_error(client_for: ClientFor, coordinator: Member, db: None) -> None:
    client = client_for(coordinator)
    response = client.post(reverse("availability:rules"), {"form": "hours", "day0-opens": "25:99"}, follow=True)
    assert "Check the hours marked below" in visible_text(response)
    response = client.post(
        reverse("availability:rules"), {"form": "exception", "date": "soon", "closed": "no"}, follow=True
    )
    assert response.status_code == 200 and "Check the date and times" in visible_text(response)
    response = client.post(reverse("availability:rota_gap"), {"date": "whenever"}, follow=True)
    assert response.status_code == 200 and "Reload the rota" in visible_text(response)
    assert not ServiceHours.objects.exists()


@pytest.mark.parametrize("who", ["member", "volunteer", "peer_worker"])
def test_only_coordinators_change_hours_rules_or_fill_gaps(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    coordinator: Member,
    friday: date,
) -> None:
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get(reverse("availability:rules")).status_code == 403
    assert client.post(reverse("availability:rules"), {"form": "rule", "minimum": "9"}).status_code == 403
    gap = {"date": "2026-11-23", "starts": "10:00", "ends": "12:00", "supporter": person.pk}
    assert client.post(reverse("availability:rota_gap"), gap).status_code == 403
    assert client.post(reverse("availability:rota_gap"), {**gap, "action": "offer"}).status_code == 403
    offer = actions.do_offer_shift(coordinator, friday, time(10), time(12))
    assert client.post(reverse("availability:offer_withdraw", args=[offer.pk])).status_code in (403, 404)
    assert not ShiftException.objects.exists() and not StaffingRule.objects.exists()
    assert OpenShift.objects.get().state == OpenShift.State.OPEN


def test_members_cannot_claim_offered_shifts(
    client_for: ClientFor, member: Member, coordinator: Member, friday: date
) -> None:
    offer = actions.do_offer_shift(coordinator, friday, time(10), time(12))
    assert client_for(member).post(reverse("availability:offer_claim", args=[offer.pk])).status_code == 404
    assert OpenShift.objects.get().state == OpenShift.State.OPEN


def test_the_week_view_is_compact_and_gaps_come_first(
    client_for: ClientFor,
    coordinator: Member,
    make_member: MakeMember,
    friday: date,
    days_10_to_18: None,
) -> None:
    people = [make_member(f"Helper {i}", Role.VOLUNTEER) for i in range(10)]
    for i, person in enumerate(people):
        actions.do_add_shift_pattern(coordinator, person, weekday=i % 7, starts=time(10), ends=time(14))
    page = text(client_for(coordinator).get(reverse("availability:rota"), {"week": "2026-11-23"}))
    assert page.index("Coverage gaps this week") < page.index("The week") < page.index("Add a regular shift")
    assert page.count("<tr") < 30  # one row per day, one per regular shift: not one per hour
    assert SupporterProfile.objects.count() == 0
    assert ShiftPattern.objects.count() == 10
