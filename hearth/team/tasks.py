from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(hours=6))
@task()
def warn_expiring_training_and_checks() -> int:
    """Renewal warnings, once each, before training or a check expires."""
    from hearth.team.actions import warn_expiring

    return warn_expiring()
