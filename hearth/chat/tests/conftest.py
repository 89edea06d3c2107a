"""The chat app's cast, on top of the shared one and the community's.

- ``group``: Tuesday Makers, hosted by Sam (``volunteer``), with Robin (``member``)
  and Priya (``peer_worker``, who moderates). Kit (``outsider``) is not in it.
- ``room``: the group's everyday chat room.
- ``live``: opens a real websocket to a room for someone, through the real ASGI
  application (origin check, session cookie, auth middleware).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from hearth.chat import actions
from hearth.chat.models import Room
from hearth.community.models import Group, Membership
from hearth.community.tests.conftest import make_group
from hearth.members.models import Member


@pytest.fixture(autouse=True)
def _own_channel_prefix(settings: Any) -> None:
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
def no_flood_limit(monkeypatch: Any) -> None:
    """For tests about something other than floods: senders here post faster than people do."""
    monkeypatch.setattr(actions, "RATE_COUNT", 10_000)


@pytest.fixture
def group(volunteer: Member, member: Member, peer_worker: Member) -> Group:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    Membership.objects.create(group=group, member=peer_worker)
    return group


@pytest.fixture
def room(group: Group, member: Member) -> Room:
    return actions.do_open_group_room(member, group.pk)


def session_cookie(person: Member) -> bytes:
    client = Client()
    client.force_login(person)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


class Live:
    """A websocket client in a test, with helpers that skip the events a test isn't about."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator
        self.seen: list[dict[str, Any]] = []
        self.closed = False

    async def send(self, **content: Any) -> None:
        await self.communicator.send_json_to(content)

    async def next(self, *kinds: str, timeout: float = 3) -> dict[str, Any]:
        """The next event of one of ``kinds`` (others are kept in ``seen``)."""
        while True:
            event = await self.communicator.receive_json_from(timeout=timeout)
            self.seen.append(event)
            if not kinds or event["kind"] in kinds:
                return event

    async def messages(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        return [await self.next("chat.message", timeout=timeout) for _ in range(count)]

    async def quiet(self, *kinds: str, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Everything of ``kinds`` that arrives until ``timeout`` passes with nothing new.

        (``receive_nothing`` peeks without cancelling the application, unlike a receive that times out.)
        """
        got = []
        while not await self.communicator.receive_nothing(timeout=timeout):
            event = await self.communicator.receive_json_from()
            self.seen.append(event)
            if not kinds or event["kind"] in kinds:
                got.append(event)
        return got

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.communicator.disconnect()


@pytest_asyncio.fixture
async def live() -> AsyncIterator[Callable[..., Any]]:
    from hearth.asgi import application

    opened: list[Live] = []

    async def connect(person: Member, room_id: int, after: int | None = None, *, expect: int | None = None) -> Any:
        cookie = await database_sync_to_async(session_cookie)(person)
        path = f"/ws/chat/rooms/{room_id}/" + (f"?after={after}" if after is not None else "")
        communicator = WebsocketCommunicator(
            application, path, headers=[(b"cookie", cookie), (b"origin", b"http://testserver")]
        )
        connected, code = await communicator.connect()
        if expect is not None:
            assert not connected and code == expect, f"expected close {expect}, got {connected} {code}"
            return None
        assert connected, f"refused with {code}"
        client = Live(communicator)
        opened.append(client)
        return client

    yield connect
    for client in opened:
        with contextlib.suppress(Exception, asyncio.CancelledError):  # the server may have closed it first
            await client.close()
    # Consumers' database work ran in asgiref's sync thread; let the test database be dropped afterwards.
    await database_sync_to_async(connections.close_all)()
