"""Opening a room's socket: who gets in (the group's rule, read with the room) and what it costs the database.

Every handshake in a process queues for its one database thread, so a connect reads the session with its expiry,
the person, and the room with the group's rule in one trip, then enters the room (the visit and the presence
list) in the next group commit (issue 21). The rules themselves are the community's and the sign-in rules' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.http import Http404

from hearth.chat import actions
from hearth.chat.access import access_room
from hearth.chat.models import Room
from hearth.community.models import Group, GroupState
from hearth.community.tests.conftest import make_group
from hearth.members.models import Member
from hearth.testing import session_cookie, sockets


class _Statements:
    """Every SQL statement the database thread runs while installed."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)

    def install(self) -> None:
        connections["default"].execute_wrappers.append(self)

    def remove(self) -> None:
        connections["default"].execute_wrappers.remove(self)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_handshake_reads_the_session_person_and_room_once_then_enters_in_one_commit(
    room: Room, member: Member, volunteer: Member
) -> None:
    cookies = [await database_sync_to_async(session_cookie)(person) for person in (volunteer, member)]
    statements = _Statements()
    async with sockets() as open_socket:
        sam = await open_socket(volunteer, f"/ws/chat/rooms/{room.pk}/", cookie=cookies[0])
        await sam.next("chat.presence")
        await sam.next("chat.presence.arrived")  # his own
        await database_sync_to_async(statements.install)()  # on the thread every consumer's queries run on
        try:
            robin = await open_socket(member, f"/ws/chat/rooms/{room.pk}/", cookie=cookies[1])
            snapshot = await robin.next("chat.presence")
            arrived = await sam.next("chat.presence.arrived")
        finally:
            await database_sync_to_async(statements.remove)()
    assert [p["name"] for p in snapshot["present"]] == ["Sam", "Robin"]
    assert arrived["member"]["name"] == "Robin"
    everything = "\n".join(statements.sql)
    read = [re.findall(r'FROM "(\w+)"', sql)[-1] for sql in statements.sql if sql.startswith("SELECT")]
    # The session with its expiry, the person and their roles (the staff two-factor rule), the room with the
    # group's rule — one trip; then, in the next group commit, who is here already and the visit.
    assert read == ["django_session", "members_member", "members_rolegrant", "chat_room", "chat_roomvisit"], everything
    # (SQLite's BEGIN IMMEDIATE starts the batch's transaction, shared with whatever else is in it.)
    assert [sql.split()[0] for sql in statements.sql if not sql.startswith(("SELECT", "BEGIN"))] == [
        "SAVEPOINT",
        "INSERT",
        "RELEASE",
    ], everything


@pytest.mark.django_db
def test_a_room_is_for_the_people_in_its_open_group(
    room: Room, group: Group, member: Member, outsider: Member, make_member: Any
) -> None:
    assert access_room(member, room.pk) == room
    with pytest.raises(Http404):
        access_room(outsider, room.pk)
    with pytest.raises(Http404):
        access_room(member, room.pk + 1000)  # no such room looks the same
    other = make_member("Ade")
    elsewhere = actions.do_open_group_room(other, make_group(other, name="Allotment friends").pk)
    with pytest.raises(Http404):
        access_room(member, elsewhere.pk)  # a member of one group, not of the other
    for state in (GroupState.PROPOSED, GroupState.CHANGES, GroupState.DECLINED):
        Group.objects.filter(pk=group.pk).update(state=state)
        with pytest.raises(Http404):
            access_room(member, room.pk)  # a group that isn't open has no readers
    Group.objects.filter(pk=group.pk).update(state=GroupState.ACTIVE)
    assert access_room(member, room.pk) == room
    member.is_active = False  # suspended or banned
    with pytest.raises(Http404):
        access_room(member, room.pk)
