"""The chat app's cast, on top of the shared one and the community's.

- ``group``: Tuesday Makers, hosted by Sam (``volunteer``), with Robin (``member``)
  and Priya (``peer_worker``, who moderates). Kit (``outsider``) is not in it.
- ``room``: the group's everyday chat room.
- ``live``: opens a real websocket to a room for someone, through the real ASGI
  application (origin check, session cookie, auth middleware).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from pytest_django import Settings

from hearth.chat import actions
from hearth.chat.models import Room
from hearth.community.models import Group, Membership
from hearth.community.tests.conftest import make_group
from hearth.members.models import Member
from hearth.testing import MakeMember, sockets


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings: Settings) -> None:
    """Parallel workers sharing one Redis must not hear each other's room 1."""
    if settings.REDIS_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": f"hearth-test-{worker}-{os.getpid()}"},
            }
        }


@pytest.fixture
def no_flood_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests about something other than floods: senders here post faster than people do."""
    monkeypatch.setattr(actions, "RATE_COUNT", 10_000)


@pytest.fixture
def group(volunteer: Member, member: Member, peer_worker: Member) -> Group:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    Membership.objects.create(group=group, member=peer_worker)
    return group


@pytest.fixture
def ola(make_member: MakeMember, group: Group) -> Member:
    """A second member of the group, for gatherings' invitations, hybrid attendance and time polls."""
    person: Member = make_member("Ola")
    Membership.objects.create(group=group, member=person)
    return person


@pytest.fixture
def room(group: Group, member: Member) -> Room:
    return actions.do_open_group_room(member, group.pk)


@pytest_asyncio.fixture
async def live() -> AsyncIterator[Callable[..., Any]]:
    async with sockets() as open_socket:

        async def connect(person: Member, room_id: int, after: int | None = None, *, expect: int | None = None) -> Any:
            path = f"/ws/chat/rooms/{room_id}/" + (f"?after={after}" if after is not None else "")
            return await open_socket(person, path, expect=expect)

        yield connect
