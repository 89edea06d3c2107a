"""The demo organisation's community, and the benchmark-sized one."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hearth.community.models import Comment, Group, GroupState, Post, PostKind, Reaction
from hearth.core.testing import visible_text
from hearth.members.models import Member


@pytest.fixture
def demo(db, settings, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_groups_of_several_kinds_and_a_proposal(demo):
    names = set(Group.objects.filter(state=GroupState.ACTIVE).values_list("name", flat=True))
    for name in ("Men's Shed Online", "Carers' Corner", "Tuesday Makers", "Co-op Gamers", "Student Common Room"):
        assert name in names
    assert Group.objects.filter(state=GroupState.PROPOSED).exists()


def test_demo_activity_covers_every_mode(demo):
    kinds = set(Post.objects.values_list("kind", flat=True))
    assert {PostKind.TEXT, PostKind.CARD, PostKind.PHOTO, PostKind.ANNOUNCEMENT} <= kinds
    assert Post.objects.filter(heavy=True).exists()
    assert Comment.objects.exists() and Reaction.objects.exists()
    assert Post.objects.exclude(pinned_at=None).exists()


def test_demo_member_sees_a_heavy_post_folded_in_their_feed(demo, client):
    client.force_login(Member.objects.get(email="member@example.org"))
    page = visible_text(client.get(reverse("community:feed")))
    assert "Content note:" in page


def test_scale_option_seeds_members_and_posts(db):
    call_command("seed_demo", "--scale", "80:1200", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Member.objects.count() == 80
    assert Post.objects.filter(group__name__startswith="Scale group").count() == 1200


def test_scale_option_says_how_to_write_it(db):
    with pytest.raises(CommandError, match="MEMBERS:POSTS"):
        call_command("seed_demo", "--scale", "lots")
