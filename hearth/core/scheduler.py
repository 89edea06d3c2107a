"""Periodic jobs without a broker.

A job is a Django task registered with :func:`periodic`. Each worker calls
:func:`tick` every few seconds: for every job whose ``due_at`` has passed it
moves ``due_at`` forward with a conditional UPDATE, and only the worker whose
UPDATE changed the row enqueues the task. So several workers can run side by
side and each slot runs once. One-off due times (reminders, escalations) live
in their own app's models with an indexed ``due_at``, claimed the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from hearth.core.logs import log_event
from hearth.core.models import PeriodicJob


@dataclass(frozen=True)
class _Job:
    name: str
    task: Any  # a django.tasks Task
    every: timedelta


_JOBS: dict[str, _Job] = {}


class _Named(Protocol):
    @property
    def module_path(self) -> str: ...


def periodic[T: _Named](every: timedelta) -> Callable[[T], T]:
    """Decorator for a ``@task`` that should run every ``every``."""

    def wrap(task: T) -> T:
        name = f"{task.module_path}"
        _JOBS[name] = _Job(name=name, task=task, every=every)
        return task

    return wrap


def registered_jobs() -> list[str]:
    return sorted(_JOBS)


def tick(now: Any = None) -> list[str]:
    """Enqueue every job that is due; returns the names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for job in _JOBS.values():
        PeriodicJob.objects.get_or_create(name=job.name, defaults={"due_at": now})
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(name=job.name, due_at__lte=now).update(
                due_at=now + job.every, last_run_at=now
            )
            if claimed:
                job.task.enqueue()
                enqueued.append(job.name)
                log_event("task.scheduled", level=logging.DEBUG, task=job.name)
    return enqueued
