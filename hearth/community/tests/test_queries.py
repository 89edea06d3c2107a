"""The feed and group pages run a fixed number of queries however many posts there are."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from hearth.community import actions
from hearth.community.models import Comment, Group, Post, Reaction
from hearth.community.tests.conftest import make_group
from hearth.members.models import Member
from hearth.testing import ClientFor

# Feed: session, member, roles, profile, memberships, the page's post ids, posts, comments, my reactions, reactions on my posts,
# "coming up" (the member's groups, their drop-ins, their gatherings) and the header's counts (one query).
FEED_QUERIES = 14
# Group page: session, member, roles, group, membership, profile, coverage (hosts/staff), posts + comments,
# pinned + comments, my reactions, reactions on my posts, "here quietly", the update marking it read,
# and the atmosphere (hosts/staff: one query over triage records); "coming up" (membership, drop-ins,
# gatherings) and the header's counts (one query).
GROUP_QUERIES = 20


def add_posts(group: Group, people: list[Member], count: int) -> None:
    for i in range(count):
        author = people[i % len(people)]
        post = Post.objects.create(group=group, author=author, body=f"post {i}", heavy=i % 4 == 0, content_note="x")
        Comment.objects.create(post=post, author=people[(i + 1) % len(people)], body="reply")
        Reaction.objects.create(post=post, member=people[(i + 2) % len(people)], kind="hug")


@pytest.mark.parametrize("posts", [5, 30])
def test_feed_queries_do_not_grow_with_posts(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    group: Group,
    django_assert_num_queries: DjangoAssertNumQueries,
    posts: int,
) -> None:
    other = make_group(volunteer, "Co-op Gamers")
    actions.do_join_group(member, other)
    actions.do_update_community_settings(member, interests="", muted_words="post 3")
    add_posts(group, [member, volunteer], posts)
    add_posts(other, [member, volunteer], posts)
    client = client_for(member)
    with django_assert_num_queries(FEED_QUERIES):
        response = client.get(reverse("community:feed"))
    assert response.status_code == 200


@pytest.mark.parametrize("posts", [5, 30])
def test_group_page_queries_do_not_grow_with_posts(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    group: Group,
    django_assert_num_queries: DjangoAssertNumQueries,
    posts: int,
) -> None:
    add_posts(group, [member, volunteer], posts)
    first = Post.objects.filter(group=group).earliest("pk")
    actions.do_pin_post(volunteer, first)
    actions.do_mark_here(volunteer, group)
    client = client_for(volunteer)  # the host: also sees coverage
    with django_assert_num_queries(GROUP_QUERIES):
        response = client.get(reverse("community:group", args=[group.pk]))
    assert response.status_code == 200
