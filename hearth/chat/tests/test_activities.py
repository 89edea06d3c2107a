"""Group activities: a gathering can carry an activity (a game night, a craft, a film) and what to bring or
install, so "a reason to be there" is plain before anyone comes: on the gathering's page, in Coming up, in the
reminder and the calendar file, and on every date of a series.

Cast (chat's conftest): Tuesday Makers hosted by Sam (``volunteer``), with Robin (``member``) and Priya
(``peer_worker``). Kit (``outsider``) is not in the group.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import actions
from hearth.chat.models import Gathering, GatheringFormat, Repeat
from hearth.community.models import Group
from hearth.members.models import Member
from hearth.testing import ClientFor, run_deliveries, text, visible_text

pytestmark = pytest.mark.django_db(transaction=False)

TUESDAY = datetime(2027, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY, tick=False)


@pytest.fixture
def craft(group: Group, volunteer: Member) -> Gathering:
    start = TUESDAY + timedelta(days=1, hours=7)
    return actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Craft evening",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        activity="knitting",
        bring="needles and any wool you have; no wool? we have spare",
    )


def test_the_host_names_the_activity_and_what_to_bring_and_the_group_sees_both(
    client_for: ClientFor, group: Group, volunteer: Member, member: Member
) -> None:
    response = client_for(volunteer).post(
        reverse("chat:new_gathering", args=[group.pk]),
        {
            "title": "Game night",
            "starts_at": "2027-03-18T19:00",
            "ends_at": "2027-03-18T21:00",
            "format": "online",
            "activity": "Among Us",
            "bring": "Install Among Us on your phone (it's free) before you come",
        },
    )
    assert response.status_code == 302
    night = Gathering.objects.get(title="Game night")
    robin = client_for(member)
    page = visible_text(robin.get(reverse("chat:gathering", args=[night.pk])))
    assert "Online, in a Hearth room · Among Us" in page
    assert "Bring or install: Install Among Us on your phone (it's free) before you come" in page
    assert "Online, in a Hearth room · Among Us" in visible_text(robin.get(reverse("chat:index")))


def test_the_reminder_and_the_calendar_file_say_what_to_bring(
    client_for: ClientFor, member: Member, craft: Gathering
) -> None:
    actions.do_rsvp(member, craft, "going", 60)
    actions.send_due_reminders(now=craft.starts_at - timedelta(minutes=59))
    run_deliveries()
    body = next(m.body for m in mail.outbox if m.to == [member.email])
    assert "Activity: knitting" in body and "Bring or install: needles and any wool you have" in body
    calendar = text(client_for(member).get(reverse("chat:gathering_ics", args=[craft.pk]))).replace("\r\n ", "")
    assert "DESCRIPTION:Activity: knitting\\nBring or install: needles and any wool you have\\; no wool?" in calendar


def test_every_date_of_a_series_carries_it(group: Group, volunteer: Member) -> None:
    start = TUESDAY.replace(hour=19)
    series = actions.do_schedule_series(
        volunteer,
        group.pk,
        repeat=Repeat.WEEKLY,
        until=date(2027, 4, 13),
        title="Film night",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.ONLINE,
        activity="a film, chosen together",
        bring="a snack and a blanket",
    )
    dates = list(series.gatherings.values_list("activity", "bring"))
    assert len(dates) == 5 and set(dates) == {("a film, chosen together", "a snack and a blanket")}


def test_what_to_bring_is_a_line_or_two_not_an_essay(client_for: ClientFor, group: Group, volunteer: Member) -> None:
    response = client_for(volunteer).post(
        reverse("chat:new_gathering", args=[group.pk]),
        {
            "title": "Game night",
            "starts_at": "2027-03-18T19:00",
            "ends_at": "2027-03-18T21:00",
            "format": "online",
            "bring": "x" * 301,
        },
    )
    assert response.status_code == 200 and "at most 300 characters" in visible_text(response)
    assert not Gathering.objects.filter(title="Game night").exists()


def test_people_outside_the_group_see_nothing_of_it(client_for: ClientFor, outsider: Member, craft: Gathering) -> None:
    response = client_for(outsider).get(reverse("chat:gathering", args=[craft.pk]))
    assert response.status_code == 404 and "needles" not in text(response)
