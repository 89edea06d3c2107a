"""The base websocket consumer: authenticate, check access, join groups, forward.

Subclasses implement :meth:`groups_for`, which runs the app's access helper for
the signed-in member and returns the channel-layer groups they may join (or
raises ``PermissionDenied`` / ``Http404`` to refuse). Events arrive from
:func:`hearth.core.events.send_event_on_commit` and are forwarded unchanged.

**Sign-in rules, as on pages.** Before ``groups_for``, a socket is refused (4401) when its session is signed
out or expired, the account inactive (suspended, banned), or a registered rule refuses it (members registers
the staff two-factor requirement: :func:`hearth.members.sessions.socket_refusal`). An open socket applies the
rules again, reading the session afresh, when :func:`hearth.core.events.recheck_sockets_on_commit` asks (and
closes at once for the session that signed out), and when its session's expiry passes. A recheck also runs
``groups_for`` again, so a role taken away closes the socket with 4403. Every route in ``hearth/routing.py``
must be an ``EventConsumer`` (``core/tests/test_socket_sign_in.py`` walks them).

**One trip to the database per handshake.** ``hearth/asgi.py`` gives a socket its session but not its person:
the consumer reads who the session stands for (:func:`signed_in_user`, as a page does), applies the rules and
runs ``groups_for`` in one call on the database thread, and the session's expiry comes with the session's row
(:mod:`hearth.core.sessions`). Every handshake queues for that one thread, so each trip and query counts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from hearth.core import params, screening
from hearth.core.events import member_group, session_digest
from hearth.core.logs import log_event

# Close codes the browser sees (4000-4999 are for applications).
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_FORBIDDEN = 4403

MAX_FRAME = 64 * 1024  # characters in one frame from a page (a chat message is at most a few thousand)
BAD_FRAME = "That wasn't something this page sends. Reload the page and try again."


_open_sockets = 0  # in this process; read by the websocket gauge in /metrics

# (user, session) -> a close code to refuse with, or None. Apps above core register theirs at start-up.
SocketRule = Callable[[Any, SessionBase], int | None]
_socket_rules: list[SocketRule] = []


def register_socket_rule(rule: SocketRule) -> None:
    """Add a sign-in rule every websocket obeys when it opens and whenever it looks again."""
    if rule not in _socket_rules:
        _socket_rules.append(rule)


def socket_refusal(user: Any, session: SessionBase | None) -> int | None:
    """Why a socket with this person and session may not stay open (a close code), or ``None``."""
    if user is None or not user.is_authenticated or not user.is_active or session is None:
        return CLOSE_NOT_SIGNED_IN
    for rule in _socket_rules:
        code = rule(user, session)
        if code is not None:
            return code
    return None


def signed_in_user(session: SessionBase | None) -> Any:
    """The person ``session`` stands for, read exactly as a page request reads it (``auth.get_user``).

    Anonymous when the session was signed out or has expired, the account was made inactive, or the password
    changed since.
    """
    if session is None:
        return AnonymousUser()
    return auth.get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]  # stubs: an HttpRequest; it reads .session


def current_session(session_key: str | None) -> tuple[Any, SessionBase]:
    """The person and session a session key stands for *now*, read afresh (see :func:`signed_in_user`)."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key)
    return signed_in_user(session), session


def session_expires_at(session: SessionBase) -> datetime | None:
    """When this session stops working; ``None`` for a store that doesn't say (signed cookies).

    Hearth's store (:mod:`hearth.core.sessions`) remembers the expiry it read with the session: no second read.
    """
    read: datetime | None = getattr(session, "expiry_read", None)
    if read is not None:
        return read
    model = getattr(session, "model", None)  # the database-backed stores
    if model is None or not session.session_key:
        return None
    expiry: datetime | None = (
        model.objects.filter(session_key=session.session_key).values_list("expire_date", flat=True).first()
    )
    return expiry


def open_websockets() -> int:
    """Websockets this process holds open now."""
    return _open_sockets


class EventConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels has no type hints
    joined: list[str]
    opened_at: float | None = None
    expires_at: datetime | None = None  # the session's expiry: the rules are applied again when it passes
    ended = False  # closed by the sign-in rules: nothing more is sent or handled
    _recheck: asyncio.Task[None] | None = None  # the sign-in rules being applied again after the expiry

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        """The groups this member may follow on this socket; refuse by raising."""
        return [member_group(member.pk)]

    def _admit(self, member: Any, session: SessionBase | None) -> tuple[int | None, list[str]]:
        """The sign-in rules, then access: (close code, groups). Runs in a worker thread (it reads the database)."""
        code = socket_refusal(member, session)
        if code is not None:
            return code, []
        try:
            groups = self.groups_for(member, **self.scope["url_route"]["kwargs"])
        except (PermissionDenied, Http404):
            return CLOSE_FORBIDDEN, []
        self.expires_at = session_expires_at(session) if session is not None else None
        return None, groups

    def _sign_in_and_admit(self) -> tuple[int | None, list[str]]:
        """Who the socket's session stands for (unless a middleware said already), then :meth:`_admit`: the
        handshake's reads in one trip to the database thread."""
        member = self.scope.get("user")
        if member is None or (isinstance(member, LazyObject) and member._wrapped is empty):
            member = self.scope["user"] = signed_in_user(self.scope.get("session"))
        return self._admit(member, self.scope.get("session"))

    async def connect(self) -> None:
        self.joined = []
        code, groups = await database_sync_to_async(self._sign_in_and_admit)()
        member = self.scope.get("user")
        if code is not None:
            self._log_refused(code, getattr(member, "pk", None))
            await self.close(code=code)
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        await self.accept()
        global _open_sockets
        _open_sockets += 1
        self.opened_at = time.monotonic()
        log_event("ws.connect", path=self.scope.get("path"), member=member.pk, groups=len(groups))

    def _log_refused(self, code: int, member_id: int | None) -> None:
        log_event("ws.refused", path=self.scope.get("path"), member=member_id, code=code)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.opened_at is not None:
            global _open_sockets
            _open_sockets -= 1
            user = self.scope.get("user")
            log_event(
                "ws.close",
                path=self.scope.get("path"),
                member=getattr(user, "pk", None),
                code=code,
                seconds=round(time.monotonic() - self.opened_at, 1),
            )
            self.opened_at = None

    async def hearth_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])

    async def hearth_recheck(self, message: dict[str, Any]) -> None:
        """Something this socket was admitted on changed (see ``recheck_sockets_on_commit``): look again."""
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        if message.get("session") and key and message["session"] == session_digest(key):
            await self._end(CLOSE_NOT_SIGNED_IN)  # this very session signed out
            return
        await self._look_again()

    async def hearth_writing(self, message: dict[str, Any]) -> None:
        """The member's writing rules changed (:func:`hearth.core.events.writing_changed_on_commit`): a socket
        that keeps them (a chat room's) forgets them; others have nothing to do."""

    async def _look_again(self) -> None:
        session = self.scope.get("session")
        member, fresh = await database_sync_to_async(current_session)(getattr(session, "session_key", None))
        if getattr(member, "pk", None) != getattr(self.scope.get("user"), "pk", None):
            member = None  # the session now belongs to nobody (or, impossibly, someone else)
        code, _ = await database_sync_to_async(self._admit)(member, fresh)
        if code is not None:
            await self._end(code)

    async def _end(self, code: int) -> None:
        if not self.ended:
            self.ended = True
            self._log_refused(code, getattr(self.scope.get("user"), "pk", None))
            await self.close(code=code)

    def rules_due(self) -> bool:
        """The session's expiry has passed and the sign-in rules have not been applied again yet."""
        if self._recheck is not None and not self._recheck.done():
            return True
        return self.expires_at is not None and timezone.now() >= self.expires_at

    async def apply_rules_if_due(self) -> None:
        """After the session's expiry, apply the sign-in rules again: once, however many callers wait for it."""
        if self._recheck is None or self._recheck.done():
            if self.expires_at is None or timezone.now() < self.expires_at:
                return
            self.expires_at = None  # set again by _admit if the session was renewed
            self._recheck = asyncio.get_running_loop().create_task(self._look_again())
        await asyncio.shield(self._recheck)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Every message passes here: after the session's expiry, apply the rules before anything else."""
        if message["type"] == "websocket.disconnect":
            await super().dispatch(message)
            return
        if self.ended:
            return
        if self.rules_due():
            await self.apply_rules_if_due()
            if self.ended:
                return
        # Channels' own dispatch first hops to the database thread to close stale connections; every
        # database_sync_to_async call does that anyway, so messages aren't queued behind the database for it.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        """Frames from the page: JSON text, small and sound, or an ``error`` back (never a crashed socket)."""
        try:
            content = params.load_json(text_data or "", max_bytes=MAX_FRAME)
        except ValueError:
            log_event("ws.bad_frame", level=logging.INFO, path=self.scope.get("path"), size=len(text_data or ""))
            await self.send_json({"kind": "error", "code": "bad_request", "message": BAD_FRAME})
            return
        with screening.watch(f"websocket {self.scope.get('path')}", strict=settings.DEBUG):
            await self.receive_json(content, **kwargs)


class NotificationConsumer(EventConsumer):
    """``/ws/me/``: the signed-in member's own events (notifications, alerts).

    The page answers a live delivery it showed with ``{"kind": "received",
    "delivery": id}``; that is counted as one screen (see
    :func:`hearth.core.deliveries.record_screen`, which ignores deliveries that
    aren't this member's). Nothing else is accepted from the page.
    """

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("kind") != "received":
            return
        delivery = params.parse_id(content.get("delivery"))
        if isinstance(content.get("delivery"), int) and delivery is not None:
            from hearth.core.deliveries import record_screen

            await database_sync_to_async(record_screen)(delivery, self.scope["user"], self.channel_name)
