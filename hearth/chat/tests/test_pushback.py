"""Pushback, never drops (issue 21): a slow reader's full queue becomes a gap the page fills by seq; a
process over capacity tells the sender to slow down (a frame on the socket, 429 for the form) and stores
nothing, and the same client id sent again is stored once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from hearth.chat import actions, pushback
from hearth.chat.consumers import RoomConsumer
from hearth.chat.models import Message, Room
from hearth.core import fanout
from hearth.members.models import Member
from hearth.testing import ClientResponse

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _count(room_id: int, client_id: str | None = None) -> int:
    rows = Message.objects.filter(room_id=room_id)
    return (rows.filter(client_id=client_id) if client_id else rows).count()


async def test_a_full_queue_for_a_slow_reader_becomes_a_gap_the_page_fills_without_losing_anything(
    live: Callable[..., Any],
    room: Room,
    member: Member,
    volunteer: Member,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    no_flood_limit: None,
) -> None:
    # Robin's connection can't keep up: nothing is written to it until we say so, and it may queue 3 frames.
    monkeypatch.setattr(fanout, "OUTBOX_LIMIT", 3)
    stuck = asyncio.Event()
    write = RoomConsumer._write

    async def slow_write(self: RoomConsumer, key: Any, text: str) -> None:
        if self.member.pk == member.pk:
            await stuck.wait()
        await write(self, key, text)

    monkeypatch.setattr(RoomConsumer, "_write", slow_write)
    robin = await live(member, room.pk)
    robin.frames.ready = False  # and its connection's buffer is full: frames wait in its outbox
    dropped_before = fanout.dropped_frames()
    with caplog.at_level(logging.WARNING, logger="hearth.live"):
        for i in range(10):
            await database_sync_to_async(actions.do_send_message)(volunteer, room, f"message {i}", f"m{i}")
        stuck.set()
        # What fitted in the queue arrives, then a "gap" frame says frames were dropped (counted and logged).
        gap = await robin.next("gap")
    assert gap["dropped"] >= 1
    assert fanout.dropped_frames() - dropped_before == gap["dropped"]
    assert "live.frames_dropped" in caplog.text
    heard = {e["seq"] for e in robin.seen if e["kind"] == "chat.message"}
    assert len(heard) < 10
    # The page asks for what it hasn't seen, on the same socket: everything arrives, once.
    contiguous = 0
    while contiguous + 1 in heard:
        contiguous += 1
    await robin.send(resume_after=contiguous, have=sorted(s for s in heard if s > contiguous))
    resumed = await robin.next("resumed")
    filled = [e["seq"] for e in robin.seen if e["kind"] == "chat.message" and e["seq"] > contiguous]
    everything = sorted({s for s in heard if s <= contiguous} | set(filled))
    assert everything == list(range(1, 11))
    assert len(filled) == len(set(filled)), "nothing twice"
    assert resumed["seq"] == 10


async def test_over_capacity_the_sender_is_told_to_slow_down_and_nothing_is_stored_until_sent_again(
    live: Callable[..., Any], room: Room, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    robin = await live(member, room.pk)
    monkeypatch.setattr(pushback, "ROOM_LIMIT", 0)  # as if the room already had more sends waiting than it may
    refused_before = pushback.refused_total()
    await robin.send(kind="send", client_id="busy-1", body="Is anyone around tonight?")
    slow = await robin.next("slow_down", "ack")
    assert slow["kind"] == "slow_down" and slow["client_id"] == "busy-1"
    assert slow["retry_after_ms"] >= 500 and "busy" in slow["message"]
    assert pushback.refused_total() == refused_before + 1
    assert await database_sync_to_async(_count)(room.pk) == 0
    # Capacity again: the page sends it again with the same client id, and it is stored once.
    monkeypatch.setattr(pushback, "ROOM_LIMIT", 40)
    await robin.send(kind="send", client_id="busy-1", body="Is anyone around tonight?")
    ack = await robin.next("ack")
    assert ack["client_id"] == "busy-1" and not ack["duplicate"]
    assert await database_sync_to_async(_count)(room.pk, "busy-1") == 1
    assert pushback.gate.waiting == 0


def _post(person: Member, room_id: int, **data: Any) -> ClientResponse:
    client = Client()
    client.force_login(person)
    return client.post(f"/chat/rooms/{room_id}/send/", data)


async def test_the_plain_form_over_capacity_answers_429_with_retry_after_and_keeps_the_words(
    room: Room, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pushback, "ROOM_LIMIT", 0)
    response = await database_sync_to_async(_post)(member, room.pk, body="Still here, still trying", client_id="f-1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    page = response.content.decode()
    assert "Not sent yet" in page and "Still here, still trying" in page and 'value="f-1"' in page
    assert await database_sync_to_async(_count)(room.pk) == 0
    monkeypatch.setattr(pushback, "ROOM_LIMIT", 40)
    response = await database_sync_to_async(_post)(member, room.pk, body="Still here, still trying", client_id="f-1")
    assert response.status_code == 302
    assert await database_sync_to_async(_count)(room.pk, "f-1") == 1


async def test_a_process_too_starved_to_answer_in_time_says_slow_down_and_stops_once_it_catches_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The loop is blocked for a second (as when the machine has more work than cores): the watch sees it
    # wake late, and sends are refused with a time to retry; once the loop runs on time again they're let in.
    gate = pushback.SendGate()
    monkeypatch.setattr(pushback, "gate", gate)
    pushback.watch_loop()
    await asyncio.sleep(pushback.LAG_TICK / 2)
    time.sleep(1.0)  # the point: the event loop can't run
    await asyncio.sleep(pushback.LAG_TICK)
    assert gate.loop_lag > pushback.LAG_MAX
    retry = gate.enter(1, time.monotonic())
    assert retry is not None and retry >= pushback.RETRY_MIN
    for _ in range(50):  # on time again: the average falls below the limit within a few ticks
        await asyncio.sleep(pushback.LAG_TICK)
        if gate.loop_lag <= pushback.LAG_MAX:
            break
    assert gate.enter(1, time.monotonic()) is None


async def test_while_a_send_let_in_has_waited_too_long_new_ones_are_refused_until_it_is_answered() -> None:
    # Whatever holds sends up — the database thread busy triaging or letting people in, a starved process —
    # the age of the oldest send still waiting says so: new ones are refused rather than queued behind it.
    gate = pushback.SendGate()
    assert gate.enter(1, 100.0) is None
    assert gate.enter(2, 100.2) is None  # a moment later: fine
    retry = gate.enter(3, 100.0 + pushback.AGE_MAX + 0.1)  # the first has waited longer than AGE_MAX
    assert retry is not None and retry >= pushback.RETRY_MIN
    assert gate.refused == 1
    gate.leave(1, 100.0)  # answered: the oldest still waiting came in at 100.2
    assert gate.enter(3, 100.0 + pushback.AGE_MAX + 0.1) is None
    for room, entered in ((2, 100.2), (3, 100.0 + pushback.AGE_MAX + 0.1)):
        gate.leave(room, entered)
    assert gate.waiting == 0 and not gate.entered


async def test_a_send_never_answered_does_not_stop_the_room_for_ever() -> None:
    gate = pushback.SendGate()
    assert gate.enter(1, 100.0) is None  # and then nothing ever answered it
    assert gate.enter(2, 100.0 + pushback.AGE_MAX + 0.1) is not None  # for a while, it holds the others back
    assert gate.enter(2, 100.0 + pushback.STUCK + 1) is None  # stuck (and logged), not a reason to refuse for ever
