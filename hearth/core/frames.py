"""Websocket frames encoded once for many sockets (issue 21).

A room's event goes to every socket in the room with the same bytes: a server's frames are not masked, so the
frame for one socket is the frame for all of them. :func:`text_frame` encodes it once per event per process, and a
socket whose server offers a :class:`FrameSink` (Hearth's uvicorn protocol, :mod:`hearth.core.uvicorn_ws`, puts
one in the ASGI scope's ``extensions`` under :data:`FRAMES`) takes those bytes straight onto its connection:
no coroutine, no ASGI message and no encoding per receiver. A socket without one (another server, the tests'
communicator) is sent the text through ASGI as before. :class:`hearth.core.fanout.Outbox` decides which.

A frame is only written straight away while the connection takes it without waiting (its buffer is below the
high-water mark); otherwise it waits in the socket's bounded outbox like any other, so a slow reader still costs
bounded memory and gets a ``gap`` rather than a silent loss.
"""

from __future__ import annotations

import struct
from typing import Protocol

FRAMES = "hearth.frames"  # the ASGI scope extension that holds the connection's FrameSink


class FrameSink(Protocol):
    """What a websocket connection offers for frames encoded elsewhere."""

    def can_write_frame(self) -> bool:
        """Open, and able to take a frame now without waiting (not closing, buffer below the high-water mark)."""
        ...

    def write_frame(self, frame: bytes) -> None:
        """Put an encoded frame on the connection (only after :meth:`can_write_frame` said yes)."""
        ...


def text_frame(text: str) -> bytes:
    """One complete, unmasked text frame (RFC 6455 §5.2) carrying ``text``: what a server sends."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x81, 126, size)
    else:
        head = struct.pack("!BBQ", 0x81, 127, size)
    return head + payload
