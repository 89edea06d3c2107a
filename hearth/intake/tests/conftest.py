"""Intake's extra cast: an open group hosted by Sam (the volunteer), and a good set of answers."""

from __future__ import annotations

import pytest

from hearth.community.models import Group, GroupState, JoinPolicy, Membership
from hearth.members.models import Member

GOOD = {"brings": ["meet"], "wants": ["hang_out"], "today": ["okay"]}


@pytest.fixture
def group(volunteer: Member) -> Group:
    """Tuesday Makers, open to join, hosted by Sam."""
    g = Group.objects.create(
        name="Tuesday Makers",
        purpose="Making things together",
        who_for="Everyone",
        interest_tags="making, crafts",
        join_policy=JoinPolicy.OPEN,
        state=GroupState.ACTIVE,
    )
    Membership.objects.create(group=g, member=volunteer, is_host=True)
    return g
