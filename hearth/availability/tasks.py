from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(minutes=1))
@task()
def escalate_unanswered_talk_requests() -> int:
    """Nobody's request to talk waits unseen: escalate the ones past their time."""
    from hearth.availability.actions import escalate_due

    return len(escalate_due())
