"""Chat messages as the safety app sees them (its content registry): hide/restore, who may report, excerpt."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from hearth.chat.access import access_room
from hearth.chat.actions import do_set_message_hidden
from hearth.chat.models import Conversation, Message
from hearth.members.models import Member
from hearth.safety.content import ContentKind, register


def _message(message_id: int) -> Message | None:
    return Message.objects.select_related("sender", "room").filter(pk=message_id).first()


def _visible(member: Member, message_id: int) -> bool:
    message = _message(message_id)
    if message is None or not message.visible:
        return False
    try:
        access_room(member, message.room_id)
    except Http404:
        return False
    return True


def _link(message_id: int) -> str:
    """Where staff go from the moderation queue: a one-to-one is read through the audited review page."""
    message = _message(message_id)
    if message is None:
        return ""
    conversation = Conversation.objects.filter(room_id=message.room_id).first()
    if conversation is not None:
        return reverse("chat:review", args=[conversation.pk])
    return reverse("chat:room", args=[message.room_id])


register(
    ContentKind(
        key="chat.message",
        label="chat message",
        author_of=lambda pk: m.sender if (m := _message(pk)) else None,
        excerpt=lambda pk: m.body if (m := _message(pk)) else "(deleted)",
        hide=do_set_message_hidden,
        visible_to=_visible,
        link=_link,
        group_of=lambda pk: m.room.group_id if (m := _message(pk)) else None,
    )
)
