"""Storing websocket sends together, and triaging them just after (issue 21).

**Group commit.** A durable commit costs a disk flush (~10 ms on SQLite with ``synchronous=FULL``, similar on
PostgreSQL), and one at a time that capped a process near 85 messages a second. Here every send waiting in the
process joins the next batch: :func:`hearth.chat.actions.do_send_messages` stores the whole batch in one
transaction, one flush for all of them, while the next batch gathers. Nobody waits on purpose: a send on a quiet
evening is a batch of one. Each sender is acknowledged only once its batch has committed, and after the room's
broadcasts of the batch, which the loop sends in commit order once the database call returns
(:func:`~hearth.core.events.events_kept`: not a trip from the database thread to the loop per message).

**Triage off the delivery path.** Outside pre-moderated groups, what triage finds doesn't change who may see a
message, so it runs right after the commit instead of before it: the sender is acknowledged and the room hears
the message first, then :func:`~hearth.chat.actions.do_triage_messages` raises any crisis alert. Triage has its
own bounded backlog: :data:`hearth.chat.pushback.gate` refuses new sends (``slow_down``) when the backlog would
take more than ``TRIAGE_MAX_WAIT`` to clear, so an accepted crisis message still reaches whoever is on duty
within seconds. If the process stops between the commit and triage, the worker's
:func:`~hearth.chat.tasks.triage_missed_messages` job triages what was missed.

**Visits too.** Opening and closing a room writes a visit (presence, attendance): :meth:`Sender.write` puts
those writes in the same batches, so 5,000 pages coming back after a restart cost a few hundred commits, not
5,000, and sends aren't stuck behind them.

**A send the database won't take** is refused to its sender alone, never a reason for the rest of its batch to
be sent again: each send is stored in a savepoint of its own, and a batch that fails as a whole (at commit) is
stored again one by one. When the database itself was busy or away the sender hears "slow down" and the page
sends again, same client id (:func:`hearth.chat.actions.send_failed`), a few times at most.

Both steps run on the thread the process uses for the database, batch after batch, so a triage batch is kept
small (``TRIAGE_BATCH``) to let the next store batch through quickly.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.db import transaction

from hearth.chat import actions
from hearth.chat.actions import Send, Sent
from hearth.chat.pushback import gate
from hearth.core.events import events_kept, send_event_async
from hearth.core.logs import log_event
from hearth.core.loops import PerLoop

T = TypeVar("T")

MAX_BATCH = 200  # sends stored in one transaction
TRIAGE_BATCH = 16  # messages triaged in one transaction (then the next store batch gets its turn)


class Sender:
    """One per event loop (process): the sends waiting to be stored, and the messages waiting for triage."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Send, asyncio.Future[Sent]]] = []
        self.writes: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._lock = threading.Lock()  # the database thread takes from ``waiting``
        self.triage: deque[tuple[Sent, asyncio.Future[Any]]] = deque()
        self.store_task: asyncio.Task[None] | None = None
        self.triage_task: asyncio.Task[None] | None = None
        self.commits = 0  # batches committed

    async def send(self, send: Send) -> tuple[Sent, asyncio.Future[Any] | None]:
        """Store ``send`` with whatever else is waiting; returns once it is committed (or refused), with a
        future for its triage result when triage comes after (None otherwise)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Sent] = loop.create_future()
        with self._lock:
            self.waiting.append((send, future))
        self._kick(loop)
        sent = await future
        return sent, sent.triaged

    async def write(self, work: Callable[[], T]) -> T:
        """Run ``work`` (a short write, in a transaction of its own) in the next batch's commit; its result
        once committed. If it raises, its savepoint is rolled back and the exception is raised here."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self.writes.append((work, future))
        self._kick(loop)
        return await future

    def _kick(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.store_task is None or self.store_task.done():
            self.store_task = loop.create_task(self._store())

    def _take_and_store(self) -> tuple[list[Any], list[Sent], list[Any], list[Any], list[Any]]:
        """On the database thread: take every send and write waiting *now* (those that arrived while this call
        queued behind other database work included) and commit them together. The broadcasts their commit
        released come back with them (:func:`~hearth.core.events.events_kept`), to be sent from the loop."""
        with self._lock:
            batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
            writes, self.writes = self.writes[:MAX_BATCH], self.writes[MAX_BATCH:]
        if not batch and not writes:
            return batch, [], writes, [], []
        started = time.perf_counter()
        with events_kept() as events:
            try:
                results, outcomes = _commit([send for send, _ in batch], [work for work, _ in writes])
            except Exception:
                # Nothing in the batch was stored. Whatever failed it — the database busy or away, or one send or
                # write it refuses only at commit (a row it refers to deleted meanwhile) — must not send the
                # others round again with it, for ever: each is stored again on its own, so only the one at
                # fault fails.
                log_event("chat.store_failed", level=logging.ERROR, exc_info=True, batch=len(batch) + len(writes))
                results, outcomes = _one_by_one(batch, writes)
            finally:
                if batch:
                    gate.done(time.perf_counter() - started, len(batch))
        return batch, results, writes, outcomes, events

    async def _store(self) -> None:
        loop = asyncio.get_running_loop()
        while self.waiting or self.writes:
            batch, results, writes, outcomes, events = await database_sync_to_async(self._take_and_store)()
            if batch or writes:
                self.commits += 1
            for groups, event in events:  # committed: the rooms hear, in commit order, before anyone is answered
                await send_event_async(groups, event)
            for (_, future), sent in zip(batch, results, strict=True):
                if sent.triage_later:
                    sent.triaged = loop.create_future()
                    self.triage.append((sent, sent.triaged))
                    gate.triage_queued(1)
                if future.done():
                    continue
                if sent.failure is not None:
                    future.set_exception(sent.failure)
                else:
                    future.set_result(sent)
            for (_, waiter), outcome in zip(writes, outcomes, strict=True):
                if not waiter.done():
                    if isinstance(outcome, _Failed):
                        waiter.set_exception(outcome.error)
                    else:
                        waiter.set_result(outcome.value)
            if self.triage and (self.triage_task is None or self.triage_task.done()):
                self.triage_task = loop.create_task(self._triage())

    async def _triage(self) -> None:
        while self.triage:
            batch = [self.triage.popleft() for _ in range(min(TRIAGE_BATCH, len(self.triage)))]
            started = time.perf_counter()
            try:
                await database_sync_to_async(actions.do_triage_messages)([sent.message for sent, _ in batch])
            except Exception:  # left for the worker's triage_missed_messages
                log_event("chat.triage_failed", level=logging.ERROR, exc_info=True, batch=len(batch))
            finally:
                gate.triage_done(time.perf_counter() - started, len(batch))
            for sent, future in batch:
                if not future.done():
                    future.set_result(getattr(sent.message, "screening", None))


def _one_by_one(batch: list[Any], writes: list[Any]) -> tuple[list[Sent], list[Any]]:
    """Each send and write in a transaction of its own (after their batch failed as a whole)."""
    results: list[Sent] = []
    outcomes: list[Any] = []
    for send, _ in batch:
        try:
            results += _commit([send], [])[0]
        except Exception as error:
            results.append(actions.send_failed(error, send))
    for work, _ in writes:
        try:
            outcomes += _commit([], [work])[1]
        except Exception as error:
            log_event("chat.write_failed", level=logging.ERROR, exc_info=True)
            outcomes.append(_Failed(error))
    return results, outcomes


def _commit(sends: list[Send], writes: list[Callable[[], Any]]) -> tuple[list[Sent], list[Any]]:
    """Store ``sends`` and run ``writes`` (each in a savepoint of its own) in one transaction."""
    outcomes: list[Any] = []
    with transaction.atomic():
        results = actions.do_send_messages(sends) if sends else []
        for work in writes:
            try:
                with transaction.atomic():
                    outcomes.append(_Done(work()))
            except Exception as error:
                outcomes.append(_Failed(error))
    return results, outcomes


@dataclass
class _Done:
    value: Any


@dataclass
class _Failed:
    error: Exception


sender = PerLoop(Sender)
"""This process's (this event loop's) :class:`Sender`."""
