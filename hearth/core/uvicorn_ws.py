"""uvicorn's websocket protocol, able to take a frame encoded once for many sockets (see :mod:`hearth.core.frames`).

Run as ``uvicorn --ws hearth.core.uvicorn_ws:WebSocketProtocol`` (``hearth serve``, the deploy files, the browser
tests and ``hearth bench_chat`` do). It is uvicorn's own protocol (the sans-I/O ``websockets`` one, uvicorn's
default) and behaves exactly like it, except that an upgraded connection puts itself in the ASGI scope's
``extensions`` as a :class:`~hearth.core.frames.FrameSink`: a room's event then costs each receiver one write of
bytes already encoded, instead of a coroutine, an ASGI message and an encoding of its own.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

from hearth.core.frames import FRAMES


class WebSocketProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        if not self.close_sent:  # upgraded: the application's scope is made and its task not yet started
            extensions: dict[str, Any] = self.scope["extensions"]
            extensions[FRAMES] = self

    def can_write_frame(self) -> bool:
        return bool(
            self.handshake_complete
            and not self.close_sent
            and not self.disconnected
            and self.writable.is_set()
            and self.conn.state is State.OPEN
            and not self.transport.is_closing()
        )

    def write_frame(self, frame: bytes) -> None:
        self.transport.write(frame)
