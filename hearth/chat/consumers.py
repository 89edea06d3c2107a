"""``/ws/chat/rooms/<id>/``: one live room.

Connect: authenticate and :func:`~hearth.chat.access.access_room` once (no
per-message access queries), join the room through the process's fan-out
(:mod:`hearth.core.fanout`: one channel-layer subscription per room per
process, the event's JSON written once), *then* send any backlog the client
asked for (``?after=N`` or ``{"resume_after": N}``). Live events wait in the
socket's bounded :class:`~hearth.core.fanout.Outbox` while the backlog is read
and are left out when the backlog carried them, so the client sees no gap and
no duplicate. If the outbox overflows (a reader too slow for the room), the
frames are dropped, counted and logged, and the socket is sent ``{"kind":
"gap"}``: the page fetches what it missed with ``resume_after`` at once.

Client → server (JSON): ``{"kind": "send", "client_id", "body"}``, ``edit``,
``delete``, ``hide``, ``typing``, ``raise_hand``, ``clear_hand``, and
``{"resume_after": N, "have": [seq, …]}`` (``have``: seqs after N the page already holds, left out). Server → client: ``ack`` (after the message is
committed), ``slow_down`` (not stored: the process is over capacity; send it
again, same ``client_id``, after ``retry_after_ms``), ``error`` (with a
``code`` and a ``message`` that says what to do), ``resumed`` (with ``seq``:
everything up to it has now been sent), ``gap``, and the room's events
(``chat.message``, ``chat.message.changed``, ``chat.typing``,
``chat.presence`` — the whole list, to this socket only, on connect and after a ``gap`` — then
``chat.presence.arrived`` / ``chat.presence.left`` differences, ``chat.hands``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import DatabaseError
from django.urls import reverse

from hearth.chat import actions
from hearth.chat.access import access_room, messages_after, room_channel
from hearth.chat.actions import Send, TokenBucket, message_payload
from hearth.chat.heartbeat import heartbeat
from hearth.chat.models import Message, Room
from hearth.chat.pushback import SLOW_DOWN_MESSAGE, gate, watch_loop
from hearth.chat.sending import sender
from hearth.core import params
from hearth.core.consumers import EventConsumer
from hearth.core.errors import ActionError
from hearth.core.events import member_group
from hearth.core.fanout import Outbox, fanout
from hearth.core.frames import FRAMES
from hearth.core.logs import log_event
from hearth.safety.actions import WritingRules

TYPING_EVERY = 2.0  # seconds between typing signals from one connection
BACKLOG_PAGE = 500
HAVE_MAX = 2000  # seqs a page may list as already held when it asks for a gap
STORE_TRIES = 4  # a send the database was too busy to store: "slow down" (1, 2, 3 s), then refused
RULES_KEPT = 30.0  # seconds a socket judges sends by the writing rules it read (each change also says so at once)


class RoomConsumer(EventConsumer):
    room: Room
    member: Any
    visit_id: int | None = None
    outbox: Outbox | None = None
    room_group = ""
    # The member's writing rules (mute, suspension, hostility cooldown), kept between sends: forgotten when
    # they change (hearth_writing), and after RULES_KEPT in case that word was lost on the way.
    rules: WritingRules | None = None
    rules_read_at = 0.0
    rules_changes = 0  # times they were forgotten: rules read before the latest change are never kept

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        self.room = access_room(member, int(url_kwargs["room_id"]))
        self.member = member
        # Only the member's own group through the layer (being removed from the room's group closes this
        # socket); the room's events come through the process's fan-out.
        return [member_group(member.pk)]

    async def connect(self) -> None:
        self._pending: set[asyncio.Task[None]] = set()
        self.bucket = TokenBucket.for_chat()
        self.store_failures: dict[str, int] = {}  # client id: sends the database failed (see STORE_TRIES)
        self.last_typing = 0.0
        await super().connect()
        if not self.joined:
            return
        self.outbox = Outbox(
            self._write,
            on_overflow=self._overflowed,
            label=f"room {self.room.pk}",
            sink=self.scope.get("extensions", {}).get(FRAMES),  # the server takes frames encoded once per room
        )
        after = parse_qs(self.scope.get("query_string", b"").decode(errors="replace")).get("after")
        resume = int(after[0]) if after and (after[0] == "0" or params.parse_id(after[0]) is not None) else None
        # Live events wait (bounded) until this socket has the room's presence list (and its backlog): what
        # queues meanwhile is either already in them or newer, so it applies on top.
        await self.outbox.hold()
        self.room_group = room_channel(self.room.pk)
        await fanout().join(self.room_group, self)
        visit_id, snapshot = await sender().write(self._enter)  # committed with others arriving now
        self.visit_id = visit_id
        heartbeat().add(visit_id)  # kept "here" while this socket is open (a crash leaves no ghost)
        await self.send_json(snapshot)
        if resume is not None:
            await self._send_backlog(resume)
        else:
            self.outbox.release()

    async def _end(self, code: int) -> None:
        if self.outbox is not None:
            self.outbox.close()  # nothing more reaches a socket the sign-in rules closed
        await super()._end(code)

    async def disconnect(self, code: int) -> None:
        if self.outbox is not None:
            self.outbox.close()
        if self.room_group:
            await fanout().leave(self.room_group, self)
        await super().disconnect(code)
        if self.visit_id is not None:
            heartbeat().discard(self.visit_id)
            await sender().write(partial(actions.do_leave_room, self.visit_id))

    # --- Live events ------------------------------------------------------------------------------

    def offer(self, event: dict[str, Any], text: str, frame: bytes) -> None:
        """From the fan-out: send or queue the room's event (already JSON and a frame) for this socket; never waits.

        The fan-out bypasses :meth:`dispatch`, so the sign-in rules' expiry check is made here too: once the
        session's expiry has passed, events wait (bounded) until the rules have been applied again, whatever
        else (a backlog, the end of ``connect``) would release them meanwhile."""
        if self.ended or self.outbox is None:
            return
        kind = event.get("kind")
        key = event.get("seq") if kind == "chat.message" else event.get("changed_seq")
        if self.rules_due() and not self.outbox.paused:
            self.outbox.pause()
            asyncio.get_running_loop().create_task(self._recheck_then_resume())
        self.outbox.put(key if kind in ("chat.message", "chat.message.changed") else None, text, frame)

    async def _recheck_then_resume(self) -> None:
        await self.apply_rules_if_due()
        if self.outbox is not None and not self.ended:
            self.outbox.resume()

    async def _write(self, key: Any, text: str) -> None:
        await self.send(text_data=text)

    def _enter(self) -> tuple[int, dict[str, Any]]:
        visit, snapshot = actions.do_enter_room_with_presence(self.member, self.room, self.channel_name)
        return visit.pk, snapshot

    async def _overflowed(self, count: int) -> None:
        """Frames were dropped for this socket: tell the page, which fetches messages by seq at once; and
        since presence changes may have been among them, the whole list again."""
        await self.send_json({"kind": "gap", "room": self.room.pk, "dropped": count})
        await self.send_json(await database_sync_to_async(actions.presence_snapshot)(self.room))

    async def hearth_writing(self, message: dict[str, Any]) -> None:
        """The member's writing rules changed (a sanction, hostile writing triaged): read them with the next send."""
        self.rules = None
        self.rules_changes += 1

    async def hearth_event(self, message: dict[str, Any]) -> None:
        """Events for the member (their own channel): being removed from the room's group closes the socket."""
        event = message["event"]
        if event.get("kind") == "community.left" and event.get("group") == self.room.group_id:
            await self.close(code=4403)
            return
        await self.send(text_data=message.get("text") or json.dumps(event))

    async def _send_backlog(self, after: int, have: frozenset[int] = frozenset()) -> None:
        """Everything after ``after`` in seq order (but what the page said it ``have``s), in pages, then
        ``resumed`` with the high-water mark: the page has everything up to it."""
        assert self.outbox is not None
        await self.outbox.hold()
        carried: set[int] = set()
        high = after
        try:
            while True:
                last_seq, rows = await database_sync_to_async(self._backlog_page)(after)
                high = max(high, last_seq)
                for payload in rows:
                    key = payload["changed_seq"] or payload["seq"]
                    carried.update(s for s in (payload["seq"], payload["changed_seq"]) if s)
                    if key in have:  # the page already holds it
                        continue
                    await self.send(text_data=json.dumps(payload))
                if len(rows) < BACKLOG_PAGE:
                    break
                after = rows[-1]["seq"]
            await self.send_json({"kind": "resumed", "room": self.room.pk, "seq": high})
        finally:
            self.outbox.release(skip=carried.__contains__)

    def _backlog_page(self, after: int) -> tuple[int, list[dict[str, Any]]]:
        # The room's last seq first: every seq up to it is committed (seqs are taken under the room's row
        # lock), so the page read next holds them all and "resumed" may say so.
        last_seq = Room.objects.filter(pk=self.room.pk).values_list("last_seq", flat=True).first() or 0
        return last_seq, [message_payload(m) for m in messages_after(self.room.pk, after, BACKLOG_PAGE)]

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self._error("bad_request", "Send a JSON object.")
            return
        if "resume_after" in content:
            after, have = content["resume_after"], content.get("have", [])
            if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= params.MAX_ID:
                await self._error("bad_request", "resume_after must be the last seq you saw (0 for everything).")
                return
            if not isinstance(have, list) or len(have) > HAVE_MAX or not all(isinstance(s, int) for s in have):
                await self._error("bad_request", f"have must be a list of up to {HAVE_MAX} seqs you already hold.")
                return
            await self._send_backlog(after, frozenset(have))
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
                member_id = params.parse_id(content.get("member", self.member.pk))
                if member_id is None:
                    raise ValueError("member")
                await database_sync_to_async(actions.do_clear_hand)(self.member, self.room, member_id)
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
        body, client_id = content.get("body", ""), content.get("client_id") or ""
        if not isinstance(body, str) or not isinstance(client_id, str):
            raise ValueError("body and client_id are text")
        if not self.bucket.take():
            await self._error("rate_limited", actions.RATE_LIMIT_MESSAGE, client_id)
            return
        watch_loop()
        entered = time.monotonic()
        retry = gate.enter(self.room.pk, entered)
        if retry is not None:  # over capacity: refused to the sender, nothing stored
            await self._slow_down(client_id, retry)
            return
        kept = self.rules if time.monotonic() - self.rules_read_at < RULES_KEPT else None
        changes = self.rules_changes
        try:
            sent, triaged = await sender().send(Send(self.member, self.room, body, client_id, kept))
        except DatabaseError:  # the database was busy or away (logged): the page sends it again, same client id
            tries = self.store_failures[client_id] = self.store_failures.get(client_id, 0) + 1
            if tries < STORE_TRIES:
                await self._slow_down(client_id, float(tries))
                return
            del self.store_failures[client_id]  # a few times at most, then the writer is told
            raise ActionError(actions.STORE_FAILED_MESSAGE) from None
        finally:
            gate.leave(self.room.pk, entered)
        self.store_failures.pop(client_id, None)
        if kept is None and sent.rules is not None and changes == self.rules_changes:
            self.rules, self.rules_read_at = sent.rules, entered
        if sent.error is not None:
            raise sent.error
        message = sent.message
        assert message is not None
        # Only now — committed, and the broadcast queued — does the sender hear it's safe.
        await self.send_json(
            {
                "kind": "ack",
                "client_id": message.client_id,
                "id": message.pk,
                "seq": message.seq,
                "duplicate": not sent.created,
                "held": bool(message.screening and message.screening.held),
            }
        )
        if triaged is not None:  # triage runs just after the commit: offer support when it has
            task = asyncio.get_running_loop().create_task(self._support_after(triaged))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        else:
            await self._offer_support(message.screening)

    async def _slow_down(self, client_id: str, retry: float) -> None:
        await self.send_json(
            {
                "kind": "slow_down",
                "code": "slow_down",
                "client_id": client_id,
                "retry_after_ms": round(retry * 1000),
                "message": SLOW_DOWN_MESSAGE,
            }
        )

    async def _support_after(self, triaged: asyncio.Future[Any]) -> None:
        with contextlib.suppress(Exception):  # the socket may have closed meanwhile
            await self._offer_support(await triaged)

    async def _offer_support(self, screening: Any) -> None:
        if screening is not None and screening.show_crisis_support and not self.ended:
            # Kindly, not a wall: the page offers support beside the conversation.
            await self.send_json({"kind": "safety.support", "url": reverse("safety:support")})

    def _change(self, kind: str, content: dict[str, Any]) -> None:
        message_id = params.parse_id(content.get("id"))
        message = Message.objects.filter(pk=message_id or 0, room=self.room).select_related("room", "sender").first()
        if message is None:
            raise ActionError("That message isn't in this room.")
        if kind == "edit":
            body = content.get("body", "")
            if not isinstance(body, str):
                raise ValueError("body is text")
            actions.do_edit_message(self.member, message, body)
        elif kind == "delete":
            actions.do_delete_message(self.member, message)
        else:
            reason = content.get("reason", "")
            if not isinstance(reason, str):
                raise ValueError("reason is text")
            actions.do_hide_message(self.member, message, reason)

    async def _error(self, code: str, text: str, client_id: Any = None) -> None:
        await self.send_json({"kind": "error", "code": code, "message": text, "client_id": client_id})
