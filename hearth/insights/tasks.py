from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(hours=6))
@task()
def offer_questionnaires() -> int:
    """Offer switched-on questionnaires to members taking part whose last offer is an interval old."""
    from hearth.insights.actions import offer_due_questionnaires

    return offer_due_questionnaires()
