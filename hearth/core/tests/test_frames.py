"""Frames encoded once per room (issue 21): the bytes are a websocket frame any client reads, and a socket's outbox
writes them straight onto the connection only when nothing is ahead of them — never out of order, never past a
full buffer, never after the sign-in rules paused the socket; the slow path, and its gap, are unchanged."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from hearth.core import fanout
from hearth.core.fanout import Outbox
from hearth.core.frames import text_frame
from hearth.testing import read_text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 200_000])
def test_a_frame_encoded_once_is_read_by_a_client_as_the_same_text(size: int) -> None:
    text = ("é" if size % 2 else "a") * size  # multibyte too: lengths are in bytes
    assert read_text_frame(text_frame(text)) == text


class Connection:
    """A connection that takes frames while ``ready`` (its buffer below the high-water mark)."""

    def __init__(self) -> None:
        self.ready = True
        self.frames: list[str] = []

    def can_write_frame(self) -> bool:
        return self.ready

    def write_frame(self, frame: bytes) -> None:
        self.frames.append(read_text_frame(frame))


def outbox_on(connection: Connection, **kwargs: Any) -> tuple[Outbox, list[str]]:
    """An outbox whose slow path (``write``, through ASGI) writes to the same connection, in arrival order."""
    through_asgi: list[str] = []

    async def write(key: Any, text: str) -> None:
        await asyncio.sleep(0)  # a real send yields
        through_asgi.append(text)
        connection.frames.append(text)

    return Outbox(write, sink=connection, **kwargs), through_asgi


def put(outbox: Outbox, key: int, text: str) -> bool:
    return outbox.put(key, text, text_frame(text))


@pytest.mark.asyncio
async def test_while_the_connection_keeps_up_frames_go_straight_onto_it_in_order() -> None:
    connection = Connection()
    outbox, through_asgi = outbox_on(connection)
    for n in range(5):
        assert put(outbox, n, f"m{n}")
    assert connection.frames == ["m0", "m1", "m2", "m3", "m4"]  # written at once, no task, no ASGI message
    assert through_asgi == []


@pytest.mark.asyncio
async def test_a_frame_never_overtakes_one_queued_or_being_written() -> None:
    connection = Connection()
    outbox, through_asgi = outbox_on(connection)
    await outbox.hold()  # the presence list and backlog are being sent
    put(outbox, 1, "m1")
    put(outbox, 2, "m2")
    outbox.release()
    put(outbox, 3, "m3")  # the queue is draining: this waits its turn
    await asyncio.sleep(0.01)
    put(outbox, 4, "m4")  # drained: straight on again
    assert connection.frames == ["m1", "m2", "m3", "m4"]
    assert through_asgi == ["m1", "m2", "m3"]


@pytest.mark.asyncio
async def test_a_full_buffer_sends_frames_the_slow_way_and_a_full_queue_still_becomes_a_gap(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fanout, "OUTBOX_LIMIT", 3)
    connection = Connection()
    gaps: list[int] = []

    async def gap(count: int) -> None:
        gaps.append(count)

    outbox, through_asgi = outbox_on(connection, on_overflow=gap)
    connection.ready = False  # the reader is behind: the connection's buffer is full
    dropped_before = fanout.dropped_frames()
    with caplog.at_level(logging.WARNING, logger="hearth.live"):
        accepted = [put(outbox, n, f"m{n}") for n in range(6)]
        await asyncio.sleep(0.01)
    assert accepted == [True, True, True, False, False, False]
    assert through_asgi == ["m0", "m1", "m2"]  # waited for the connection, in order
    assert gaps == [3] and fanout.dropped_frames() - dropped_before == 3  # counted, logged, told
    assert "live.frames_dropped" in caplog.text
    connection.ready = True
    assert put(outbox, 6, "m6")
    assert connection.frames == ["m0", "m1", "m2", "m6"]


@pytest.mark.asyncio
async def test_a_socket_paused_for_the_sign_in_rules_gets_nothing_straight_onto_its_connection() -> None:
    connection = Connection()
    outbox, _ = outbox_on(connection)
    outbox.pause()  # its session's expiry passed
    put(outbox, 1, "m1")
    await asyncio.sleep(0.01)
    assert connection.frames == []
    outbox.resume()
    await asyncio.sleep(0.01)
    assert connection.frames == ["m1"]
    outbox.close()
    assert not put(outbox, 2, "m2")
    assert connection.frames == ["m1"]
