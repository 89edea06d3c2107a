"""Nobody replied: a post asking for support with no reply within the configured time (no opt-in: safety)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.care import actions, queue
from hearth.care.models import CareItem, Source
from hearth.care.tests.conftest import NOW
from hearth.community.models import Comment, Group, Membership, Post
from hearth.members.models import Member


@pytest.fixture
def group(volunteer: Member) -> Group:
    g = Group.objects.create(name="Night owls", purpose="x", who_for="x", state="active")
    Membership.objects.create(group=g, member=volunteer)
    return g


def test_a_post_asking_for_support_with_no_reply_goes_on_the_queue(
    member: Member, volunteer: Member, group: Group, clock: TimeMachineFixture, settings: Settings
) -> None:
    settings.HEARTH_CARE_NO_REPLY_HOURS = 6
    Post.objects.create(
        group=group,
        author=member,
        body="Anyone else awake? Can't sleep again",
        created_at=NOW.replace(hour=2, minute=10),
    )
    assert actions.find_unanswered_posts(NOW.replace(hour=7)) == 0  # under 6 hours
    assert actions.find_unanswered_posts(NOW.replace(hour=8, minute=15)) == 1
    [entry] = queue.build_queue(volunteer)
    assert entry.reasons == ["posted at 02:10 in Night owls, no reply after 6 h"]
    assert actions.find_unanswered_posts(NOW.replace(hour=9)) == 0  # once per post


def test_the_writers_own_follow_up_is_not_a_reply_but_someone_elses_is(
    member: Member, volunteer: Member, group: Group, clock: TimeMachineFixture
) -> None:
    post = Post.objects.create(group=group, author=member, body="Struggling today", created_at=NOW - timedelta(hours=8))
    Comment.objects.create(post=post, author=member, body="still here")
    actions.find_unanswered_posts(NOW)
    assert CareItem.objects.filter(source=Source.NOBODY_REPLIED).exists()
    Comment.objects.create(post=post, author=volunteer, body="Here for you")
    actions.find_unanswered_posts(NOW)
    assert not CareItem.objects.filter(source=Source.NOBODY_REPLIED).exists()


def test_an_ordinary_post_is_not_a_request_for_support(member: Member, group: Group, clock: TimeMachineFixture) -> None:
    Post.objects.create(group=group, author=member, body="Made a cake today.", created_at=NOW - timedelta(hours=8))
    Post.objects.create(
        group=group, author=member, body="Today was hard.", heavy=True, created_at=NOW - timedelta(hours=8)
    )
    assert actions.find_unanswered_posts(NOW) == 1
