"""A member's journey: from writing, to a phone call, to video, to coming in person, visible to the people who
look after them on the person's care page, in the order the member first did each.

Cast: Robin (``member``) talks with Priya (``peer_worker``); Dr Okafor (``counsellor``) is staff; Sam
(``volunteer``) hosts Robin's group and has never had a one-to-one with her.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.chat import access, actions
from hearth.chat.models import AttendanceHow, GatheringFormat
from hearth.community.models import Group
from hearth.members.models import Member
from hearth.testing import ClientFor, visible_text

START = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def _weeks_later(time_machine: Any, weeks: int) -> None:
    time_machine.move_to(START + timedelta(weeks=weeks), tick=False)


@pytest.fixture
def journey(
    time_machine: TimeMachineFixture,
    settings: Settings,
    member: Member,
    peer_worker: Member,
    volunteer: Member,
    group: Group,
) -> None:
    """Writing in week 0, two phone calls (weeks 1 and 3), a video call that didn't happen and one that did
    (week 4), then a gathering in person (week 6)."""
    settings.HEARTH_VIDEO_URL = "https://meet.example.org"
    time_machine.move_to(START, tick=False)
    conversation = actions.do_open_conversation(member, peer_worker, opened_by=peer_worker)
    for week, way, outcome in ((1, "phone", "talked"), (3, "phone", "talked"), (4, "video", "no_answer")):
        _weeks_later(time_machine, week)
        actions.do_record_call(peer_worker, actions.do_start_call(peer_worker, conversation, way), outcome=outcome)
    actions.do_record_call(peer_worker, actions.do_start_call(peer_worker, conversation, "video"), outcome="talked")
    _weeks_later(time_machine, 5)
    starts = START + timedelta(weeks=6)
    gathering = actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Craft morning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        format=GatheringFormat.IN_PERSON,
        place="Community centre",
    )
    _weeks_later(time_machine, 6)
    actions.do_mark_attendance(volunteer, gathering, member, AttendanceHow.IN_PERSON)


def test_the_journey_is_in_the_order_each_way_was_first_used(journey: None, member: Member) -> None:
    steps = access.journey(member)
    assert [(s.way, s.times) for s in steps] == [
        ("Writing one-to-one with a supporter", 1),
        ("Phone call", 2),
        ("Video call", 1),  # the unanswered one doesn't count
        ("A gathering in person", 1),
    ]
    assert steps[1].first == START + timedelta(weeks=1) and steps[1].last == START + timedelta(weeks=3)


def test_staff_and_her_supporter_see_it_on_her_care_page_and_nobody_else(
    journey: None,
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    counsellor: Member,
    volunteer: Member,
    outsider: Member,
) -> None:
    url = reverse("care:person", args=[member.pk])
    for person in (peer_worker, counsellor):
        page = visible_text(client_for(person).get(url))
        assert "How Robin has met us" in page, person
        assert page.index("Phone call") < page.index("Video call") < page.index("A gathering in person")
    assert access.sees_journey(peer_worker, member) and access.sees_journey(counsellor, member)
    # A volunteer sees it only about someone they have had a one-to-one with; members never.
    assert not access.sees_journey(volunteer, member)
    for person in (member, outsider):
        assert not access.sees_journey(person, member)
        response = client_for(person).get(url)
        assert response.status_code == 404 or "How Robin has met us" not in visible_text(response)
    actions.do_open_conversation(outsider, volunteer, opened_by=volunteer)
    assert access.sees_journey(volunteer, outsider)
