"""The base websocket consumer: authenticate, check access, join groups, forward.

Subclasses implement :meth:`groups_for`, which runs the app's access helper for
the signed-in member and returns the channel-layer groups they may join (or
raises ``PermissionDenied`` / ``Http404`` to refuse). Events arrive from
:func:`hearth.core.events.send_event_on_commit` and are forwarded unchanged.
"""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hearth.core.events import member_group
from hearth.core.logs import log_event

# Close codes the browser sees (4000-4999 are for applications).
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_FORBIDDEN = 4403


_open_sockets = 0  # in this process; read by the websocket gauge in /metrics


def open_websockets() -> int:
    """Websockets this process holds open now."""
    return _open_sockets


class EventConsumer(AsyncJsonWebsocketConsumer):
    joined: list[str]
    opened_at: float | None = None

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        """The groups this member may follow on this socket; refuse by raising."""
        return [member_group(member.pk)]

    async def connect(self) -> None:
        self.joined = []
        member = self.scope.get("user")
        if member is None or not member.is_authenticated or not member.is_active:
            self._log_refused(CLOSE_NOT_SIGNED_IN, None)
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        try:
            groups = await database_sync_to_async(self.groups_for)(member, **self.scope["url_route"]["kwargs"])
        except (PermissionDenied, Http404):
            self._log_refused(CLOSE_FORBIDDEN, member.pk)
            await self.close(code=CLOSE_FORBIDDEN)
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
        delivery = content.get("delivery")
        if isinstance(delivery, int) and not isinstance(delivery, bool) and delivery > 0:
            from hearth.core.deliveries import record_screen

            await database_sync_to_async(record_screen)(delivery, self.scope["user"], self.channel_name)
