"""``hearth worker``: runs background tasks and the periodic-job scheduler in one process.

It is django-tasks-db's ``db_worker`` (which claims queued tasks from the
database and shuts down cleanly on SIGTERM) plus a scheduler thread that
enqueues due periodic jobs (see :mod:`hearth.core.scheduler`). Run as many as
you like: each slot of a periodic job is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from hearth.core import health, scheduler
from hearth.core.logs import log_event


def scheduler_tick(worker_id: str, now: datetime | None = None) -> None:
    """One turn of the scheduler thread: say this worker is alive, then enqueue the periodic jobs that are due."""
    health.beat(worker_id, now)
    scheduler.tick(now)


class Command(DBWorkerCommand):
    help = "Run background tasks and periodic jobs (reminders, escalations, housekeeping)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between scheduler checks.")

    def configure_logging(self, verbosity: int) -> None:
        """Leave logging to settings.LOGGING: db_worker's own setup turned on two lines per task run."""

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=self._schedule, args=(stop, options["tick"], options["worker_id"]), daemon=True, name="scheduler"
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=10)

    def _schedule(self, stop: threading.Event, tick: float, worker_id: str) -> None:
        while not stop.is_set():
            try:
                scheduler_tick(worker_id)
            except Exception:  # keep scheduling after a database hiccup
                log_event("scheduler.tick", level=logging.ERROR, exc_info=True, outcome="failed")
            finally:
                close_old_connections()
            stop.wait(tick)
