from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(minutes=1))
@task()
def escalate_crisis_alerts() -> int:
    """A crisis never waits unseen: unacknowledged alerts go to the coordinators."""
    from hearth.safety.actions import escalate_due_alerts

    return len(escalate_due_alerts())


@periodic(every=timedelta(hours=1))
@task()
def check_group_moods() -> int:
    from hearth.safety.actions import alert_drifting_groups

    return len(alert_drifting_groups())


@periodic(every=timedelta(minutes=5))
@task()
def lift_expired_suspensions() -> int:
    from hearth.safety.actions import lift_expired_suspensions as lift

    return len(lift())
