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


@periodic(every=timedelta(minutes=5))
@task()
def roll_up_insights() -> int:
    """Keep the dashboard's daily rollups current: today, late arrivals, recent changes, days never counted."""
    from hearth.insights.actions import roll_up_due

    return roll_up_due()
