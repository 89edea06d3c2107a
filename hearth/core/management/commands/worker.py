"""``hearth worker``: runs background tasks and the periodic-job scheduler in one process.

It is django-tasks-db's worker (which claims queued tasks from the database
and shuts down cleanly on SIGTERM), run once per *lane* so that a slow channel
never holds up a fast one:

- ``default`` (the main thread, polled every second): periodic jobs and everything else;
- ``deliveries`` (a thread, every 0.5 s): email and web push, which may wait
  on a slow or refusing mail server;
- ``live`` (a thread, every 0.2 s), only with ``REDIS_URL``: live deliveries
  such as crisis alerts. Without Redis the web process runs this lane itself
  (see :mod:`hearth.core.lanes`), because only it can reach its own websockets;

plus a scheduler thread that enqueues due periodic jobs (see
:mod:`hearth.core.scheduler`). Run as many workers as you like: each task and
each slot of a periodic job is claimed by exactly one of them. ``--lanes``
picks a subset (e.g. a second machine that only sends email).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from hearth.core import health, scheduler, screening
from hearth.core.lanes import LIVE_POLL_SECONDS, worker_lanes
from hearth.core.logs import log_event

# lane -> seconds between polls when there is nothing to do
LANES: dict[str, float] = {"default": 1.0, "deliveries": 0.5, "live": LIVE_POLL_SECONDS}


class _LaneWorker(Worker):
    """A worker for one lane that runs in a thread and stops when asked (signals belong to the main thread)."""

    def run_task(self, db_task_result: Any) -> None:
        """Each task is a unit of work for the screening guard: member text it stored unscreened is logged as an
        error (``screening.unscreened_write``; never raised here, a worker keeps working)."""
        with screening.watch(f"task {getattr(db_task_result, 'task_path', '?')}", strict=False):
            super().run_task(db_task_result)

    def run_in_thread(self) -> None:
        try:
            self.run()
        except Exception:
            log_event(
                "worker.lane", level=logging.ERROR, exc_info=True, lane=",".join(self.queue_names), outcome="stopped"
            )
        finally:
            connections.close_all()


def scheduler_tick(worker_id: str, now: datetime | None = None, *, schedule: bool = True) -> None:
    """One turn of the scheduler thread: say this worker is alive, then enqueue the periodic jobs that are due."""
    health.beat(worker_id, now)
    if schedule:
        scheduler.tick(now)


class Command(DBWorkerCommand):
    help = "Run background tasks (in lanes: live, deliveries, default) and periodic jobs."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between scheduler checks.")
        parser.add_argument(
            "--lanes",
            default="",
            help="Comma-separated lanes to work (default: default and deliveries, and live when REDIS_URL is set).",
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Don't enqueue periodic jobs from here (still reports alive)."
        )

    def configure_logging(self, verbosity: int) -> None:
        """Leave logging to settings.LOGGING: db_worker's own setup turned on two lines per task run."""

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        lanes = [lane.strip() for lane in options["lanes"].split(",") if lane.strip()] or worker_lanes()
        unknown = set(lanes) - set(LANES)
        if unknown:
            raise CommandError(f"--lanes takes some of {', '.join(LANES)} (got {options['lanes']!r}).")
        if "live" in lanes and not settings.REDIS_URL and not options["batch"]:
            raise CommandError(
                "Without REDIS_URL the live lane runs in the web process (it alone can reach its websockets); "
                "leave 'live' out of --lanes, or set REDIS_URL."
            )
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=self._schedule,
                args=(stop, options["tick"], options["worker_id"], not options["no_scheduler"]),
                daemon=True,
                name="scheduler",
            )
        ]
        main_lane, *other_lanes = lanes
        workers = []
        for lane in other_lanes:
            worker = self._worker(lane, options)
            workers.append(worker)
            threads.append(threading.Thread(target=worker.run_in_thread, daemon=True, name=f"lane-{lane}"))
        for thread in threads:
            thread.start()
        main = self._worker(main_lane, options)
        main.configure_signals()
        try:
            main.run()
        finally:
            stop.set()
            for worker in workers:
                worker.running = False
            for thread in threads:
                thread.join(timeout=20)

    def _worker(self, lane: str, options: dict[str, Any]) -> _LaneWorker:
        return _LaneWorker(
            queue_names=[lane],
            interval=LANES[lane],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=f"{options['worker_id'][:40]}-{lane}-{get_random_string(6)}",
            excluded_queue_names=[],
        )

    def _schedule(self, stop: threading.Event, tick: float, worker_id: str, schedule: bool) -> None:
        while not stop.is_set():
            try:
                scheduler_tick(worker_id, schedule=schedule)
            except Exception:  # keep scheduling after a database hiccup
                log_event("scheduler.tick", level=logging.ERROR, exc_info=True, outcome="failed")
            finally:
                close_old_connections()
            stop.wait(tick)
        connections.close_all()
