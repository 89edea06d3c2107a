"""Websockets are counted for /metrics and logged when they open and close (ids only)."""

from __future__ import annotations

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from hearth.asgi import application  # at import: it sets Django up again, which resets logging handlers
from hearth.core.consumers import CLOSE_NOT_SIGNED_IN, open_websockets
from hearth.members.models import Member

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _cookie(person: Member) -> bytes:
    client = Client()
    client.force_login(person)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_open_sockets_are_counted_and_each_open_and_close_is_one_line(
    member: Member, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hearth.ws")
    before = open_websockets()
    cookie = await database_sync_to_async(_cookie)(member)
    socket = WebsocketCommunicator(
        application, "/ws/me/", headers=[(b"cookie", cookie), (b"origin", b"http://testserver")]
    )
    connected, _ = await socket.connect()
    assert connected and open_websockets() == before + 1
    await socket.disconnect()
    assert open_websockets() == before
    stranger = WebsocketCommunicator(application, "/ws/me/", headers=[(b"origin", b"http://testserver")])
    connected, code = await stranger.connect()
    assert not connected and code == CLOSE_NOT_SIGNED_IN and open_websockets() == before
    events = [
        (r.__dict__["hearth_event"], r.__dict__["hearth_fields"]) for r in caplog.records if r.name == "hearth.ws"
    ]
    assert [e for e, _ in events] == ["ws.connect", "ws.close", "ws.refused"]
    assert events[0][1]["member"] == member.pk and events[0][1]["path"] == "/ws/me/"
    assert events[2][1] == {"path": "/ws/me/", "member": None, "code": CLOSE_NOT_SIGNED_IN}
    await database_sync_to_async(connections.close_all)()
