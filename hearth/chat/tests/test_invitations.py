"""Invitations to chosen people: the host invites people in the group to a gathering and each is told; a
gathering "only for people I invite" is seen by nobody else in the group (page, room, coming up, its news).

Cast (chat's conftest): Tuesday Makers hosted by Sam (``volunteer``), with Robin (``member``) and Priya
(``peer_worker``). ``make_member`` adds Ola, in the group but not invited; Kit (``outsider``) is not in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import access, actions
from hearth.chat.models import Gathering, GatheringFormat, GatheringInvitation
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.core.models import Notification
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, visible_text

TUESDAY = datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY, tick=False)


@pytest.fixture
def small(volunteer: Member, group: Group, ola: Member) -> Gathering:
    """Sam's quiet online session, only for the people Sam invites."""
    start = TUESDAY + timedelta(days=1, hours=2)
    return actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Quiet games",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        format=GatheringFormat.ONLINE,
        invite_only=True,
    )


def test_nobody_hears_of_an_invite_only_gathering_until_invited(member: Member, ola: Member, small: Gathering) -> None:
    assert not Notification.objects.filter(kind="chat.gathering").exists()
    assert small.created_by is not None
    actions.do_invite(small.created_by, small, [member])
    told = Notification.objects.get(kind="chat.invitation")
    assert told.member == member and told.text.startswith("Sam invites you to Quiet games, Wednesday 3 March")
    assert not Notification.objects.filter(member=ola).exists()


def test_the_host_invites_from_the_gathering_page_and_only_the_invited_see_it(
    client_for: ClientFor, volunteer: Member, member: Member, ola: Member, outsider: Member, small: Gathering
) -> None:
    url = reverse("chat:gathering", args=[small.pk])
    sam = client_for(volunteer)
    page = visible_text(sam.get(url))
    assert "Nobody invited yet" in page and "Robin" in page and "Ola" in page
    done = sam.post(reverse("chat:invite_to_gathering", args=[small.pk]), {"people": [member.pk]}, follow=True)
    assert "Invited 1 person" in visible_text(done)
    assert "Sam invited you" in visible_text(client_for(member).get(url))
    for person in (ola, outsider):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).get(reverse("chat:room", args=[small.room_id])).status_code == 404
    assert client_for(member).get(reverse("chat:room", args=[small.room_id])).status_code == 200
    assert [i.title for i in access.coming_up(member)] == ["Quiet games"]
    assert access.coming_up(ola) == [] and not access.upcoming_gatherings(ola).exists()


def test_the_group_hears_nothing_live_of_an_invite_only_gathering(
    volunteer: Member, group: Group, events: Events
) -> None:
    start = TUESDAY + timedelta(days=2)
    with events() as sent:
        actions.do_schedule_gathering(
            volunteer,
            group.pk,
            title="Quiet crafts",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            invite_only=True,
        )
    assert not sent.recipients_of("chat.gathering.scheduled")


def test_inviting_twice_does_nothing_new(volunteer: Member, member: Member, small: Gathering) -> None:
    actions.do_invite(volunteer, small, [member])
    assert actions.do_invite(volunteer, small, [member]) == []
    assert GatheringInvitation.objects.count() == 1
    assert Notification.objects.filter(kind="chat.invitation").count() == 1


def test_only_people_in_the_group_can_be_invited(
    client_for: ClientFor, volunteer: Member, outsider: Member, small: Gathering
) -> None:
    with pytest.raises(ActionError, match="needs to be a member of the group"):
        actions.do_invite(volunteer, small, [outsider])
    response = client_for(volunteer).post(
        reverse("chat:invite_to_gathering", args=[small.pk]), {"people": [outsider.pk]}, follow=True
    )
    assert "Choose who you'd like to invite from the people in the group" in visible_text(response)
    assert not GatheringInvitation.objects.exists()


def test_an_invite_of_a_number_too_big_for_an_id_is_a_clear_error(
    client_for: ClientFor, volunteer: Member, small: Gathering
) -> None:
    response = client_for(volunteer).post(
        reverse("chat:invite_to_gathering", args=[small.pk]), {"people": ["9" * 30]}, follow=True
    )
    assert "Choose who you'd like to invite from the people in the group" in visible_text(response)
    assert not GatheringInvitation.objects.exists()


def test_members_cannot_invite(
    client_for: ClientFor, member: Member, ola: Member, volunteer: Member, group: Group
) -> None:
    start = TUESDAY + timedelta(days=1)
    open_one = actions.do_schedule_gathering(
        volunteer, group.pk, title="Open", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    with pytest.raises(ActionError, match="Only the facilitator or the group's hosts"):
        actions.do_invite(member, open_one, [ola])
    client_for(member).post(reverse("chat:invite_to_gathering", args=[open_one.pk]), {"people": [ola.pk]})
    assert not GatheringInvitation.objects.exists()
    assert "Invite people" not in visible_text(client_for(member).get(reverse("chat:gathering", args=[open_one.pk])))


def test_an_open_gathering_can_still_have_personal_invitations(
    volunteer: Member, member: Member, ola: Member, group: Group
) -> None:
    start = TUESDAY + timedelta(days=1)
    open_one = actions.do_schedule_gathering(
        volunteer, group.pk, title="Open", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    actions.do_invite(volunteer, open_one, [member])
    assert Notification.objects.filter(kind="chat.invitation", member=member).exists()
    assert access.upcoming_gatherings(ola).filter(pk=open_one.pk).exists()  # everyone in the group still sees it


def test_invite_only_gatherings_do_not_repeat(client_for: ClientFor, volunteer: Member, group: Group) -> None:
    response = client_for(volunteer).post(
        reverse("chat:new_gathering", args=[group.pk]),
        {
            "title": "Quiet",
            "starts_at": "2027-03-04T14:00",
            "ends_at": "2027-03-04T15:00",
            "format": "online",
            "invite_only": "on",
            "repeat": "weekly",
        },
    )
    assert "one date at a time" in visible_text(response) and not Gathering.objects.exists()
