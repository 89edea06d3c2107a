"""Where each lane of background work runs, and the live lane that runs inside the web process.

A *lane* is a task queue (see :mod:`hearth.core.deliveries`). ``deliveries``
(email, web push) and ``default`` (periodic jobs) run in ``hearth worker``.
The ``live`` lane sends live deliveries (crisis alerts) to the pages people
have open, so it must run where those pages' websockets are: with the default
in-memory channel layer that is only the web process itself. So the web
process runs it, as an asyncio task started by the ASGI ``lifespan`` startup
(:class:`LiveLaneLifespan`), polling every 0.2 s. With ``REDIS_URL`` any process
can reach any socket, so ``hearth worker --lanes live`` may run it too; claims
are exclusive either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.crypto import get_random_string

from hearth.core.logs import log_event

LIVE_POLL_SECONDS = 0.2


def worker_lanes() -> list[str]:
    """The lanes ``hearth worker`` works by default: ``live`` only when the channel layer is shared (Redis)."""
    return ["default", "deliveries", *(["live"] if settings.REDIS_URL else [])]


def run_lane_once(queue: str, worker_id: str) -> int:
    """Claim and run every task that is ready on ``queue`` now (as django-tasks-db's worker does); how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        tasks = DBTaskResult.objects.ready().filter(backend_name="default", queue_name=queue)
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1


async def run_live_lane(stop: asyncio.Event) -> None:
    """The live lane, on the web process's own event loop, until ``stop`` is set."""
    worker_id = f"web-live-{get_random_string(8)}"
    while not stop.is_set():
        try:
            ran = await database_sync_to_async(run_lane_once)("live", worker_id)
        except Exception:  # keep going after a database hiccup; the sweeper covers anything missed
            log_event("worker.lane", level=logging.ERROR, exc_info=True, lane="live", outcome="failed")
            ran = 0
        if not ran:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), LIVE_POLL_SECONDS)


class LiveLaneLifespan:
    """The ASGI ``lifespan`` app: starts the live lane with the server, stops it cleanly on shutdown."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        stop = asyncio.Event()
        task: asyncio.Task[None] | None = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if settings.HEARTH_WEB_LIVE_LANE:
                    task = asyncio.create_task(run_live_lane(stop))
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                stop.set()
                if task is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(task, 10)
                await send({"type": "lifespan.shutdown.complete"})
                return
