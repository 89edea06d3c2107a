"""'Coming up': tonight's drop-in and the next gatherings, where members already look (home, feed, group page)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import actions
from hearth.chat.models import DropIn
from hearth.community.models import Group
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, text, visible_text

LONDON = ZoneInfo("Europe/London")
TUESDAY_5PM = datetime(2026, 12, 1, 17, 0, tzinfo=LONDON)


@pytest.fixture
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY_5PM, tick=False)


@pytest.fixture
def drop_in(group: Group, volunteer: Member, tuesday: None) -> DropIn:
    return actions.do_create_drop_in(
        volunteer, group.pk, title="Tuesday drop-in", weekday=1, opens_at=time(19), closes_at=time(20, 30)
    )


def test_tonights_drop_in_is_one_tap_from_the_home_page(client_for: ClientFor, member: Member, drop_in: DropIn) -> None:
    page = text(client_for(member).get(reverse("core:home")))
    room = reverse("chat:room", args=[drop_in.room_id])
    assert f'<a href="{room}">Tuesday drop-in</a>' in page
    assert "Today, 7 pm" in visible_text(client_for(member).get(reverse("core:home")))


def test_an_open_drop_in_says_so_and_a_past_one_moves_to_next_week(
    client_for: ClientFor, member: Member, drop_in: DropIn, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(TUESDAY_5PM.replace(hour=19, minute=10), tick=False)
    assert "Open now" in visible_text(client_for(member).get(reverse("chat:index")))
    time_machine.move_to(TUESDAY_5PM.replace(hour=21), tick=False)
    page = visible_text(client_for(member).get(reverse("chat:index")))
    assert "Tuesday 8 December, 7 pm" in page


def test_a_new_gathering_appears_on_the_group_page_the_feed_and_home(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    group: Group,
    tuesday: None,
    events: Events,
) -> None:
    start = TUESDAY_5PM + timedelta(days=2)
    with events() as sent:
        gathering = actions.do_schedule_gathering(
            volunteer, group.pk, title="Film night", starts_at=start, ends_at=start + timedelta(hours=2)
        )
    assert sent.recipients_of("chat.gathering.scheduled") == {f"group.{group.pk}"}
    link = reverse("chat:gathering", args=[gathering.pk])
    robin = client_for(member)
    for page in (reverse("core:home"), reverse("community:feed"), reverse("community:group", args=[group.pk])):
        assert link in text(robin.get(page)), page
    assert "Thursday 3 December, 5 pm" in visible_text(robin.get(reverse("core:home")))


def test_people_outside_the_group_never_see_its_plans(
    client_for: ClientFor, outsider: Member, group: Group, drop_in: DropIn
) -> None:
    kit = client_for(outsider)
    assert "Tuesday drop-in" not in text(kit.get(reverse("core:home")))
    assert "Tuesday drop-in" not in text(kit.get(reverse("chat:index")))
    assert kit.get(reverse("chat:coming_up"), {"group": group.pk}).status_code == 404
    assert kit.get(reverse("chat:coming_up"), {"group": "x"}).status_code == 400


def test_the_panel_alone_refreshes_for_members(
    client_for: ClientFor, member: Member, group: Group, drop_in: DropIn
) -> None:
    page = text(client_for(member).get(reverse("chat:coming_up"), {"group": group.pk}))
    assert page.lstrip().startswith('<section class="card coming-up" id="coming-up"') and "Tuesday drop-in" in page


def test_only_hosts_and_supporters_are_offered_the_forms(
    client_for: ClientFor, member: Member, volunteer: Member, peer_worker: Member, group: Group
) -> None:
    robin = client_for(member)
    assert robin.get(reverse("chat:new_gathering", args=[group.pk])).status_code == 403
    assert robin.get(reverse("chat:new_drop_in", args=[group.pk])).status_code == 403
    assert "schedule a gathering" not in text(robin.get(reverse("chat:index")))
    assert client_for(peer_worker).get(reverse("chat:new_gathering", args=[group.pk])).status_code == 200
    assert client_for(volunteer).get(reverse("chat:new_drop_in", args=[group.pk])).status_code == 200
    refused = visible_text(robin.get(reverse("chat:new_drop_in", args=[group.pk])))
    assert "Only a host of this group can open a drop-in" in refused and "Need help now?" in refused
