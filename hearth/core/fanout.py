"""Live events to many sockets: once per group per process, through a bounded queue per socket.

**Fan-out once per process.** A consumer that joins a busy group (a chat room) through :func:`fanout`
instead of the channel layer: the process's :class:`LocalFanout` joins the group *once* on the layer,
with one channel of its own, and hands each event to every local socket in the group. The event's JSON
is written once (by :func:`hearth.core.events.send_event_now`, as ``text``), not once per socket, and
there is one layer message per group per process instead of one per socket.

**Frames encoded once.** The fan-out also encodes the event's websocket frame once
(:func:`hearth.core.frames.text_frame`); a socket whose server offers a :class:`~hearth.core.frames.FrameSink`
gets those bytes written straight onto its connection while it keeps up (no coroutine, ASGI message or
encoding per receiver), and its outbox's ordinary path otherwise.

**A bounded queue per socket.** Each socket has an :class:`Outbox`: frames wait there while the socket
is being written to, up to ``limit``. When it is full the frame is *dropped, counted and logged*, never
silently, and once the queue has drained the socket is sent ``on_overflow`` (for chat, a ``gap`` frame:
the page then fetches what it missed by seq, without reconnecting). A slow reader therefore costs a
bounded amount of memory and never holds up the other sockets of its group.

Counters (:func:`dropped_frames`) are read by the ``hearth_live_frames_dropped_total`` gauge in /metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from channels.layers import get_channel_layer

from hearth.core.frames import FrameSink, text_frame
from hearth.core.layers import InMemoryChannelLayer
from hearth.core.logs import log_event
from hearth.core.loops import PerLoop

OUTBOX_LIMIT = 200  # frames waiting for one socket before frames are dropped (and recovered by seq)
REFRESH_EVERY = 600.0  # seconds: layers expire group memberships (a day); the fan-out renews its own

_dropped = 0  # frames dropped from full outboxes in this process, ever


def dropped_frames() -> int:
    return _dropped


class Outbox:
    """One socket's queue of frames: written in order, bounded, and never dropping a frame without a trace.

    ``put(key, text, frame)`` never waits. With a ``sink`` (the connection takes encoded frames) and nothing
    queued, held or being written, ``frame`` goes straight onto the connection if it can take it now; otherwise
    the frame is queued and a writer task sends it with ``write(key, text)``, in order.
    ``key`` (e.g. a chat message's seq) lets :meth:`release` leave out frames a backlog already carried. ``hold`` pauses the
    writer (after the frame being written, if any) while a backlog is read; ``release`` resumes it. ``pause``
    stops it for another reason (the sign-in rules being applied again) that only ``resume`` lifts.
    """

    def __init__(
        self,
        write: Callable[[Any, str], Awaitable[None]],
        *,
        limit: int | None = None,
        on_overflow: Callable[[int], Awaitable[None]] | None = None,
        label: str = "",
        sink: FrameSink | None = None,
    ) -> None:
        self.write = write
        self.sink = sink
        self.limit = limit if limit is not None else OUTBOX_LIMIT
        self.on_overflow = on_overflow
        self.label = label
        self.queue: deque[tuple[Any, str]] = deque()
        self.held = False
        self.paused = False
        self.closed = False
        self.dropped = 0  # since the last overflow notice
        self.task: asyncio.Task[None] | None = None

    def put(self, key: Any, text: str, frame: bytes | None = None) -> bool:
        """Send or queue a frame; False (dropped, counted, logged once per overflow) when the queue is full.

        ``frame``: ``text`` already encoded as a websocket frame, written straight to the ``sink`` when nothing is
        ahead of it and the connection can take it now."""
        if self.closed:
            return False
        if (
            frame is not None
            and self.sink is not None
            and not self.queue
            and not self.held
            and not self.paused
            and not self.dropped
            and (self.task is None or self.task.done())
            and self.sink.can_write_frame()
        ):
            self.sink.write_frame(frame)
            return True
        if len(self.queue) >= self.limit:
            global _dropped
            _dropped += 1
            if not self.dropped:
                log_event("live.outbox_full", level=logging.WARNING, socket=self.label, limit=self.limit)
            self.dropped += 1
            return False
        self.queue.append((key, text))
        self._kick()
        return True

    def _kick(self) -> None:
        if not self.held and not self.paused and not self.closed and (self.task is None or self.task.done()):
            self.task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.queue and not self.held and not self.paused and not self.closed:
                key, text = self.queue.popleft()
                await self.write(key, text)
            if self.dropped and not self.queue and not self.held and not self.paused and not self.closed:
                count, self.dropped = self.dropped, 0
                log_event("live.frames_dropped", level=logging.WARNING, socket=self.label, count=count)
                if self.on_overflow is not None:
                    await self.on_overflow(count)
        except Exception:  # the socket went away while we wrote: nothing more can reach it
            self.close()

    async def hold(self) -> None:
        """Pause after the frame being written (if any); frames queue up (bounded) until :meth:`release`."""
        self.held = True
        task = self.task
        if task is not None and not task.done() and task is not asyncio.current_task():
            with contextlib.suppress(Exception):
                await task

    def release(self, skip: Callable[[Any], bool] | None = None) -> None:
        """Resume writing, leaving out queued frames whose key ``skip`` says were already sent."""
        if skip is not None:
            self.queue = deque(item for item in self.queue if item[0] is None or not skip(item[0]))
        self.held = False
        self._kick_if_waiting()

    def pause(self) -> None:
        """Stop writing (after the frame being written) until :meth:`resume`, whatever ``release`` says."""
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self._kick_if_waiting()

    def _kick_if_waiting(self) -> None:
        if (
            (self.queue or self.dropped)
            and not self.held
            and not self.paused
            and not self.closed
            and (self.task is None or self.task.done())
        ):
            self.task = asyncio.get_running_loop().create_task(self._drain())

    def close(self) -> None:
        self.closed = True
        self.queue.clear()


class Member(Protocol):
    """What the fan-out needs of a consumer: take one event (already JSON, and encoded as a frame) without
    waiting."""

    def offer(self, event: dict[str, Any], text: str, frame: bytes) -> None: ...


class LocalFanout:
    """One per event loop (process): joins each group once on the channel layer and fans out locally."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.members: dict[str, set[Member]] = {}
        self.channel = ""
        self.task: asyncio.Task[None] | None = None
        self.refresher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def _start(self) -> None:
        if self.task is None or self.task.done():
            # Redis's list layer reads every process-local channel through one list per prefix, so only the
            # in-memory layer (where it buys a bigger queue, see core/layers.py) gets a prefix of its own.
            prefix = "fanout" if isinstance(self.layer, InMemoryChannelLayer) else "specific"
            self.channel = await self.layer.new_channel(prefix=prefix)
            self.task = asyncio.get_running_loop().create_task(self._run())
            self.refresher = asyncio.get_running_loop().create_task(self._refresh())
            for group in self.members:  # after a restart of the loop task: join again
                await self.layer.group_add(group, self.channel)

    async def join(self, group: str, member: Member) -> None:
        async with self._lock:
            await self._start()
            first = group not in self.members
            self.members.setdefault(group, set()).add(member)
            if first:
                await self.layer.group_add(group, self.channel)

    async def leave(self, group: str, member: Member) -> None:
        async with self._lock:
            members = self.members.get(group)
            if members is None:
                return
            members.discard(member)
            if not members:
                del self.members[group]
                await self.layer.group_discard(group, self.channel)

    def local_count(self, group: str) -> int:
        return len(self.members.get(group, ()))

    async def _run(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            try:
                self.deliver(message)
            except Exception:  # one bad event must not stop every room's deliveries
                log_event("live.fanout_failed", level=logging.ERROR, exc_info=True)

    def deliver(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        group = message.get("group")
        if not isinstance(event, dict) or not isinstance(group, str):
            return
        members = self.members.get(group)
        if not members:
            return
        text = message.get("text") or json.dumps(event)
        frame = text_frame(text)  # once for every socket in the group
        for member in tuple(members):
            member.offer(event, text, frame)

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_EVERY)
            for group in list(self.members):
                await self.layer.group_add(group, self.channel)


fanout = PerLoop(LocalFanout, stale=lambda found: found.layer is not get_channel_layer())
"""This process's (this event loop's) fan-out (made again when the channel layer changed, as in tests)."""
