"""Each cue, worked out from what the member shares, against their own usual pattern."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from time_machine import TimeMachineFixture

from hearth.care import actions, cues
from hearth.care.models import CareItem, Source, Visit
from hearth.care.tests.conftest import TODAY, visits_every
from hearth.community.models import CommunityProfile
from hearth.members.models import Member


def items(member: Member, source: str) -> list[CareItem]:
    return list(CareItem.objects.filter(member=member, source=source).exclude(state="done"))


def test_baseline_needs_enough_history() -> None:
    days = [TODAY - timedelta(days=2 * i) for i in range(8)][::-1]
    assert cues.visit_baseline(days) is None  # 7 gaps: not enough to know what "usual" is
    days = [TODAY - timedelta(days=2 * i) for i in range(9)][::-1]
    baseline = cues.visit_baseline(days)
    assert baseline is not None and baseline.usual == 2 and baseline.threshold == 4


def test_a_regular_visitor_gone_quiet_is_noticed_in_her_own_terms(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.GOING_QUIET)
    Visit.objects.all().delete()
    visits_every(member, 2, last=TODAY - timedelta(days=12))
    actions.do_refresh_cues()
    [item] = items(member, Source.GOING_QUIET)
    assert item.reason == "hasn't been in for 12 days — usually here every 2 days"


def test_baselines_are_per_member(
    member: Member, outsider: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    """The same ten days away is unusual for Robin (every day or two) and ordinary for Kit (every fortnight)."""
    for person in (member, outsider):
        share(person, Source.GOING_QUIET)
    Visit.objects.all().delete()
    visits_every(member, 1, last=TODAY - timedelta(days=10))
    visits_every(outsider, 14, last=TODAY - timedelta(days=10))
    actions.do_refresh_cues()
    assert items(member, Source.GOING_QUIET)
    assert not items(outsider, Source.GOING_QUIET)


def test_an_irregular_member_is_not_flagged_falsely(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    """Mostly every day or two, but often away for two or three weeks: 16 days away is normal for them."""
    share(member, Source.GOING_QUIET)
    Visit.objects.all().delete()
    gaps = [1, 2, 1, 18, 1, 1, 2, 21, 1, 3, 1, 15, 2, 1, 1, 20, 1, 2]
    visits_every(member, gaps, last=TODAY - timedelta(days=16))
    baseline = cues.visit_baseline(sorted(Visit.objects.filter(member=member).values_list("day", flat=True)))
    assert baseline is not None and baseline.usual <= 2
    actions.do_refresh_cues()
    assert not items(member, Source.GOING_QUIET)
    # ...but a long absence even for them is still noticed.
    Visit.objects.all().delete()
    visits_every(member, gaps, last=TODAY - timedelta(days=40))
    actions.do_refresh_cues()
    assert items(member, Source.GOING_QUIET)


def test_coming_back_clears_the_cue(member: Member, share: Callable[..., None], clock: TimeMachineFixture) -> None:
    share(member, Source.GOING_QUIET)
    Visit.objects.all().delete()
    visits_every(member, 2, last=TODAY - timedelta(days=12))
    actions.do_refresh_cues()
    assert items(member, Source.GOING_QUIET)
    assert actions.record_visit(member)
    actions.do_refresh_cues()
    assert not items(member, Source.GOING_QUIET)


def test_visits_are_not_recorded_without_consent(member: Member, clock: TimeMachineFixture) -> None:
    assert not actions.record_visit(member)
    assert not Visit.objects.filter(member=member).exists()


def test_low_mood_three_check_ins_running(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    for days_ago in (2, 1, 0):
        clock.move_to(clock_at(days_ago))
        actions.do_check_in_mood(member, 2, "tired")
    actions.do_refresh_cues()
    [item] = items(member, Source.MOOD)
    assert item.reason == "mood 2/5 three check-ins running"


def clock_at(days_ago: int) -> datetime:
    from hearth.care.tests.conftest import NOW

    return NOW - timedelta(days=days_ago)


def test_one_low_day_is_not_a_cue(member: Member, share: Callable[..., None], clock: TimeMachineFixture) -> None:
    share(member, Source.MOOD)
    actions.do_check_in_mood(member, 2)
    actions.do_refresh_cues()
    assert not items(member, Source.MOOD)


def test_falling_mood_trend(member: Member, share: Callable[..., None], clock: TimeMachineFixture) -> None:
    share(member, Source.MOOD_TREND)
    for days_ago, score in ((12, 4), (10, 4), (8, 4), (6, 3), (4, 3), (2, 2), (0, 2)):
        clock.move_to(clock_at(days_ago))
        actions.do_check_in_mood(member, score)
    actions.do_refresh_cues()
    [item] = items(member, Source.MOOD_TREND)
    assert item.reason == "mood falling: from about 4/5 to 2/5 over 12 days"
    assert not items(member, Source.MOOD)  # not shared: the daily numbers stay out of it


def test_steady_mood_has_no_trend(member: Member, share: Callable[..., None], clock: TimeMachineFixture) -> None:
    share(member, Source.MOOD_TREND)
    for days_ago, score in ((12, 3), (10, 4), (8, 3), (6, 3), (4, 4), (2, 3), (0, 3)):
        clock.move_to(clock_at(days_ago))
        actions.do_check_in_mood(member, score)
    actions.do_refresh_cues()
    assert not items(member, Source.MOOD_TREND)


def test_low_energy_for_days(member: Member, share: Callable[..., None], clock: TimeMachineFixture) -> None:
    share(member, Source.ENERGY)
    CommunityProfile.objects.create(member=member, energy="low", energy_set_at=clock_at(3))
    actions.do_refresh_cues()
    [item] = items(member, Source.ENERGY)
    assert item.reason == "energy low for 3 days"


def test_energy_low_only_today_is_not_a_cue(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.ENERGY)
    CommunityProfile.objects.create(member=member, energy="low", energy_set_at=clock_at(0))
    actions.do_refresh_cues()
    assert not items(member, Source.ENERGY)


def test_wellbeing_scores_outside_their_own_range(
    member: Member, outsider: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    """Stress of 75 is high for Robin (usually ~40) and ordinary for Kit (usually ~75)."""
    for person, usual in ((member, 40), (outsider, 75)):
        share(person, Source.WELLBEING)
        readings: list[tuple[date, str, float]] = [
            (TODAY - timedelta(days=d), "stress", usual + (d % 3)) for d in range(3, 25)
        ]
        readings += [(TODAY - timedelta(days=d), "stress", 75 + d) for d in range(3)]
        actions.do_import_readings(person, readings)
    actions.do_refresh_cues()
    [item] = items(member, Source.WELLBEING)
    assert item.reason == "stress score high three days running (about 76, usually about 41)"
    assert not items(outsider, Source.WELLBEING)


def test_missing_a_gathering_they_usually_come_to(
    member: Member, outsider: Member, volunteer: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    from hearth.chat.models import Attendance, Gathering
    from hearth.community.models import Group

    group = Group.objects.create(name="Board games", purpose="Games", who_for="All", state="active")
    share(member, Source.MISSED_GATHERING)
    share(outsider, Source.MISSED_GATHERING)
    gatherings = []
    for weeks_ago in (5, 4, 3, 2, 1, 0):
        start = clock_at(7 * weeks_ago + 1) - timedelta(hours=2)  # Mondays at 08:00
        gatherings.append(
            Gathering.objects.create(
                group=group, title="Board games night", starts_at=start, ends_at=start + timedelta(hours=1)
            )
        )
    for g in gatherings[:-1]:
        Attendance.objects.create(gathering=g, member=member, how="online")
    Attendance.objects.create(gathering=gatherings[0], member=outsider, how="online")  # came once: not "usually"
    actions.do_refresh_cues()
    [item] = items(member, Source.MISSED_GATHERING)
    assert item.reason == "missed Monday's Board games night — came to all 5 before"
    assert not items(outsider, Source.MISSED_GATHERING)
