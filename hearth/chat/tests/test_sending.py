"""The send path at scale (issue 21): sends waiting together share one commit; triage runs just after the
commit (the room hears first, the alert still goes, the writer is still offered support); a pre-moderated
room is still triaged first; a message a stopped process left untriaged is triaged by the worker; a triage
backlog makes the process say "slow down"."""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import actions, consumers, pushback
from hearth.chat.actions import Send, Sent
from hearth.chat.models import Message, Room, RoomVisit
from hearth.chat.sending import sender
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert, TriageRecord

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CRISIS = "I want to end it all tonight, I have the pills ready."


async def test_sends_waiting_together_are_stored_with_one_commit_and_a_refused_one_leaves_the_others_alone(
    room: Room,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    monkeypatch: pytest.MonkeyPatch,
    no_flood_limit: None,
) -> None:
    batches: list[int] = []
    store = actions.do_send_messages

    def recording(sends: list[Send]) -> list[Sent]:
        batches.append(len(sends))
        return store(sends)

    monkeypatch.setattr(actions, "do_send_messages", recording)
    sends = [
        Send(member, room, "Evening all", "c-1"),
        Send(volunteer, room, "   ", "c-2"),  # nothing written: refused to its sender
        Send(peer_worker, room, "Hello both", "c-3"),
    ]
    results = await asyncio.gather(*(sender().send(send) for send in sends))
    assert batches == [3]  # three waiting, one transaction
    stored = [(sent.message, sent.created) for sent, _ in results if sent.message is not None]
    assert [(m.client_id, m.seq, created) for m, created in stored] == [("c-1", 1, True), ("c-3", 2, True)]
    refused = results[1][0]
    assert refused.message is None and "Write something" in str(refused.error)
    await asyncio.gather(*(triaged for _, triaged in results if triaged is not None))  # then triaged, after
    assert await database_sync_to_async(TriageRecord.objects.filter(content_key="chat.message").count)() == 2


async def test_people_opening_a_room_together_share_one_commit_and_a_failed_write_stays_its_own(
    room: Room, member: Member, volunteer: Member, peer_worker: Member
) -> None:
    def broken() -> None:
        raise ActionError("This room no longer exists.")

    writer = sender()
    before = writer.commits
    outcomes = await asyncio.gather(
        *(writer.write(partial(actions.do_enter_room, p, room)) for p in (member, volunteer, peer_worker)),
        writer.write(broken),
        return_exceptions=True,
    )
    assert writer.commits == before + 1
    assert isinstance(outcomes[3], ActionError)
    present = await database_sync_to_async(lambda: {v.member_id for v in RoomVisit.objects.filter(room=room)})()
    assert present == {member.pk, volunteer.pk, peer_worker.pk}


async def test_triage_runs_after_the_room_has_heard_and_still_raises_the_alert_and_offers_support(
    live: Callable[..., Any], room: Room, member: Member, volunteer: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    robin = await live(member, room.pk)
    sam = await live(volunteer, room.pk)
    triage_may_run = threading.Event()
    triage = actions.do_triage_messages

    def held_back(messages: list[Message]) -> None:
        triage_may_run.wait(timeout=10)
        return triage(messages)

    monkeypatch.setattr(actions, "do_triage_messages", held_back)
    await robin.send(kind="send", client_id="c-1", body=CRISIS)
    ack = await robin.next("ack")
    heard = await sam.next("chat.message")
    assert heard["id"] == ack["id"] and not ack["held"]
    assert pushback.gate.triage_waiting == 1  # stored and delivered; triage hasn't run yet
    triage_may_run.set()
    support = await robin.next("safety.support")
    assert support["url"] == reverse("safety:support")
    assert await database_sync_to_async(CrisisAlert.objects.filter(member=member).exists)()
    assert await sam.quiet("safety.support") == []  # only the writer is offered support


async def test_a_pre_moderated_room_is_triaged_before_anyone_hears(
    live: Callable[..., Any], room: Room, group: Group, member: Member, volunteer: Member
) -> None:
    group.premoderated = True
    await database_sync_to_async(group.save)()
    robin = await live(member, room.pk)
    sam = await live(volunteer, room.pk)
    await robin.send(kind="send", client_id="h-1", body="Oh shut up, you stupid idiot, nobody asked you.")
    ack = await robin.next("ack")
    assert ack["held"]
    assert await sam.quiet("chat.message") == []


def _store_without_triage(member: Member, room: Room, body: str) -> Message:
    [sent] = actions.do_send_messages([Send(member, room, body, "lost")])
    assert sent.triage_later and sent.message is not None
    return sent.message


async def test_a_message_left_untriaged_by_a_stopped_process_is_triaged_by_the_worker(
    room: Room, member: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-22 19:00:00+00:00", tick=False)
    message = await database_sync_to_async(_store_without_triage)(member, room, CRISIS)  # then the process stopped
    assert await database_sync_to_async(actions.triage_missed_messages)() == 0  # it may still be in the backlog
    time_machine.shift(timedelta(minutes=1))
    assert await database_sync_to_async(actions.triage_missed_messages)() == 1
    assert await database_sync_to_async(TriageRecord.objects.filter(object_id=message.pk).exists)()
    assert await database_sync_to_async(CrisisAlert.objects.filter(member=member).exists)()
    assert await database_sync_to_async(actions.triage_missed_messages)() == 0  # once


async def test_a_triage_backlog_makes_the_process_say_slow_down(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = pushback.SendGate()
    gate.triage_queued(pushback.FLOOR)
    assert gate.enter(1, 100.0) is None  # a backlog that clears quickly is fine
    gate.leave(1, 100.0)
    gate.triage_done(2.0, 10)  # triage has been slow: 0.2 s a message
    gate.triage_queued(40)  # 46 waiting: some 2 s of triage
    retry = gate.enter(1, 101.0)
    assert retry is not None and retry >= pushback.RETRY_MIN
    assert gate.refused == 1


async def test_a_send_with_a_nul_in_it_is_refused_alone_and_the_others_in_its_commit_are_stored(
    room: Room, member: Member, volunteer: Member
) -> None:
    # PostgreSQL refuses text holding NUL; without the check the whole group commit failed with it.
    sends = [Send(member, room, "Morning all", "n-1"), Send(volunteer, room, "a\x00b", "n-2")]
    kept, refused = await database_sync_to_async(actions.do_send_messages)(sends)
    assert kept.message is not None and kept.message.body == "Morning all"
    assert refused.message is None and "character" in str(refused.error)
    assert await database_sync_to_async(Message.objects.filter(room=room).count)() == 1


async def test_half_an_emoji_is_refused_alone_like_a_nul(room: Room, member: Member, volunteer: Member) -> None:
    # JSON can carry half of an emoji ("\ud83d"); no database driver can encode it, and it used to fail the
    # whole group commit with it (and again each time the pages sent their messages again).
    sends = [Send(member, room, "Morning all", "e-1"), Send(volunteer, room, "so glad \ud83d", "e-2")]
    kept, refused = await database_sync_to_async(actions.do_send_messages)(sends)
    assert kept.message is not None and "character" in str(refused.error)
    assert await database_sync_to_async(Message.objects.filter(room=room).count)() == 1


async def test_a_send_the_database_will_never_take_is_refused_alone_and_the_rest_of_its_batch_is_stored(
    room: Room,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    monkeypatch: pytest.MonkeyPatch,
    no_flood_limit: None,
) -> None:
    # Two sends no database takes, however often they are sent, that no check caught: one refused as it is
    # written (an id a driver can't encode), one only at commit (its writer's account gone meanwhile).
    monkeypatch.setattr(actions, "check_client_id", lambda client_id: client_id)
    gone = copy.copy(peer_worker)
    gone.pk = gone.id = 987_654_321
    sends = [
        Send(member, room, "Evening all", "p-1"),
        Send(volunteer, room, "Hello", "p-2\ud83d"),
        Send(gone, room, "Hi both", "p-3"),
        Send(volunteer, room, "How was everyone's week?", "p-4"),
    ]
    results = [sent for sent, _ in await asyncio.gather(*(sender().send(send) for send in sends))]
    assert [bool(sent.message) for sent in results] == [True, False, False, True]
    for refused in (results[1], results[2]):
        assert str(refused.error) == actions.STORE_FAILED_MESSAGE and refused.failure is None  # not sent again
    kept = await database_sync_to_async(lambda: sorted(Message.objects.filter(room=room).values_list("client_id")))()
    assert kept == [("p-1",), ("p-4",)]


async def test_a_busy_database_says_slow_down_a_few_times_then_tells_the_writer(
    live: Callable[..., Any], room: Room, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = actions.do_send_messages
    busy = True

    def locked(sends: list[Send]) -> list[Sent]:
        if busy:
            raise OperationalError("database is locked")
        return store(sends)

    monkeypatch.setattr(actions, "do_send_messages", locked)
    robin = await live(member, room.pk)
    waits = []
    for _ in range(consumers.STORE_TRIES - 1):
        await robin.send(kind="send", client_id="b-1", body="Is anyone around?")
        slow = await robin.next("slow_down")
        assert slow["client_id"] == "b-1"
        waits.append(slow["retry_after_ms"])
    assert waits == sorted(waits) and waits[0] >= 1000  # sent again by the page, later each time
    await robin.send(kind="send", client_id="b-1", body="Is anyone around?")
    refused = await robin.next("error")
    assert refused["client_id"] == "b-1" and refused["message"] == actions.STORE_FAILED_MESSAGE
    busy = False
    await robin.send(kind="send", client_id="b-2", body="Is anyone around?")
    assert (await robin.next("ack"))["client_id"] == "b-2"  # the same socket, still open
