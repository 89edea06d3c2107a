"""Small helpers for tests (imported by test modules only)."""

from __future__ import annotations

import html
import re
from typing import Any


def text(response: Any) -> str:
    """The page as a person reads it: HTML entities decoded, tags kept (for simple ``in`` checks)."""
    return html.unescape(response.content.decode())


def visible_text(response: Any) -> str:
    """The page's words without tags, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", text(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def run_queued_tasks(task_path: str | None = None) -> int:
    """Run the queued tasks that are due, as ``hearth worker`` would (its signals and logging too).

    Runs inside the test's transaction: it claims and runs each task without the worker's
    loop (which closes database connections between tasks). Returns how many ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    due = DBTaskResult.objects.ready().order_by("enqueued_at")
    for result in due.filter(task_path=task_path) if task_path else due:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
