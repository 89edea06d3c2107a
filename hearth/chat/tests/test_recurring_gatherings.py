"""Recurring gatherings (weekly, fortnightly, monthly, skipped dates), places and a waiting list, calendar files.

Cast (chat's conftest): Tuesday Makers, hosted by Sam (``volunteer``), with Robin (``member``) and Priya
(``peer_worker``); Kit (``outsider``) isn't in it. The clock is set to a Tuesday in March 2027, nine days
before the clocks go forward in the UK (Sunday 28 March), and every date is built from it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from time_machine import TimeMachineFixture

from hearth.chat import access, actions, recurrence
from hearth.chat.models import Gathering, GatheringFormat, Repeat, Rsvp, RsvpAnswer
from hearth.community.models import Group, Membership
from hearth.core.errors import ActionError
from hearth.core.models import Notification
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, text, visible_text

pytestmark = pytest.mark.django_db(transaction=False)

LONDON = ZoneInfo("Europe/London")
TUESDAY = datetime(2027, 3, 16, 12, 0, tzinfo=LONDON)  # clocks go forward on Sunday 28 March 2027


@pytest.fixture(autouse=True)
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY, tick=False)


def _weekly(host: Member, group: Group, repeat: str = Repeat.WEEKLY, **fields: Any) -> Any:
    start = TUESDAY.replace(hour=19)
    return actions.do_schedule_series(
        host,
        group.pk,
        repeat=repeat,
        title="Craft evening",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.ONLINE,
        activity="bring something half-finished",
        **fields,
    )


# --- The rule, as dates --------------------------------------------------------------------------


def test_weekly_fortnightly_and_monthly_dates() -> None:
    first = date(2027, 3, 16)  # the third Tuesday of March
    until = date(2027, 6, 30)
    weekly = list(recurrence.dates(Repeat.WEEKLY, first, since=first, until=date(2027, 4, 6)))
    assert weekly == [date(2027, 3, 16), date(2027, 3, 23), date(2027, 3, 30), date(2027, 4, 6)]
    fortnightly = list(recurrence.dates(Repeat.FORTNIGHTLY, first, since=date(2027, 3, 17), until=date(2027, 4, 30)))
    assert fortnightly == [date(2027, 3, 30), date(2027, 4, 13), date(2027, 4, 27)]
    monthly = list(recurrence.dates(Repeat.MONTHLY, first, since=first, until=until))
    assert monthly == [date(2027, 3, 16), date(2027, 4, 20), date(2027, 5, 18), date(2027, 6, 15)]  # third Tuesdays
    assert recurrence.describe(Repeat.MONTHLY, first, time(19)) == "The third Tuesday of each month, 7 pm"


def test_a_monthly_rule_started_in_the_last_week_means_the_last_such_day() -> None:
    first = date(2027, 3, 30)  # the last Tuesday of March (also the fifth)
    days = list(recurrence.dates(Repeat.MONTHLY, first, since=first, until=date(2027, 6, 30)))
    assert days == [date(2027, 3, 30), date(2027, 4, 27), date(2027, 5, 25), date(2027, 6, 29)]
    assert recurrence.describe(Repeat.MONTHLY, first, time(19, 30)) == "The last Tuesday of each month, 7:30 pm"


def test_a_weekly_gathering_stays_at_7_pm_when_the_clocks_go_forward_and_back(group: Group, volunteer: Member) -> None:
    series = _weekly(volunteer, group)
    gatherings = list(series.gatherings.order_by("starts_at"))
    spring = [g.starts_at.astimezone(ZoneInfo("UTC")).hour for g in gatherings[:3]]
    assert spring == [19, 19, 18]  # 16 and 23 March in GMT, 30 March in BST
    assert all(timezone.localtime(g.starts_at).hour == 19 for g in gatherings)
    assert all(g.ends_at - g.starts_at == timedelta(hours=2) for g in gatherings)
    # Made ahead to the horizon (100 days), one row per date.
    assert gatherings[-1].occurrence_date <= (TUESDAY + actions.SERIES_HORIZON).date()
    assert len(gatherings) == 15


def test_in_autumn_the_same_rule_moves_back_an_hour_in_utc(
    time_machine: TimeMachineFixture, group: Group, volunteer: Member
) -> None:
    time_machine.move_to(datetime(2027, 10, 19, 12, tzinfo=LONDON), tick=False)  # clocks go back on 31 October
    start = datetime(2027, 10, 19, 19, tzinfo=LONDON)
    series = actions.do_schedule_series(
        volunteer, group.pk, repeat=Repeat.WEEKLY, title="Craft", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    hours = [g.starts_at.astimezone(ZoneInfo("UTC")).hour for g in series.gatherings.order_by("starts_at")[:3]]
    assert hours == [18, 18, 19]  # 19 and 26 October in BST, 2 November in GMT


def test_the_series_page_shows_the_next_three_dates_and_a_skipped_one_is_left_out(
    client_for: ClientFor, group: Group, volunteer: Member, member: Member
) -> None:
    series = _weekly(volunteer, group)
    page = visible_text(client_for(member).get(reverse("chat:series", args=[series.pk])))
    assert "Every Tuesday, 7 pm" in page
    assert "Tuesday 16 March, 19:00" in page and "Tuesday 23 March" in page and "Tuesday 30 March" in page
    assert "Tuesday 6 April" not in page

    second = series.gatherings.get(occurrence_date=date(2027, 3, 23))
    actions.do_rsvp(member, second, RsvpAnswer.GOING, 60)
    response = client_for(volunteer).post(reverse("chat:cancel_gathering", args=[second.pk]))
    assert response.status_code == 302
    page = visible_text(client_for(member).get(reverse("chat:series", args=[series.pk])))
    assert "Tuesday 23 March" not in page and "Tuesday 6 April" in page
    # Robin, who said she'd come, is told; her reminder won't go; the date isn't made again.
    told = Notification.objects.filter(kind="chat.gathering_changed", member=member)
    assert told.count() == 1 and "won't happen" in told.get().text
    assert Rsvp.objects.get(gathering=second, member=member).due_at is None
    assert actions.extend_all_series() == 0
    assert series.gatherings.filter(occurrence_date=date(2027, 3, 23)).count() == 1
    gathering_page = visible_text(client_for(member).get(reverse("chat:gathering", args=[second.pk])))
    assert "This gathering is cancelled" in gathering_page and "Are you coming?" not in gathering_page


def test_the_daily_job_keeps_the_horizon_of_dates(
    time_machine: TimeMachineFixture, group: Group, volunteer: Member
) -> None:
    _weekly(volunteer, group)
    time_machine.move_to(TUESDAY + timedelta(days=14), tick=False)
    assert actions.extend_all_series() == 2
    assert actions.extend_all_series() == 0  # idempotent


def test_a_series_until_a_date_and_ending_one(group: Group, volunteer: Member, member: Member) -> None:
    series = _weekly(volunteer, group, until=date(2027, 4, 6))
    assert series.gatherings.count() == 4
    with pytest.raises(ActionError, match="Only the facilitator or the group's hosts"):
        actions.do_end_series(member, series)
    actions.do_end_series(volunteer, series)
    assert not access.next_dates(series)
    assert actions.extend_all_series() == 0


def test_a_monthly_series_from_the_form(client_for: ClientFor, group: Group, volunteer: Member) -> None:
    response = client_for(volunteer).post(
        reverse("chat:new_gathering", args=[group.pk]),
        {
            "title": "Film night",
            "starts_at": "2027-03-16T19:00",
            "ends_at": "2027-03-16T21:30",
            "format": "online",
            "activity": "film: bring snacks",
            "repeat": "monthly",
            "capacity": "12",
        },
    )
    assert response.status_code == 302
    gathering = Gathering.objects.filter(title="Film night").order_by("starts_at")
    assert [g.occurrence_date for g in gathering[:3]] == [date(2027, 3, 16), date(2027, 4, 20), date(2027, 5, 18)]
    assert all(g.capacity == 12 for g in gathering)


# --- Places and the waiting list -----------------------------------------------------------------


@pytest.fixture
def small(group: Group, volunteer: Member) -> Gathering:
    start = TUESDAY + timedelta(days=1, hours=7)
    return actions.do_schedule_gathering(
        volunteer, group.pk, title="Quiet craft", starts_at=start, ends_at=start + timedelta(hours=1), capacity=2
    )


def test_when_it_is_full_people_wait_and_a_freed_place_goes_to_the_first_waiting(
    client_for: ClientFor, small: Gathering, make_member: MakeMember, group: Group, member: Member, peer_worker: Member
) -> None:
    ali, bo = make_member("Ali"), make_member("Bo")
    for person in (ali, bo):
        Membership.objects.create(group=group, member=person)
    assert actions.do_rsvp(member, small, RsvpAnswer.GOING).waiting_since is None
    assert actions.do_rsvp(peer_worker, small, RsvpAnswer.LISTEN).waiting_since is None  # listening takes a place
    ali_rsvp = actions.do_rsvp(ali, small, RsvpAnswer.GOING, 60)
    bo_rsvp = actions.do_rsvp(bo, small, RsvpAnswer.GOING)
    assert ali_rsvp.waiting_since and bo_rsvp.waiting_since
    assert (actions.waiting_position(ali_rsvp), actions.waiting_position(bo_rsvp)) == (1, 2)
    assert ali_rsvp.due_at is None  # no reminder while waiting
    assert actions.places_left(small) == 0
    page = visible_text(client_for(ali).get(reverse("chat:gathering", args=[small.pk])))
    assert "Full" in page and "waiting list: number 1" in page

    actions.do_rsvp(member, small, RsvpAnswer.NO)  # Robin can't come after all
    ali_rsvp.refresh_from_db()
    assert ali_rsvp.waiting_since is None and ali_rsvp.due_at is not None
    offered = Notification.objects.get(kind="chat.place_free")
    assert offered.member_id == ali.pk and "you're going to Quiet craft" in offered.text
    bo_rsvp.refresh_from_db()
    assert actions.waiting_position(bo_rsvp) == 1


def test_more_places_go_to_people_waiting_and_only_hosts_change_them(
    client_for: ClientFor, small: Gathering, make_member: MakeMember, group: Group, member: Member, peer_worker: Member
) -> None:
    ali = make_member("Ali")
    Membership.objects.create(group=group, member=ali)
    actions.do_rsvp(member, small, RsvpAnswer.GOING)
    actions.do_rsvp(peer_worker, small, RsvpAnswer.GOING)
    actions.do_rsvp(ali, small, RsvpAnswer.GOING)
    response = client_for(member).post(reverse("chat:gathering_capacity", args=[small.pk]), {"capacity": "5"})
    assert response.status_code == 302 and Gathering.objects.get(pk=small.pk).capacity == 2
    client_for(small.facilitator).post(reverse("chat:gathering_capacity", args=[small.pk]), {"capacity": "3"})
    assert Rsvp.objects.get(gathering=small, member=ali).waiting_since is None
    assert (
        client_for(small.facilitator)
        .post(reverse("chat:gathering_capacity", args=[small.pk]), {"capacity": "-4"})
        .status_code
        == 302
    )  # a clear message, not an error page
    assert Gathering.objects.get(pk=small.pk).capacity == 3


# --- Calendar files and who may see what ----------------------------------------------------------


def test_a_calendar_file_for_one_gathering_and_for_a_series(
    client_for: ClientFor, group: Group, volunteer: Member, member: Member
) -> None:
    series = _weekly(volunteer, group, until=date(2027, 4, 6))
    skipped = series.gatherings.get(occurrence_date=date(2027, 3, 23))
    actions.do_cancel_gathering(volunteer, skipped)
    response = client_for(member).get(reverse("chat:series_ics", args=[series.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = text(response)
    assert body.count("BEGIN:VEVENT") == 4
    assert "DTSTART:20270316T190000Z" in body and "DTSTART:20270330T180000Z" in body  # 7 pm either side of BST
    assert f"UID:gathering-{skipped.pk}@" in body and "STATUS:CANCELLED" in body
    assert "DESCRIPTION:Activity: bring something half-finished" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    one = text(client_for(member).get(reverse("chat:gathering_ics", args=[skipped.pk])))
    assert one.count("BEGIN:VEVENT") == 1


def test_outsiders_see_nothing_of_a_groups_gatherings(
    client_for: ClientFor, group: Group, volunteer: Member, outsider: Member, small: Gathering
) -> None:
    series = _weekly(volunteer, group)
    kit = client_for(outsider)
    for url in (
        reverse("chat:series", args=[series.pk]),
        reverse("chat:series_ics", args=[series.pk]),
        reverse("chat:gathering_ics", args=[small.pk]),
    ):
        assert kit.get(url).status_code == 404
    for url in (
        reverse("chat:end_series", args=[series.pk]),
        reverse("chat:cancel_gathering", args=[small.pk]),
        reverse("chat:gathering_capacity", args=[small.pk]),
    ):
        assert kit.post(url, {"capacity": "9"}).status_code == 404
    assert client_for(None).get(reverse("chat:series", args=[series.pk])).status_code == 302
    assert Gathering.objects.get(pk=small.pk).cancelled_at is None


def test_members_who_dont_run_it_cannot_cancel_or_end_it(
    client_for: ClientFor, group: Group, volunteer: Member, member: Member, small: Gathering
) -> None:
    series = _weekly(volunteer, group)
    robin = client_for(member)
    robin.post(reverse("chat:cancel_gathering", args=[small.pk]))
    robin.post(reverse("chat:end_series", args=[series.pk]))
    assert Gathering.objects.get(pk=small.pk).cancelled_at is None
    assert series.gatherings.filter(cancelled_at__isnull=False).count() == 0
    page = visible_text(robin.get(reverse("chat:gathering", args=[small.pk])))
    assert "Running it" not in page
