from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hearth.core import scheduler
from hearth.core.models import PeriodicJob
from hearth.core.tasks import prune_finished_task_results


def test_each_due_slot_is_enqueued_once_even_with_two_workers(db: None) -> None:
    now = timezone.now()
    first = scheduler.tick(now)
    second = scheduler.tick(now)  # another worker, same moment
    assert "hearth.core.tasks.prune_finished_task_results" in first
    assert second == []
    assert DBTaskResult.objects.filter(task_path="hearth.core.tasks.prune_finished_task_results").count() == 1


def test_a_job_runs_again_when_its_interval_has_passed(db: None) -> None:
    now = timezone.now()
    scheduler.tick(now)
    job = PeriodicJob.objects.get(name="hearth.core.tasks.prune_finished_task_results")
    assert job.due_at == now + timedelta(days=1)
    prune = "hearth.core.tasks.prune_finished_task_results"
    assert prune not in scheduler.tick(now + timedelta(hours=23))
    assert prune in scheduler.tick(now + timedelta(days=1, seconds=1))


def test_housekeeping_prunes_only_old_finished_tasks(db: None) -> None:
    old = prune_finished_task_results.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=30), status="SUCCESSFUL")
    recent = prune_finished_task_results.enqueue()
    assert prune_finished_task_results.call() == 1
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [str(recent.id)]
