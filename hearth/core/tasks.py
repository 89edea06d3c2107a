"""Housekeeping that runs on the organisation's own task worker."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from hearth.core.scheduler import periodic


@periodic(every=timedelta(days=1))
@task()
def prune_finished_task_results() -> int:
    """Finished task records are only useful for a while; keep the table small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=14)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
