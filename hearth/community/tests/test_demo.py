"""The demo organisation's community."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hearth.community.models import Comment, Group, GroupState, Post, PostKind, Reaction
from hearth.members.models import Member
from hearth.testing import visible_text

pytestmark = pytest.mark.usefixtures("demo_organisation")  # seeded once for this module


@pytest.fixture
def demo(db: None) -> None:
    pass


def test_demo_has_groups_of_several_kinds_and_a_proposal(demo: None) -> None:
    names = set(Group.objects.filter(state=GroupState.ACTIVE).values_list("name", flat=True))
    for name in ("Men's Shed Online", "Carers' Corner", "Tuesday Makers", "Co-op Gamers", "Student Common Room"):
        assert name in names
    assert Group.objects.filter(state=GroupState.PROPOSED).exists()


def test_demo_activity_covers_every_mode(demo: None) -> None:
    kinds = set(Post.objects.values_list("kind", flat=True))
    assert {PostKind.TEXT, PostKind.CARD, PostKind.PHOTO, PostKind.ANNOUNCEMENT} <= kinds
    assert Post.objects.filter(heavy=True).exists()
    assert Comment.objects.exists() and Reaction.objects.exists()
    assert Post.objects.exclude(pinned_at=None).exists()


def test_demo_member_sees_a_heavy_post_folded_in_their_feed(demo: None, client: Client) -> None:
    client.force_login(Member.objects.get(email="member@example.org"))
    page = visible_text(client.get(reverse("community:feed")))
    assert "Content note:" in page
