"""Saying "slow down" instead of queueing without limit: how many sends a process lets wait.

Every chat send (websocket or the plain form) passes :data:`gate` before it waits for the database. The
gate knows how many sends are waiting in this process and in each room, and how long storing one has
taken lately (an average updated by :meth:`SendGate.done`). When the wait a new send would have is over
``MAX_WAIT`` seconds, or a room already has ``ROOM_LIMIT`` sends waiting, the send is refused *to the
sender*, with a time to retry after — a ``slow_down`` frame on the websocket, HTTP 429 with
``Retry-After`` for the form — and nothing is stored. Nothing accepted is ever dropped afterwards: the
refusal is the pushback, and the page retries with the same client id (stored once however often).

Triage runs just after the commit (``chat/sending.py``) and has a backlog of its own: when clearing it would
take more than ``TRIAGE_MAX_WAIT`` seconds, sends are refused too, so an accepted message — a crisis among
them — is triaged within seconds however busy the process is.

**Waiting already too long.** Store times are only the database's share of a send's wait: the same thread
also triages and writes visits (people arriving), and a starved process runs late everywhere. So the gate
also looks at the sends it let in that are still waiting: when the oldest has waited more than ``AGE_MAX``
seconds, new sends are refused until the backlog is answered — what is accepted is answered within about a
second, whatever made the process slow. A send let in more than ``STUCK`` seconds ago and never answered is
logged (``chat.send_stuck``) and no longer counted, so one lost answer can't refuse every send for ever.

**A starved process.** Store times say how busy the database is, not how late the process itself runs: on a
machine with more work than cores, an event loop that gets a fraction of a core answers everything late however
short its queue. So :func:`watch_loop` (started by the first websocket send on each event loop) wakes every
``LAG_TICK`` seconds and notes how late it woke; while the loop runs more than ``LAG_MAX`` late (a moving
average), sends are refused too, and what was accepted is answered in time.

Refusals are counted (:func:`refused_total`, the ``hearth_chat_sends_refused_total`` gauge) and logged.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections import Counter

from hearth.core.logs import log_event
from hearth.core.loops import PerLoop

MAX_WAIT = 0.5  # seconds a send may expect to wait for storage before it is refused
ROOM_LIMIT = 40  # sends waiting in one room (in this process) before that room is told to slow down
TRIAGE_MAX_WAIT = 1.0  # seconds the triage backlog may take to clear before sends are refused
FLOOR = 16  # always let this many wait, whatever the average says (a cold start has no average)
LAG_MAX = 0.25  # seconds the event loop may run late (moving average) before sends are refused
AGE_MAX = 0.5  # seconds the oldest send still waiting may have waited before new ones are refused
STUCK = 60.0  # a send let in this long ago and not answered is stuck (logged), not a reason to refuse for ever
LAG_TICK = 0.1  # how often the loop watch wakes
LAG_IDLE = 10.0  # the watch stops this long after the last send (the next send starts it again)
RETRY_MIN, RETRY_MAX = 0.5, 10.0  # seconds


class SendGate:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # the form path runs in a thread, the websocket path in the loop
        self.waiting = 0
        self.rooms: Counter[int] = Counter()
        self.entered: Counter[float] = Counter()  # when each send still waiting was let in (monotonic seconds)
        self.per_message = 0.005  # seconds to store one message, moving average
        self.triage_waiting = 0  # messages stored and waiting for triage (chat/sending.py)
        self.per_triage = 0.005  # seconds to triage one message, moving average
        self.refused = 0
        self.loop_lag = 0.0  # seconds late the event loop wakes, moving average (see watch_loop)
        self._last_log = 0.0
        self._last_stuck_log = float("-inf")

    def enter(self, room_id: int, now: float) -> float | None:
        """Admit one send to ``room_id`` at ``now`` (``time.monotonic()``; returns None), or refuse it: the
        seconds to wait before retrying. An admitted send must :meth:`leave` with the same ``now``."""
        with self._lock:
            expected = self.waiting * self.per_message
            triage_backlog = (self.triage_waiting + self.waiting) * self.per_triage
            oldest = now - min(self.entered) if self.entered else 0.0
            if oldest > STUCK:  # something never answered it: say so (once a minute), and judge by the others
                if now - self._last_stuck_log >= STUCK:
                    self._last_stuck_log = now
                    log_event("chat.send_stuck", level=logging.ERROR, waited_s=round(oldest), room=room_id)
                live = [at for at in self.entered if now - at <= STUCK]
                oldest = now - min(live) if live else 0.0
            if (
                (self.waiting >= FLOOR and expected > MAX_WAIT)
                or self.rooms[room_id] >= ROOM_LIMIT
                or (self.triage_waiting >= FLOOR and triage_backlog > TRIAGE_MAX_WAIT)
                or self.loop_lag > LAG_MAX
                or oldest > AGE_MAX
            ):
                expected = max(expected, triage_backlog, 4 * self.loop_lag, 2 * oldest)
                self.refused += 1
                retry = min(RETRY_MAX, max(RETRY_MIN, expected)) * random.uniform(1.0, 1.5)
                if now - self._last_log >= 1.0:  # one line a second while refusing, with the running count
                    self._last_log = now
                    log_event(
                        "chat.slow_down",
                        level=logging.WARNING,
                        waiting=self.waiting,
                        triage_waiting=self.triage_waiting,
                        room=room_id,
                        room_waiting=self.rooms[room_id],
                        refused_total=self.refused,
                        loop_lag_ms=round(self.loop_lag * 1000),
                        oldest_waiting_ms=round(oldest * 1000),
                        retry_after_ms=round(retry * 1000),
                    )
                return retry
            self.waiting += 1
            self.rooms[room_id] += 1
            self.entered[now] += 1
            return None

    def leave(self, room_id: int, entered: float) -> None:
        """A send let in at ``entered`` has its answer (stored or refused)."""
        with self._lock:
            self.waiting -= 1
            self.rooms[room_id] -= 1
            if self.rooms[room_id] <= 0:
                del self.rooms[room_id]
            self.entered[entered] -= 1
            if self.entered[entered] <= 0:
                del self.entered[entered]

    def done(self, seconds: float, messages: int = 1) -> None:
        """Storing ``messages`` took ``seconds`` of the database's time: update the average per message."""
        if messages > 0:
            with self._lock:
                self.per_message = 0.8 * self.per_message + 0.2 * (seconds / messages)

    def triage_queued(self, messages: int) -> None:
        with self._lock:
            self.triage_waiting += messages

    def triage_done(self, seconds: float, messages: int) -> None:
        """Triaging ``messages`` took ``seconds``: they leave the backlog, and the average is updated."""
        if messages > 0:
            with self._lock:
                self.triage_waiting = max(0, self.triage_waiting - messages)
                self.per_triage = 0.8 * self.per_triage + 0.2 * (seconds / messages)

    def woke_late(self, seconds: float) -> None:
        """The event loop woke ``seconds`` later than it asked to."""
        with self._lock:
            self.loop_lag = 0.7 * self.loop_lag + 0.3 * seconds

    def unwatched(self) -> None:
        """Nobody is watching the loop any more: don't refuse on an old figure."""
        with self._lock:
            self.loop_lag = 0.0


gate = SendGate()


class _LoopWatch:
    """One per event loop: how late the loop wakes, told to :data:`gate`, while sends are coming in."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None
        self.last_send = 0.0

    def sent(self) -> None:
        self.last_send = time.monotonic()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while time.monotonic() - self.last_send < LAG_IDLE:
                asked = time.monotonic()
                await asyncio.sleep(LAG_TICK)
                gate.woke_late(time.monotonic() - asked - LAG_TICK)
        finally:
            gate.unwatched()


_watch = PerLoop(_LoopWatch)


def watch_loop() -> None:
    """Note a send on this event loop, and make sure its lateness is being watched (see the module's doc)."""
    _watch().sent()


def refused_total() -> int:
    return gate.refused


SLOW_DOWN_MESSAGE = "The room is very busy right now. Your message will be sent again in a moment."
