"""Where an accepted talk-now request goes on: a one-to-one in chat, answered by chat.

Chat sits above availability (its rooms ask who is on duty), so availability never imports it: chat registers
:func:`register` when it starts (``hearth/chat/apps.py``) and :func:`hearth.availability.actions.do_accept_talk`
calls :func:`open_for_talk` inside its transaction.
"""

from __future__ import annotations

from typing import Protocol

from hearth.members.models import Member


class OpenForTalk(Protocol):
    def __call__(self, member: Member, supporter: Member, *, way: str, phone: str) -> int:
        """Open (or reuse) their one-to-one, start a phone or video call when ``way`` asks for one (raising
        ``ActionError`` when this supporter can't offer that way), and return the conversation's room id."""
        ...


_open_for_talk: OpenForTalk | None = None


def register(open_for_talk: OpenForTalk) -> None:
    global _open_for_talk
    _open_for_talk = open_for_talk


def open_for_talk(member: Member, supporter: Member, *, way: str, phone: str) -> int:
    if _open_for_talk is None:  # chat is always installed: a start-up bug, never a request accepted into nowhere
        raise RuntimeError("hearth.chat registers the talk-now conversation opener in its AppConfig.ready")
    return _open_for_talk(member, supporter, way=way, phone=phone)
