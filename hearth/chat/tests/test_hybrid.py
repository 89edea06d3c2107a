"""Hybrid gatherings: a room in the centre and people online. Each person says how they'll join; the video link
is only for the people coming online (and those running it); attendance is taken both ways.

Cast (chat's conftest): Tuesday Makers hosted by Sam (``volunteer``), with Robin (``member``) and Priya
(``peer_worker``, the online volunteer here). Kit (``outsider``) is not in the group; ``make_member`` adds Ola, a
member of the group who comes in person.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.chat import actions
from hearth.chat.models import Attendance, Gathering, GatheringFormat, Rsvp
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.members.models import Member
from hearth.testing import ClientFor, run_deliveries, visible_text

TUESDAY = datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))
VIDEO = "https://meet.example.org"


@pytest.fixture(autouse=True)
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY, tick=False)


@pytest.fixture
def hybrid(settings: Settings, volunteer: Member, peer_worker: Member, group: Group) -> Gathering:
    """Thursday's craft evening at the community centre, with people joining online on the organisation's server."""
    settings.HEARTH_VIDEO_URL = VIDEO
    start = TUESDAY + timedelta(days=2, hours=6)
    return actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Craft evening",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.HYBRID,
        place="Community centre, room 2",
        online_volunteer=peer_worker,
    )


def test_a_hybrid_gathering_names_its_room_and_gets_an_unguessable_video_room(hybrid: Gathering) -> None:
    assert hybrid.room_id is not None and re.fullmatch(r"hearth-[0-9a-f]{32}", hybrid.video_room)
    assert actions.online_link(hybrid) == f"{VIDEO}/{hybrid.video_room}"


def test_people_say_how_they_will_join_and_only_those_online_see_the_link(
    client_for: ClientFor, member: Member, ola: Member, outsider: Member, hybrid: Gathering
) -> None:
    url = reverse("chat:gathering", args=[hybrid.pk])
    link = actions.online_link(hybrid)
    robin, ola_client = client_for(member), client_for(ola)
    before = robin.get(url).content.decode()
    assert link not in before and "the link shows here once you say you're coming online" in visible_text(
        robin.get(url)
    )
    assert "In person, at Community centre, room 2" in visible_text(robin.get(url))
    # Saying "going" without saying how is a clear question, not a guess.
    asked = visible_text(robin.post(url, {"answer": "going"}))
    assert "Say whether you'll come in person (Community centre, room 2) or join online" in asked
    robin.post(url, {"answer": "going", "joining": "online"})
    ola_client.post(url, {"answer": "going", "joining": "in_person"})
    assert link in robin.get(url).content.decode()
    assert link not in ola_client.get(url).content.decode()
    assert client_for(outsider).get(url).status_code == 404
    # Changing to "can't come" takes the link away again.
    robin.post(url, {"answer": "no"})
    assert link not in robin.get(url).content.decode()
    assert Rsvp.objects.get(member=member).joining == ""


def test_the_people_running_it_always_see_the_link(
    client_for: ClientFor, volunteer: Member, peer_worker: Member, hybrid: Gathering
) -> None:
    for person in (volunteer, peer_worker):
        assert (
            actions.online_link(hybrid)
            in client_for(person).get(reverse("chat:gathering", args=[hybrid.pk])).content.decode()
        )


def test_people_on_the_waiting_list_do_not_see_the_link(
    client_for: ClientFor, volunteer: Member, member: Member, ola: Member, hybrid: Gathering
) -> None:
    actions.do_set_capacity(volunteer, hybrid, 1)
    actions.do_rsvp(ola, hybrid, "going", joining="in_person")
    waiting = actions.do_rsvp(member, hybrid, "going", joining="online")
    assert waiting.waiting_since is not None
    assert (
        actions.online_link(hybrid)
        not in client_for(member).get(reverse("chat:gathering", args=[hybrid.pk])).content.decode()
    )


def test_the_reminder_carries_the_link_only_for_people_online(member: Member, ola: Member, hybrid: Gathering) -> None:
    actions.do_rsvp(member, hybrid, "going", 60, joining="online")
    actions.do_rsvp(ola, hybrid, "going", 60, joining="in_person")
    actions.send_due_reminders(now=hybrid.starts_at - timedelta(minutes=59))
    run_deliveries()
    by = {m.to[0]: m.body for m in mail.outbox}
    assert actions.online_link(hybrid) in by[member.email]
    assert actions.online_link(hybrid) not in by[ola.email] and "Community centre, room 2" in by[ola.email]


def test_attendance_is_taken_both_ways(
    client_for: ClientFor, volunteer: Member, member: Member, ola: Member, hybrid: Gathering
) -> None:
    actions.do_rsvp(member, hybrid, "going", joining="online")
    actions.do_rsvp(ola, hybrid, "going", joining="in_person")
    sam = client_for(volunteer)
    mark = reverse("chat:gathering_attendance", args=[hybrid.pk])
    sam.post(mark, {"member": ola.pk, "how": "in_person"})
    sam.post(mark, {"member": member.pk, "how": "online"})
    assert dict(Attendance.objects.values_list("member__display_name", "how")) == {
        "Ola": "in_person",
        "Robin": "online",
    }
    page = visible_text(sam.get(reverse("chat:gathering", args=[hybrid.pk])))
    assert "In person 1 1" in page and "Online 1 1" in page and "Robin: Going (joined online)" in page
    bad = sam.post(mark, {"member": ola.pk, "how": "teleport"})
    assert bad.status_code == 400 and "The value for “how” should be" in visible_text(bad)
    assert Attendance.objects.get(member=ola).how == "in_person"


def test_members_cannot_mark_attendance(client_for: ClientFor, member: Member, ola: Member, hybrid: Gathering) -> None:
    client_for(member).post(reverse("chat:gathering_attendance", args=[hybrid.pk]), {"member": ola.pk, "how": "online"})
    assert not Attendance.objects.exists()


def test_in_person_and_online_gatherings_need_no_choice(volunteer: Member, member: Member, group: Group) -> None:
    start = TUESDAY + timedelta(days=1)
    cafe = actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Walk",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        format=GatheringFormat.IN_PERSON,
        place="The park gates",
    )
    assert actions.do_rsvp(member, cafe, "going").joining == "in_person"


def test_a_video_gathering_needs_a_link_or_the_organisations_server(
    settings: Settings, volunteer: Member, group: Group
) -> None:
    start = TUESDAY + timedelta(days=1)
    fields = {"title": "Chat", "starts_at": start, "ends_at": start + timedelta(hours=1), "format": "video"}
    with pytest.raises(ActionError, match="Add the video call link"):
        actions.do_schedule_gathering(volunteer, group.pk, **fields)
    settings.HEARTH_VIDEO_URL = VIDEO
    made = actions.do_schedule_gathering(volunteer, group.pk, **fields)
    assert made.video_room and actions.online_link(made).startswith(f"{VIDEO}/hearth-")
