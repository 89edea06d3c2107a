"""Live rooms over real websockets: durability, ordering, resume, retries, who hears what, floods."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async

from hearth.chat import actions
from hearth.chat.access import room_channel
from hearth.chat.models import Message, Room
from hearth.community.models import Group
from hearth.core.events import capture_events, member_group
from hearth.members.models import Member
from hearth.testing import Live

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _stored(room_id: int, seq: int | None = None, client_id: str | None = None) -> int:
    rows = Message.objects.filter(room_id=room_id)
    if seq is not None:
        rows = rows.filter(seq=seq)
    if client_id is not None:
        rows = rows.filter(client_id=client_id)
    return rows.count()


async def test_member_joins_with_their_session_and_hears_a_message_that_is_already_stored(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member
) -> None:
    robin = await live(member, room.pk)
    sam = await live(volunteer, room.pk)
    await robin.send(kind="send", client_id="c-1", body="Hello everyone")
    heard = await sam.next("chat.message")
    # Persistence before broadcast: the row is committed by the time anyone hears of it.
    assert await database_sync_to_async(_stored)(room.pk, seq=heard["seq"]) == 1
    assert heard["body"] == "Hello everyone" and heard["sender"]["name"] == "Robin"
    ack = await robin.next("ack")
    assert ack["client_id"] == "c-1" and ack["id"] == heard["id"] and not ack["duplicate"]
    assert await database_sync_to_async(_stored)(room.pk, client_id="c-1") == 1


async def test_outsider_and_signed_out_people_cannot_join_and_hear_nothing(
    live: Callable[..., Any], room: Room, member: Member, outsider: Member
) -> None:
    await live(outsider, room.pk, expect=4403)
    await live(outsider, 999_999, expect=4403)  # guessing ids looks the same as a room you can't see
    from channels.testing import WebsocketCommunicator

    from hearth.asgi import application

    anonymous = WebsocketCommunicator(
        application, f"/ws/chat/rooms/{room.pk}/", headers=[(b"origin", b"http://testserver")]
    )
    connected, code = await anonymous.connect()
    assert not connected and code == 4401
    with capture_events() as events:
        await database_sync_to_async(actions.do_send_message)(member, room, "only for the group", "x")
    assert events.recipients_of("chat.message") == {room_channel(room.pk)}
    assert not events.events_for(member_group(outsider.pk))


async def test_messages_arrive_in_one_order_for_everyone(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member, peer_worker: Member, no_flood_limit: None
) -> None:
    listeners = [await live(p, room.pk) for p in (member, volunteer, peer_worker)]
    senders = [(member, "r"), (volunteer, "s")]

    async def burst(person: Member, prefix: str) -> None:
        for i in range(4):
            await database_sync_to_async(actions.do_send_message)(person, room, f"{prefix}{i}", f"{prefix}{i}")

    await asyncio.gather(*(burst(p, prefix) for p, prefix in senders))
    orders = []
    for listener in listeners:
        got = await listener.messages(8)
        orders.append([m["seq"] for m in got])
    assert orders[0] == sorted(orders[0]) == list(range(1, 9))
    assert orders[0] == orders[1] == orders[2]


async def test_reconnecting_client_gets_what_it_missed_once_in_order(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member, no_flood_limit: None
) -> None:
    sam = await live(volunteer, room.pk)
    for i in range(3):
        await database_sync_to_async(actions.do_send_message)(member, room, f"before {i}", f"b{i}")
    seen = [m["seq"] for m in await sam.messages(3)]
    await sam.close()
    for i in range(5):  # while Sam is away (a minute or a week: nothing expires)
        await database_sync_to_async(actions.do_send_message)(member, room, f"away {i}", f"a{i}")

    async def keep_talking() -> None:
        for i in range(5):
            await database_sync_to_async(actions.do_send_message)(member, room, f"during {i}", f"d{i}")
            await asyncio.sleep(0.01)

    talking = asyncio.create_task(keep_talking())
    back = await live(volunteer, room.pk, after=seen[-1])
    await talking
    got = [m["seq"] for m in await back.messages(10)]
    assert got == list(range(4, 14))
    assert await back.quiet("chat.message") == []  # no duplicates after the backlog


async def test_resume_request_on_an_open_socket(live: Callable[..., Any], room: Room, member: Member) -> None:
    for i in range(3):
        await database_sync_to_async(actions.do_send_message)(member, room, f"m{i}", f"m{i}")
    robin = await live(member, room.pk)
    await robin.send(resume_after=1)
    got = await robin.messages(2)
    assert [m["seq"] for m in got] == [2, 3]
    assert (await robin.next("resumed"))["room"] == room.pk


async def test_a_retried_send_is_stored_once(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member
) -> None:
    robin = await live(member, room.pk)
    sam = await live(volunteer, room.pk)
    await robin.send(kind="send", client_id="same", body="Are you there?")
    first = await robin.next("ack")
    await robin.send(kind="send", client_id="same", body="Are you there?")  # the ack was "lost"
    second = await robin.next("ack")
    assert second["id"] == first["id"] and second["duplicate"]
    assert await database_sync_to_async(_stored)(room.pk) == 1
    await sam.messages(1)
    assert await sam.quiet("chat.message") == []


async def test_a_flood_is_refused_with_a_clear_error(live: Callable[..., Any], room: Room, member: Member) -> None:
    robin = await live(member, room.pk)
    for i in range(8):
        await robin.send(kind="send", client_id=f"f{i}", body=f"flood {i}")
    replies = [await robin.next("ack", "error") for _ in range(8)]
    acks = [r for r in replies if r["kind"] == "ack"]
    errors = [r for r in replies if r["kind"] == "error"]
    assert len(acks) == 5
    assert {e["code"] for e in errors} == {"rate_limited"}
    assert "Wait a few seconds" in errors[0]["message"]
    assert await database_sync_to_async(_stored)(room.pk) == 5


async def _arrival(listener: Live, person: Member) -> dict[str, Any]:
    """The next ``chat.presence.arrived`` about ``person`` (a socket hears its own arrival too)."""
    while True:
        event = await listener.next("chat.presence.arrived")
        if event["member"]["id"] == person.pk:
            return event


async def test_typing_and_presence_are_live_but_not_stored(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member
) -> None:
    sam = await live(volunteer, room.pk)
    first = await sam.next("chat.presence")
    assert [p["name"] for p in first["present"]] == ["Sam"]
    robin = await live(member, room.pk)
    # Presence by differences: the room hears one "arrived"; only the newcomer gets the whole list.
    arrived = await _arrival(sam, member)
    assert arrived["member"]["name"] == "Robin"
    assert [p["name"] for p in (await robin.next("chat.presence"))["present"]] == ["Sam", "Robin"]
    await robin.send(kind="typing")
    typing = await sam.next("chat.typing")
    assert typing["name"] == "Robin"
    assert await database_sync_to_async(_stored)(room.pk) == 0
    await robin.close()
    left = await sam.next("chat.presence.left")
    assert left["member"] == member.pk
    assert not [e for e in sam.seen if e["kind"] == "chat.presence" and e is not first], "no list to the room"


async def test_a_second_tab_is_not_a_second_arrival_and_closing_one_tab_is_not_leaving(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member
) -> None:
    sam = await live(volunteer, room.pk)
    robin = await live(member, room.pk)
    await _arrival(sam, member)
    robin_again = await live(member, room.pk)
    assert [p["name"] for p in (await robin_again.next("chat.presence"))["present"]] == ["Sam", "Robin"]
    await robin.close()
    assert not await sam.quiet("chat.presence.arrived", "chat.presence.left")
    await robin_again.close()
    assert (await sam.next("chat.presence.left"))["member"] == member.pk


async def test_edits_and_hides_reach_the_room_and_a_resuming_client(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member, peer_worker: Member
) -> None:
    message, _ = await database_sync_to_async(actions.do_send_message)(member, room, "Helo", "h")
    robin = await live(member, room.pk)
    await robin.send(kind="edit", id=message.pk, body="Hello")
    changed = await robin.next("chat.message.changed")
    assert changed["body"] == "Hello" and changed["state"] == "edited"
    priya = await live(peer_worker, room.pk)
    await priya.send(kind="hide", id=message.pk, reason="test")
    hidden = await robin.next("chat.message.changed")
    assert hidden["state"] == "hidden" and hidden["body"] == ""
    # Sam was away the whole time: resuming from seq 1 brings the message's latest state once.
    sam = await live(volunteer, room.pk, after=1)
    again = await sam.next("chat.message")
    assert again["id"] == message.pk and again["state"] == "hidden"
    assert await sam.quiet("chat.message", "chat.message.changed") == []
    await sam.send(kind="hide", id=message.pk)
    refused = await sam.next("error")
    assert refused["code"] == "refused" and "moderators" in refused["message"]


async def test_leaving_the_group_closes_the_socket(
    live: Callable[..., Any], room: Room, group: Group, member: Member
) -> None:
    from hearth.community.actions import do_leave_group

    robin = await live(member, room.pk)
    await database_sync_to_async(do_leave_group)(member, group)
    closed = await robin.communicator.receive_output(timeout=3)
    while closed["type"] != "websocket.close":
        closed = await robin.communicator.receive_output(timeout=3)
    assert closed["code"] == 4403
