"""The community's cast, on top of the shared one in ``hearth/conftest.py``.

- ``group``: Tuesday Makers, an open, listed group hosted by Sam (volunteer),
  with Robin as an ordinary member. Kit (``outsider``) is not in it.
- ``unlisted``: Night Owls, an invite-only group nobody outside it should find.
- ``post``: something Robin shared in Tuesday Makers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from hearth.community import actions
from hearth.community.models import Group, GroupState, JoinPolicy, Membership, Post
from hearth.members.models import Member


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Photos go to a throwaway folder, never the developer's data/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def make_group(host: Member, name: str = "Tuesday Makers", **fields: Any) -> Group:
    defaults: dict[str, Any] = {
        "purpose": "Show what you're making, half-finished is welcome.",
        "who_for": "Everyone",
        "interest_tags": "crafts, knitting",
        "join_policy": JoinPolicy.OPEN,
        "listed": True,
    }
    group = Group.objects.create(name=name, state=GroupState.ACTIVE, proposed_by=host, **{**defaults, **fields})
    Membership.objects.create(group=group, member=host, is_host=True)
    return group


@pytest.fixture
def group(volunteer: Member, member: Member) -> Group:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    return group


@pytest.fixture
def unlisted(volunteer: Member, member: Member) -> Group:
    group = make_group(
        volunteer,
        "Night Owls",
        purpose="Quiet company in the small hours.",
        interest_tags="sleep",
        join_policy=JoinPolicy.INVITE,
        listed=False,
    )
    Membership.objects.create(group=group, member=member)
    return group


@pytest.fixture
def post(member: Member, group: Group) -> Post:
    return actions.do_create_post(member, group, body="First granny square! More of a trapezium.")
