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


@periodic(every=timedelta(minutes=5))
@task()
def remind_shifts() -> int:
    """A reminder before each shift, once (the notice row is the claim)."""
    from hearth.availability.actions import send_shift_reminders

    return send_shift_reminders()


@periodic(every=timedelta(minutes=5))
@task()
def alert_missed_check_ins() -> int:
    """The coordinators hear when someone hasn't checked in for their shift: nobody waits unseen."""
    from hearth.availability import actions

    return actions.alert_missed_check_ins()
