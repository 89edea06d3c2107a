"""No socket falls over: every websocket route, as each person (and signed out), with malformed frames.

Generated from ``hearth/routing.py``: a new route is covered without editing this file (say where its ids
come from in ``_ids`` if it takes a new one). Each frame below is sent on every socket a person may open; the
consumer must answer (an ``error`` frame, or nothing) and keep running — never crash the connection.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from channels.db import database_sync_to_async

from hearth.chat import actions as chat_actions
from hearth.community.models import Membership
from hearth.community.tests.conftest import make_group
from hearth.core.consumers import EventConsumer
from hearth.members.models import Member
from hearth.routing import websocket_urlpatterns
from hearth.testing import Live, MakeMember, sockets

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HUGE = "9" * 40
FRAMES: list[str | bytes] = [
    "not JSON",
    "",
    "[" * 50_000 + "]" * 50_000,  # nested deeper than the parser goes (fits in one frame)
    '{"a":' * 20_000 + "1" + "}" * 20_000,
    "x" * 200_000,  # bigger than any page sends
    b"\x00\x01 binary",
    "[]",
    "1",
    "null",
    '"text"',
    '{"kind": 5}',
    '{"kind": ["send"]}',
    '{"kind": "send", "body": {"x": 1}, "client_id": [1]}',
    '{"kind": "send", "body": "hi", "client_id": "' + "x" * 10_000 + '"}',
    '{"kind": "send", "body": "a\\u0000b", "client_id": "nul"}',
    '{"kind": "edit", "id": "' + HUGE + '", "body": "x"}',
    '{"kind": "edit", "id": ' + HUGE + ', "body": "x"}',
    '{"kind": "edit", "id": 1, "body": ["x"]}',
    '{"kind": "delete", "id": -1}',
    '{"kind": "hide", "id": null, "reason": {"r": 1}}',
    '{"kind": "clear_hand", "member": "abc"}',
    '{"kind": "clear_hand", "member": 1e400}',
    '{"kind": "clear_hand", "member": ' + HUGE + "}",
    '{"resume_after": 1e400}',
    '{"resume_after": ' + HUGE + "}",
    '{"resume_after": true}',
    '{"resume_after": "0"}',
    '{"kind": "received", "delivery": ' + HUGE + "}",
    '{"kind": "received", "delivery": "1; drop table"}',
    '{"kind": "typing", "extra": "' + "é💬" * 1000 + '"}',
]


def _routes() -> list[str]:
    return [str(p.pattern) for p in websocket_urlpatterns]


class _Handled:
    """Tells when a consumer has finished with a frame, so each frame waits exactly as long as it takes (a fixed
    wait after every frame cost seconds of idling, and a slow answer could be read as the next frame's)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.done = asyncio.Event()
        real = EventConsumer.dispatch

        async def dispatch(consumer: EventConsumer, message: dict[str, Any]) -> None:
            try:
                await real(consumer, message)
            finally:
                if message["type"] == "websocket.receive":
                    self.done.set()

        monkeypatch.setattr(EventConsumer, "dispatch", dispatch)


async def _still_running(live: Live, frame: str | bytes, handled: _Handled) -> list[dict[str, Any]]:
    """Send one frame; everything the consumer answers, once it has handled it, after checking it didn't crash."""
    communicator = live.communicator
    handled.done.clear()
    await communicator.send_input(
        {"type": "websocket.receive", ("bytes" if isinstance(frame, bytes) else "text"): frame}
    )
    try:
        await asyncio.wait_for(handled.done.wait(), 10)
    except TimeoutError:
        if not communicator.future.done():
            raise AssertionError(f"{frame[:60]!r} was not handled in 10 seconds") from None
    answers = []
    while not await communicator.receive_nothing(timeout=0):
        output = await communicator.receive_output()
        if output["type"] == "websocket.send" and output.get("text"):
            answers.append(json.loads(output["text"]))
        assert output["type"] != "websocket.close", f"{frame[:60]!r} closed the socket: {output}"
    if communicator.future.done():
        communicator.future.result()  # raises the consumer's exception, failing the test with it
        raise AssertionError(f"{frame[:60]!r} stopped the consumer")
    return answers


async def test_no_malformed_frame_crashes_a_socket(
    make_member: MakeMember,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    coordinator: Member,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handled = _Handled(monkeypatch)

    def world() -> dict[str, int]:
        group = make_group(volunteer)
        Membership.objects.create(group=group, member=member)
        Membership.objects.create(group=group, member=peer_worker)
        room = chat_actions.do_open_group_room(member, group.pk)
        return {"group_id": group.pk, "room_id": room.pk}

    ids = await database_sync_to_async(world)()
    people = {"member": member, "volunteer": volunteer, "peer worker": peer_worker, "coordinator": coordinator}
    frames_sent = opened = 0
    async with sockets() as open_socket:
        for route in _routes():
            names = re.findall(r"<(?:\w+:)?(\w+)>", route)
            assert all(n in ids for n in names), f"{route}: say where its ids come from in world()"
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), route)
            await open_socket(None, path, expect=4401)
            for bad in ("0", "9" * 18):
                if names:
                    await open_socket(member, "/" + re.sub(r"<[^>]+>", bad, route), expect=4403)
            for person in people.values():
                try:
                    live = await open_socket(person, path)
                except AssertionError:
                    continue  # refused (4403): this person may not follow it
                opened += 1
                for frame in FRAMES:
                    answers = await _still_running(live, frame, handled)
                    frames_sent += 1
                    for answer in answers:
                        if answer.get("kind") == "error":
                            assert answer["message"], answer
                await live.close()
    assert opened >= 10 and frames_sent == opened * len(FRAMES)
    print(f"websockets: {opened} sockets, {frames_sent} malformed frames, no crash")
