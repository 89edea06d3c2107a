"""The benchmark-sized demo community (``hearth seed_demo --scale``)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hearth.community.models import Post
from hearth.members.models import Member


def test_scale_option_seeds_members_and_posts(db: None) -> None:
    call_command("seed_demo", "--scale", "80:1200", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Member.objects.count() == 80
    assert Post.objects.filter(group__name__startswith="Scale group").count() == 1200


def test_scale_option_says_how_to_write_it(db: None) -> None:
    with pytest.raises(CommandError, match="MEMBERS:POSTS"):
        call_command("seed_demo", "--scale", "lots")
