"""Presence by heartbeat (issue 15): each process keeps its open room visits "seen", all in one write.

Every :data:`~hearth.chat.access.HEARTBEAT` the process marks every visit its sockets hold as seen
(:func:`~hearth.chat.actions.keep_visits`, in the :class:`~hearth.chat.sending.Sender`'s next commit): one
write per process and beat, however many pages are open. Presence counts only visits seen within
:data:`~hearth.chat.access.PRESENCE_EXPIRY`, and the worker closes the others
(:func:`~hearth.chat.actions.close_stale_visits`), so a server that is killed leaves no ghosts "here now".
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from hearth.chat import actions
from hearth.chat.access import HEARTBEAT
from hearth.chat.sending import sender
from hearth.core.logs import log_event
from hearth.core.loops import PerLoop


class Heartbeat:
    """One per event loop (process): the visits its sockets hold open, and the task that keeps them seen."""

    def __init__(self) -> None:
        self.visits: set[int] = set()
        self.task: asyncio.Task[None] | None = None

    def add(self, visit_id: int) -> None:
        self.visits.add(visit_id)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, visit_id: int) -> None:
        self.visits.discard(visit_id)

    async def _run(self) -> None:
        while self.visits:  # stops when the last socket has gone; the next one starts it again
            await asyncio.sleep(HEARTBEAT.total_seconds())
            await self.beat()

    async def beat(self) -> None:
        """Mark every open visit seen now (a failed beat is logged; the next one tries again)."""
        if not self.visits:
            return
        try:
            await sender().write(partial(actions.keep_visits, frozenset(self.visits)))
        except Exception:
            log_event("chat.heartbeat_failed", level=logging.ERROR, exc_info=True, visits=len(self.visits))


heartbeat = PerLoop(Heartbeat)
"""This process's (this event loop's) :class:`Heartbeat`."""
