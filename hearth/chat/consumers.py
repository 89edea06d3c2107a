"""``/ws/chat/rooms/<id>/``: one live room.

Connect: authenticate and :func:`~hearth.chat.access.access_room` once (no
per-message access queries), join the room's channel group, *then* send any
backlog the client asked for (``?after=N`` or ``{"resume_after": N}``). Live
events that arrive while the backlog is read wait in the channel's queue
(Channels handles one message at a time per consumer) and are dropped when the
backlog already carried them, so the client sees no gap and no duplicate.

Client → server (JSON): ``{"kind": "send", "client_id", "body"}``, ``edit``,
``delete``, ``hide``, ``typing``, ``raise_hand``, ``clear_hand``, and
``{"resume_after": N}``. Server → client: ``ack`` (after the message is
committed), ``error`` (with a ``code`` and a ``message`` that says what to do),
and the room's events (``chat.message``, ``chat.message.changed``,
``chat.typing``, ``chat.presence``, ``chat.hands``).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.urls import reverse

from hearth.chat import actions
from hearth.chat.access import access_room, messages_after, room_channel
from hearth.chat.actions import TokenBucket, message_payload
from hearth.chat.models import Message, Room
from hearth.core.consumers import EventConsumer
from hearth.core.errors import ActionError
from hearth.core.events import member_group
from hearth.core.logs import log_event

TYPING_EVERY = 2.0  # seconds between typing signals from one connection
BACKLOG_PAGE = 500


class RoomConsumer(EventConsumer):
    room: Room
    member: Any
    visit_id: int | None = None

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        self.room = access_room(member, int(url_kwargs["room_id"]))
        self.member = member
        # The member's own group too: being removed from the room's group closes this socket.
        return [room_channel(self.room.pk), member_group(member.pk)]

    async def connect(self) -> None:
        self.bucket = TokenBucket.for_chat()
        self.last_typing = 0.0
        self.backlog_seqs: set[int] = set()
        await super().connect()
        if not self.joined:
            return
        self.visit_id = (
            await database_sync_to_async(actions.do_enter_room)(self.member, self.room, self.channel_name)
        ).pk
        after = parse_qs(self.scope.get("query_string", b"").decode()).get("after")
        if after and after[0].isdigit():
            await self._send_backlog(int(after[0]))

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if self.visit_id is not None:
            await database_sync_to_async(actions.do_leave_room)(self.visit_id)

    async def _send_backlog(self, after: int) -> None:
        """Everything after ``after`` in seq order, in pages, then ``resumed`` with the high-water mark."""
        while True:
            rows = await database_sync_to_async(self._backlog_page)(after)
            for payload in rows:
                self.backlog_seqs.add(payload["seq"])
                if payload["changed_seq"]:
                    self.backlog_seqs.add(payload["changed_seq"])
                await self.send_json(payload)
            if len(rows) < BACKLOG_PAGE:
                break
            after = rows[-1]["seq"]
        await self.send_json({"kind": "resumed", "room": self.room.pk})

    def _backlog_page(self, after: int) -> list[dict[str, Any]]:
        return [message_payload(m) for m in messages_after(self.room.pk, after, BACKLOG_PAGE)]

    async def hearth_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        kind = event.get("kind", "")
        if kind in ("chat.message", "chat.message.changed"):
            key = event["changed_seq"] if kind == "chat.message.changed" else event["seq"]
            if key in self.backlog_seqs:  # already sent with the backlog
                self.backlog_seqs.discard(key)
                return
        elif kind == "community.left" and event.get("group") == self.room.group_id:
            await self.close(code=4403)
            return
        await self.send_json(event)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self._error("bad_request", "Send a JSON object.")
            return
        if "resume_after" in content:
            after = content["resume_after"]
            if not isinstance(after, int) or after < 0:
                await self._error("bad_request", "resume_after must be the last seq you saw (0 for everything).")
                return
            await self._send_backlog(after)
            return
        kind = content.get("kind")
        try:
            if kind == "send":
                await self._send_message(content)
            elif kind == "typing":
                if time.monotonic() - self.last_typing >= TYPING_EVERY:
                    self.last_typing = time.monotonic()
                    await sync_to_async(actions.do_signal_typing, thread_sensitive=False)(self.member, self.room)
            elif kind in ("edit", "delete", "hide"):
                await database_sync_to_async(self._change)(kind, content)
            elif kind == "raise_hand":
                await database_sync_to_async(actions.do_raise_hand)(self.member, self.room)
            elif kind == "clear_hand":
                member_id = content.get("member", self.member.pk)
                await database_sync_to_async(actions.do_clear_hand)(self.member, self.room, int(member_id))
            else:
                await self._error("bad_request", f"Unknown kind {kind!r}.")
        except actions.RateLimited as error:
            await self._error("rate_limited", str(error), content.get("client_id"))
        except ActionError as error:
            await self._error("refused", str(error), content.get("client_id"))
        except (TypeError, ValueError, KeyError):
            # Never the content itself: it can hold what the member wrote.
            log_event("chat.bad_request", level=logging.INFO, room=self.room.pk, kind=str(kind)[:20])
            await self._error("bad_request", "That request was missing something. Reload the page and try again.")

    async def _send_message(self, content: dict[str, Any]) -> None:
        client_id = str(content.get("client_id") or "")
        if not self.bucket.take():
            await self._error("rate_limited", actions.RATE_LIMIT_MESSAGE, client_id)
            return
        message, created = await database_sync_to_async(actions.do_send_message)(
            self.member, self.room, str(content.get("body", "")), client_id
        )
        # Only now — committed, and the broadcast queued — does the sender hear it's safe.
        await self.send_json(
            {
                "kind": "ack",
                "client_id": message.client_id,
                "id": message.pk,
                "seq": message.seq,
                "duplicate": not created,
                "held": bool(message.screening and message.screening.held),
            }
        )
        if message.screening and message.screening.show_crisis_support:
            # Kindly, not a wall: the page offers support beside the conversation.
            await self.send_json({"kind": "safety.support", "url": reverse("safety:support")})

    def _change(self, kind: str, content: dict[str, Any]) -> None:
        message = Message.objects.filter(pk=int(content["id"]), room=self.room).select_related("room", "sender").first()
        if message is None:
            raise ActionError("That message isn't in this room.")
        if kind == "edit":
            actions.do_edit_message(self.member, message, str(content.get("body", "")))
        elif kind == "delete":
            actions.do_delete_message(self.member, message)
        else:
            actions.do_hide_message(self.member, message, str(content.get("reason", "")))

    async def _error(self, code: str, text: str, client_id: Any = None) -> None:
        await self.send_json({"kind": "error", "code": code, "message": text, "client_id": client_id})
