"""Every dashboard metric against a small world whose figures were worked out by hand.

Each test builds only what its metric reads, in the fortnight of 2-15 March 2026
(see conftest.py), and compares the table text with the expected figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest

from hearth.availability.models import ShiftPattern, TalkRequest
from hearth.care.models import CareItem, CheckInRound, CheckInSend
from hearth.chat.models import Attendance, Gathering
from hearth.community.models import Comment, Group, GroupState, Membership, Post, Reaction
from hearth.insights import registry
from hearth.insights.actions import do_roll_up
from hearth.insights.models import OutcomeResponse
from hearth.insights.tests.conftest import WEEK1, at, fortnight
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert, TriageRecord
from hearth.signposting.models import Referral, Resource

LONG_AGO = at(1).replace(year=2025)


def table(key: str) -> list[list[str]]:
    """The metric's figures once the worker has counted the fortnight (as its rollup job would)."""
    metric = registry.get(key)
    assert metric is not None and metric.unavailable() is None
    span = fortnight()
    do_roll_up(span.start, span.end)
    return [[str(c) for c in row] for row in metric.compute(span).cells()]


def _group(name: str = "Gardeners", created: datetime = LONG_AGO) -> Group:
    return Group.objects.create(name=name, purpose="x", who_for="x", state=GroupState.ACTIVE, created_at=created)


@pytest.fixture
def community(crowd: Callable[..., list[Member]]) -> list[Member]:
    """Twelve members in one group.

    Week 1: Ann 1-10 post, Ann 11 reacts. Week 2: Ann 1-5 react, Ann 6-10 reply to
    Ann 1's post, Ann 12 says "I'm here" (10 March). Nobody read anything in the span.
    """
    people = crowd(12)
    group = _group()
    for p in people:
        Membership.objects.create(group=group, member=p, joined_at=LONG_AGO, last_read_at=LONG_AGO)
    posts = [Post.objects.create(group=group, author=p, body="hi", created_at=at(3)) for p in people[:10]]
    Reaction.objects.create(post=posts[0], member=people[10], kind="hug", created_at=at(4))
    for p in people[:5]:
        Reaction.objects.create(post=posts[1], member=p, kind="hug", created_at=at(10))
    for p in people[5:10]:
        Comment.objects.create(post=posts[0], author=p, body="same here", created_at=at(11))
    Membership.objects.filter(member=people[11]).update(here_on=date(2026, 3, 10))
    return people


def test_active_members_by_week(community: list[Member]) -> None:
    assert table("active_members") == [["02 Mar 2026", "11"], ["09 Mar 2026", "11"]]


def test_participation_styles_count_each_person_once_in_their_most_visible_way(community: list[Member]) -> None:
    # Ann 1-5 posted and reacted: posters. Ann 6-10 posted and replied to others: supporters.
    # Ann 11 reacted, Ann 12 was here quietly: one each, so hidden.
    expected = ["0", "5", "5", "fewer than 5", "fewer than 5", "0"]
    assert table("participation_styles") == [["Mar 2026", *expected], ["Whole period", *expected]]


def test_style_transitions_between_the_two_halves(community: list[Member]) -> None:
    rows = {r[0]: r[1:] for r in table("style_transitions")}
    # Columns: hosts, supporters, posters, reactors, here quietly, readers, not seen.
    assert rows["Posters"] == ["0", "5", "0", "5", "0", "0", "0"]
    assert rows["Reactors"] == ["0", "0", "0", "0", "0", "0", "fewer than 5"]
    assert rows["Not seen (new or returning)"] == ["0", "0", "0", "0", "fewer than 5", "0", "0"]


def test_talk_waits_and_share_within_target(crowd: Callable[..., list[Member]]) -> None:
    people = crowd(9)
    # Week 1: answered after 1, 2, 3, 4, 6 and 20 minutes, and one never answered (target 10).
    for p, wait in zip(people, [1, 2, 3, 4, 6, 20, None], strict=False):
        TalkRequest.objects.create(
            member=p, created_at=at(3, 10), accepted_at=at(3, 10, wait) if wait is not None else None
        )
    # Week 2: two requests: too few to show anything.
    for p in people[7:]:
        TalkRequest.objects.create(member=p, created_at=at(10), accepted_at=at(10, 12, 5))
    assert table("talk_waits") == [
        ["02 Mar 2026", "7", "6", "3.5", "71%"],
        ["09 Mar 2026", "fewer than 5", "fewer than 5", "fewer than 5", "fewer than 5"],
    ]


def test_crisis_alerts_time_to_acknowledge_by_month(crowd: Callable[..., list[Member]]) -> None:
    for p, minutes in zip(crowd(6), [1, 2, 3, 4, 5, 10], strict=True):
        CrisisAlert.objects.create(
            member=p, origin="message", summary="x", created_at=at(5), acknowledged_at=at(5, 12, minutes)
        )
    # Median of 1,2,3,4,5,10 is 3.5; 5 of 6 within the 5-minute target.
    assert table("crisis_acknowledgement") == [["Mar 2026", "6", "3.5", "83%"]]


def test_coverage_gaps_from_the_rota(volunteer: Member, peer_worker: Member) -> None:
    # No service hours set: 09:00-22:00 every day, 91 hours a week.
    # Sam (volunteer) Mondays 09-13: 4 hours volunteers only. Priya (peer worker) all Tuesday: 13 covered.
    ShiftPattern.objects.create(
        supporter=volunteer, weekday=0, starts=time(9), ends=time(13), valid_from=date(2026, 1, 1)
    )
    ShiftPattern.objects.create(
        supporter=peer_worker, weekday=1, starts=time(9), ends=time(22), valid_from=date(2026, 1, 1)
    )
    assert table("coverage_gaps") == [["02 Mar 2026", "74", "4"], ["09 Mar 2026", "74", "4"]]


def test_groups_without_supporter_coverage_by_week(volunteer: Member, member: Member) -> None:
    gardeners, _ = _group(), _group("Readers", created=at(10))
    Post.objects.create(group=gardeners, author=volunteer, body="hello", created_at=at(4))
    Post.objects.create(group=gardeners, author=member, body="hello", created_at=at(11))  # not a supporter
    # Week 1: Gardeners only (Readers opened on 10 March), covered by Sam. Week 2: neither covered.
    assert table("group_coverage") == [["02 Mar 2026", "1", "0"], ["09 Mar 2026", "2", "2"]]


def test_group_mood_with_small_groups_merged(crowd: Callable[..., list[Member]]) -> None:
    people = crowd(7)
    big, small = _group(), _group("Knitters")
    # Gardeners: 10 posts by 5 people, 5 heavy; 6 replies, 5 supportive.
    for i in range(10):
        TriageRecord.objects.create(
            content_key="community.post", object_id=i, author=people[i % 5], group_id=big.pk,
            risk="none", heavy=i < 5, created_at=at(4),
        )  # fmt: skip
    for i in range(6):
        TriageRecord.objects.create(
            content_key="community.comment", object_id=i, author=people[i % 5], group_id=big.pk,
            risk="none", supportive=i < 5, created_at=at(4),
        )  # fmt: skip
    # Knitters: two writers only, so it is folded into "smaller groups" and hidden.
    for i, p in enumerate(people[5:]):
        TriageRecord.objects.create(
            content_key="community.post", object_id=100 + i, author=p, group_id=small.pk, risk="none", heavy=True,
            created_at=at(4),
        )  # fmt: skip
    assert table("group_mood") == [
        ["Gardeners", "10", "50%", "83%"],
        ["1 smaller group together", "fewer than 5", "fewer than 5", "fewer than 5"],
    ]


def test_care_queue_raised_reached_and_time_to_check_in(crowd: Callable[..., list[Member]]) -> None:
    people = crowd(6)
    for p, hours in zip(people, [1, 2, 3, 4, 5, None], strict=True):
        CareItem.objects.create(
            member=p, source="triage", reason="x", created_at=at(3, 9),
            state="done" if hours else "open", done_at=at(3, 9 + hours) if hours else None,
        )  # fmt: skip
    assert table("care_queue") == [["02 Mar 2026", "6", "5", "3.0"], ["09 Mar 2026", "0", "0", "—"]]


def test_check_in_completion(member: Member, peer_worker: Member) -> None:
    rnd = CheckInRound.objects.create(member=member, supporter=peer_worker, message="How are you doing?")
    for seq in range(6):
        CheckInSend.objects.create(round=rnd, room_id=1, seq=seq, sent_at=at(4), replied_at=at(4, 14) if seq else None)
    assert table("check_ins") == [["02 Mar 2026", "6", "5", "83%"], ["09 Mar 2026", "0", "0", "—"]]


def test_gatherings_and_who_came(crowd: Callable[..., list[Member]]) -> None:
    group = _group()
    craft = Gathering.objects.create(group=group, title="Craft", starts_at=at(5, 18), ends_at=at(5, 20))
    for p in crowd(6):
        Attendance.objects.create(gathering=craft, member=p, how="online", at=at(5, 18))
    assert table("gatherings") == [["02 Mar 2026", "1", "6"], ["09 Mar 2026", "0", "0"]]


def test_referrals_by_resource_and_outcome(crowd: Callable[..., list[Member]]) -> None:
    advice = Resource.objects.create(name="Citizens Advice", description="x")
    talking = Resource.objects.create(name="Talking Therapies", description="x")
    people = crowd(13)
    for p, status in zip(people, ["made"] * 6 + ["accepted"] * 5, strict=False):
        Referral.objects.create(member=p, resource=advice, status=status, follow_up_on=WEEK1, created_at=at(4))
    for p in people[11:]:
        Referral.objects.create(member=p, resource=talking, status="suggested", follow_up_on=WEEK1, created_at=at(4))
    # Columns: suggested, made, accepted, declined, closed.
    assert table("referrals") == [
        ["Citizens Advice", "0", "6", "5", "0", "0"],
        ["Talking Therapies", "fewer than 5", "0", "0", "0", "0"],
    ]


def test_outcome_bands_and_mean_change(crowd: Callable[..., list[Member]]) -> None:
    for p in crowd(5):
        OutcomeResponse.objects.create(
            member=p, measure="phq9", answers=[], score=12, band="moderate", created_at=at(3)
        )
        OutcomeResponse.objects.create(member=p, measure="phq9", answers=[], score=3, band="minimal", created_at=at(12))
    metric = registry.get("outcome_bands")
    assert metric is not None
    span = fortnight()
    do_roll_up(span.start, span.end)  # the worker links each answer to the person's answers before and after
    result = metric.compute(span)
    assert [[str(c) for c in row] for row in result.cells()] == [
        ["PHQ-9: Minimal (0 to 4)", "5"],
        ["PHQ-9: Mild (5 to 9)", "0"],
        ["PHQ-9: Moderate (10 to 14)", "0"],
        ["PHQ-9: Moderately severe (15 to 19)", "0"],
        ["PHQ-9: Severe (20 to 27)", "0"],
    ]
    assert "-9.0 (lower is better)" in result.notes[0]


def test_a_span_is_at_most_a_year_and_weeks_start_on_monday() -> None:
    span = registry.Span(date(2024, 1, 1), date(2026, 3, 15))
    assert span.days == registry.MAX_DAYS
    assert fortnight().weeks() == [WEEK1, WEEK1 + timedelta(days=7)]
