"""What members write in chat: room and one-to-one messages (sending and editing them)."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def _drill_room_message(member: Member, text: str) -> Any:
    """As a page sends it over its websocket: stored with the batch, then triaged just after (chat/sending.py)."""
    from hearth.chat.actions import Send, do_open_group_room, do_send_messages, do_triage_messages
    from hearth.community.screening import drill_group

    room = do_open_group_room(member, drill_group(member).pk)
    [sent] = do_send_messages([Send(member, room, text, "drill")])
    if sent.error is not None:
        raise sent.error
    assert sent.message is not None
    if sent.triage_later:
        do_triage_messages([sent.message])
    return sent.message


def _drill_edit(member: Member, text: str) -> Any:
    from hearth.chat.actions import do_edit_message, do_open_group_room, do_send_message
    from hearth.community.screening import drill_group

    room = do_open_group_room(member, drill_group(member).pk)
    message, _ = do_send_message(member, room, "Evening all, quiet one here.", "drill-edit")
    return do_edit_message(member, message, text)


register_path(Path("chat.message", "chat message", drill=_drill_room_message))
register_path(Path("chat.message_edit", "edited chat message", drill=_drill_edit))

member_text("chat.Message", "body", path="chat.message")
system_text("chat.Message", "client_id")
system_text("chat.RoomVisit", "channel_name")
staff_text(
    "chat.Room",
    "title",
    why="named by a group host or supporter opening a drop-in or gathering, in that role (group rooms take the group's name)",
)
# What a gathering says about itself; a series holds the same words for the gatherings it makes.
GATHERING_WORDS = ("title", "description", "activity", "bring", "video_link", "place")
staff_text(
    "chat.Gathering",
    *GATHERING_WORDS,
    "notes",
    why="written by the group's hosts and supporters (Perm.RUN_GATHERINGS) and facilitators, in that role",
)
staff_text(
    "chat.GatheringSeries",
    *GATHERING_WORDS,
    why="a recurring gathering, written by the group's hosts and supporters (Perm.RUN_GATHERINGS) in that role",
)
staff_text("chat.Prompt", "text", why="the organisation's prompt deck (Perm.EDIT_PROMPTS)")
staff_text("chat.FollowUp", "note", why="the facilitator's note when handing someone to a supporter")
system_text("chat.Conversation", "reason", why="why Hearth opened it (talk now, a check-in, a hand-off)")
system_text("chat.BuddyPreference", "ways", why="a list of chosen values (SlotWay), filtered in the action")
system_text("chat.Call", "phone", why="a phone number the member gave, shown to staff on an audited read")
system_text("chat.Call", "video_room", why="a random room name Hearth makes")
system_text("chat.Gathering", "video_room", why="a random room name Hearth makes")
staff_text(
    "chat.TimePoll",
    "title",
    "place",
    why="a 'when suits?' question before a gathering, asked by the group's hosts and supporters in that role",
)
system_text("chat.TimePollResponse", "answers", why="chosen values (PollAnswer) for each time offered")
