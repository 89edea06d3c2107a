"""The screening guard over a live room (issue 13): each websocket message is a unit of work, so an edit stored
by an action that forgot to screen it is caught there (logged in production, raised with DEBUG)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async

from hearth.chat import actions
from hearth.chat.models import Room
from hearth.core.logs import _FIELDS
from hearth.core.screening import Screening
from hearth.members.models import Member

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_units_of_work"),
]


async def test_an_edit_sent_over_the_socket_that_skips_screening_is_caught(
    live: Callable[..., Any],
    room: Room,
    member: Member,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message, _ = await database_sync_to_async(actions.do_send_message)(member, room, "Helo", "h")
    monkeypatch.setattr(actions, "screen", lambda **kwargs: Screening(risk="none", flags=()))  # the slip
    caplog.set_level(logging.ERROR, logger="hearth")
    robin = await live(member, room.pk)
    await robin.send(kind="edit", id=message.pk, body="I can't do this any more")
    assert (await robin.next("chat.message.changed"))["body"] == "I can't do this any more"  # kept, never blocked
    await robin.send(kind="nonsense")  # frames are handled in order: its answer means the edit's unit has ended
    await robin.next("error")
    [record] = [r for r in caplog.records if r.getMessage() == "screening.unscreened_write"]
    fields = getattr(record, _FIELDS)
    assert fields["unit"] == f"websocket /ws/chat/rooms/{room.pk}/" and fields["model"] == "chat.Message"
    assert fields["at"].startswith("hearth.chat.actions:")
