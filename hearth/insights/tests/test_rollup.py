"""The dashboard's rollups (issue 21): a year costs what a week does, and what they show stays right.

The worker's ``roll_up_insights`` job (``actions.roll_up_due``) keeps today counted, counts again days that
gained rows late, and fills in past days never counted; ``hearth insights_rollup`` counts a year at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.community.models import Group, GroupState, Membership, Post, Reaction
from hearth.insights.actions import BACKFILL_PER_RUN, do_roll_up, roll_up_due
from hearth.insights.models import ActivityWeeks, OutcomeResponse, RolledUpDay
from hearth.insights.registry import Span, get
from hearth.members.models import Member
from hearth.signposting.models import Referral, Resource
from hearth.testing import ClientFor

# A Wednesday in June 2026 (British Summer Time), at noon.
NOW = timezone.make_aware(datetime(2026, 6, 17, 12))  # noqa: DTZ001 (made aware in London time)
TODAY = date(2026, 6, 17)
YEAR_URL = f"/insights/?start={TODAY - timedelta(days=364)}&end={TODAY}"


@pytest.fixture
def clock(db: None) -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _group() -> Group:
    n = Group.objects.count() + 1
    return Group.objects.create(name=f"Gardeners {n}", purpose="x", who_for="x", state=GroupState.ACTIVE)


def _active(key: str, span: Span) -> list[list[str]]:
    metric = get(key)
    assert metric is not None
    return [[str(c) for c in row] for row in metric.compute(span).cells()]


def _busy(people: list[Member], days: int) -> None:
    """Each person posts and reacts once a week for ``days`` up to today."""
    group = _group()
    for p in people:
        Membership.objects.create(group=group, member=p)
    times = [NOW - timedelta(days=back, hours=1) for back in range(0, days, 7)]
    posts = Post.objects.bulk_create(
        [Post(group=group, author=p, body="x", created_at=at) for at in times for p in people]
    )
    Reaction.objects.bulk_create(
        [Reaction(post=post, member=people[0], kind="hug", created_at=post.created_at) for post in posts]
    )


def _answers_and_referrals(people: list[Member], days: int) -> None:
    """Each person answers the PHQ-9 and is pointed to a resource once a month for ``days`` up to today."""
    resource = Resource.objects.create(name="Citizens Advice", description="x")
    for back in range(0, days, 30):
        at = NOW - timedelta(days=back, hours=2)
        OutcomeResponse.objects.bulk_create(
            [OutcomeResponse(member=p, measure="phq9", answers=[], score=7, band="mild", created_at=at) for p in people]
        )
        Referral.objects.bulk_create(
            [Referral(member=p, resource=resource, follow_up_on=TODAY, created_at=at) for p in people]
        )


def _year_queries(client: Client) -> int:
    client.get(YEAR_URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(YEAR_URL).status_code == 200
    return len(queries)


def test_the_year_view_makes_the_same_queries_for_a_week_of_ten_people_as_a_year_of_fifty(
    clock: object,
    coordinator: Member,
    client_for: ClientFor,
    crowd: Callable[..., list[Member]],
) -> None:
    client = client_for(coordinator)
    _busy(crowd(10), days=7)
    do_roll_up(TODAY - timedelta(days=364), TODAY)
    week_of_ten = _year_queries(client)
    # Five times the people over fifty times the days: a query per person or per day would show (two hundred
    # people cost four times the seconds and showed nothing more).
    crowd_of_40 = crowd(40, "Bo")
    _busy(crowd_of_40, days=364)
    _answers_and_referrals(crowd_of_40, days=364)
    do_roll_up(TODAY - timedelta(days=364), TODAY)
    year_of_fifty = _year_queries(client)
    assert week_of_ten == year_of_fifty
    assert year_of_fifty < 30


def test_today_is_kept_current_by_the_job(
    clock: object, crowd: Callable[..., list[Member]], client_for: ClientFor
) -> None:
    roll_up_due(NOW)
    span = Span(TODAY - timedelta(days=6), TODAY)
    assert _active("active_members", span)[-1][-1] == "0"
    _busy(crowd(6), days=1)
    roll_up_due(NOW + timedelta(minutes=5))
    span = Span(TODAY - timedelta(days=6), TODAY)
    assert _active("active_members", span)[-1][-1] == "6"


def test_a_day_that_gains_rows_late_is_counted_again(clock: object, crowd: Callable[..., list[Member]]) -> None:
    roll_up_due(NOW)
    long_ago = TODAY - timedelta(days=40)
    call_command("insights_rollup", "--days", "60")
    assert RolledUpDay.objects.filter(day=long_ago).exists()
    people = crowd(5)
    group = _group()
    # Written today, dated forty days ago (an import, a phone that was offline): a late arrival.
    at = timezone.make_aware(datetime.combine(long_ago, datetime.min.time())) + timedelta(hours=10)
    for p in people:
        Post.objects.create(group=group, author=p, body="x", created_at=at)
    roll_up_due(NOW + timedelta(minutes=5))
    span = Span(long_ago, long_ago + timedelta(days=6))
    assert _active("active_members", span)[0][-1] == "5"


def test_after_an_upgrade_the_job_fills_in_past_days_a_few_weeks_a_run(clock: object) -> None:
    roll_up_due(NOW)
    counted = RolledUpDay.objects.filter(day__lt=TODAY - timedelta(days=1)).count()
    assert counted == BACKFILL_PER_RUN
    roll_up_due(NOW + timedelta(minutes=5))
    assert RolledUpDay.objects.filter(day__lt=TODAY - timedelta(days=1)).count() == 2 * BACKFILL_PER_RUN


def test_the_dashboard_says_when_days_are_not_counted_yet(
    clock: object, coordinator: Member, client_for: ClientFor
) -> None:
    page = client_for(coordinator).get(YEAR_URL).content.decode()
    assert "365 days of these dates aren&#x27;t counted yet" in page or "365 days of these dates aren't counted" in page
    call_command("insights_rollup")
    page = client_for(coordinator).get(YEAR_URL).content.decode()
    assert "counted yet" not in page


def test_a_members_weeks_go_with_their_account(clock: object, crowd: Callable[..., list[Member]]) -> None:
    from hearth.members.data_rights import erase_member

    people = crowd(5)
    _busy(people, days=14)
    do_roll_up(TODAY - timedelta(days=20), TODAY)
    assert ActivityWeeks.objects.filter(member=people[1]).exists()
    erase_member(people[1])
    assert not ActivityWeeks.objects.filter(member_id=people[1].pk).exists()
