"""A live room keeps its member's writing rules between sends (issue 21) and forgets them when they change: a
mute given mid-session stops the very next send, lifting it lets them write again, hostile messages triaged
start the cooldown, and a block in a one-to-one between members stops the next send too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from channels.db import database_sync_to_async

from hearth.chat import actions
from hearth.chat.models import Message, MessagesFrom, Room
from hearth.chat.sending import sender
from hearth.community.models import Group, Membership
from hearth.members.actions import do_update_organisation_settings
from hearth.members.models import Member
from hearth.safety import actions as safety
from hearth.safety.actions import WritingRules
from hearth.testing import MakeMember

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HOSTILE = "Oh shut up, you stupid idiot, nobody asked you."


def _stored(room: Room) -> list[str]:
    return list(Message.objects.filter(room=room).order_by("seq").values_list("client_id", flat=True))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Whose writing rules were read from the database, batch by batch."""
    seen: list[list[int]] = []
    read = safety.writing_rules_of

    def counting(member_ids: list[int], now: datetime | None = None) -> dict[int, WritingRules]:
        seen.append(sorted(member_ids))
        return read(member_ids, now)

    monkeypatch.setattr(actions, "writing_rules_of", counting)
    return seen


async def test_a_mute_given_mid_session_stops_the_next_send_and_lifting_it_lets_them_write_again(
    live: Callable[..., Any],
    room: Room,
    member: Member,
    peer_worker: Member,
    coordinator: Member,
    reads: list[list[int]],
) -> None:
    robin = await live(member, room.pk)
    for n in range(2):
        await robin.send(kind="send", client_id=f"w-{n}", body="Evening all")
        await robin.next("ack")
    assert reads == [[member.pk], []]  # read once; the socket judged the second send by what it kept

    sanction = await database_sync_to_async(safety.do_sanction)(
        peer_worker, member, "mute", reason="A short pause after a heated evening.", days=1
    )
    await robin.send(kind="send", client_id="w-2", body="Evening all")
    refused = await robin.next("error")
    assert refused["client_id"] == "w-2" and "can't post or send messages" in refused["message"]
    assert await database_sync_to_async(_stored)(room) == ["w-0", "w-1"]

    appeal = await database_sync_to_async(safety.do_appeal)(sanction, "It was a misunderstanding, I was quoting.")
    await database_sync_to_async(safety.do_decide_appeal)(coordinator, appeal.pk, overturn=True, response="Agreed.")
    await robin.send(kind="send", client_id="w-3", body="Thank you")
    assert (await robin.next("ack"))["client_id"] == "w-3"
    assert await database_sync_to_async(_stored)(room) == ["w-0", "w-1", "w-3"]


async def test_hostile_messages_triaged_after_the_commit_start_the_cooldown_on_the_open_socket(
    live: Callable[..., Any], room: Room, member: Member
) -> None:
    robin = await live(member, room.pk)
    for n in range(safety.HOSTILITY_LIMIT):
        await robin.send(kind="send", client_id=f"h-{n}", body=HOSTILE)
        await robin.next("ack")
        triage = sender().triage_task
        if triage is not None:
            await triage  # triaged just after the commit; what it found is told to the socket
    await robin.send(kind="send", client_id="h-next", body="Anyway.")
    refused = await robin.next("error")
    assert refused["client_id"] == "h-next" and "Let's pause for a few minutes" in refused["message"]
    assert "h-next" not in await database_sync_to_async(_stored)(room)


async def test_a_block_mid_session_stops_the_next_message_between_members(
    live: Callable[..., Any], make_member: MakeMember, member: Member, group: Group, coordinator: Member
) -> None:
    def start() -> tuple[Member, Room]:
        do_update_organisation_settings(
            coordinator, open_signup=False, require_staff_two_factor=False, member_messages=True
        )
        alex: Member = make_member("Alex")
        Membership.objects.create(group=group, member=alex)
        for person in (member, alex):
            actions.do_set_messages_from(person, MessagesFrom.GROUPS)
        return alex, actions.do_start_member_conversation(member, alex).room

    alex, room = await database_sync_to_async(start)()
    robin = await live(member, room.pk)
    await robin.send(kind="send", client_id="b-0", body="Hi Alex, how was the walk?")
    await robin.next("ack")
    await database_sync_to_async(actions.do_block)(alex, member)
    await robin.send(kind="send", client_id="b-1", body="Hello?")
    refused = await robin.next("error")
    assert refused["client_id"] == "b-1"
    assert await database_sync_to_async(_stored)(room) == ["b-0"]
