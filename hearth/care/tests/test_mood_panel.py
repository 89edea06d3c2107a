"""The mood check-in on the home page: gentle, at most once a day, never in quiet mode unless asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.care import actions
from hearth.care.models import MoodEntry, Source, Visit
from hearth.community.models import CommunityProfile
from hearth.members.models import Member
from hearth.testing import ClientFor, text

PROMPT = "How are you today?"


def home(client: Client) -> str:
    return text(client.get(reverse("core:home")))


def test_not_offered_unless_shared(client_for: ClientFor, member: Member, clock: TimeMachineFixture) -> None:
    assert PROMPT not in home(client_for(member))


def test_offered_once_a_day(
    client_for: ClientFor, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    client = client_for(member)
    assert PROMPT in home(client)
    client.post(reverse("care:mine_action"), {"action": "mood", "score": "4", "next": "home"})
    assert MoodEntry.objects.get().score == 4
    assert PROMPT not in home(client)
    clock.shift(timedelta(days=1))
    assert PROMPT in home(client)


def test_not_today_means_not_today(
    client_for: ClientFor, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    client = client_for(member)
    client.post(reverse("care:mine_action"), {"action": "not_today"})
    assert PROMPT not in home(client)
    assert not MoodEntry.objects.exists()


def test_never_in_quiet_mode_unless_asked(
    client_for: ClientFor, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    CommunityProfile.objects.create(member=member, energy="low")
    client = client_for(member)
    assert PROMPT not in home(client)
    actions.do_set_mood_on_quiet_days(member, True)
    assert PROMPT in home(client)


def test_the_home_page_counts_as_coming_in_only_when_shared(
    client_for: ClientFor, member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    client = client_for(member)
    home(client)
    assert not Visit.objects.exists()
    share(member, Source.GOING_QUIET)
    home(client)
    assert Visit.objects.filter(member=member).count() >= 1
