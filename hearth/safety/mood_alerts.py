"""Tell hosts and staff when a group drifts into a run of distress (at most once a day per group)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.core import notifications
from hearth.safety.models import MoodAlert, TriageRecord
from hearth.safety.mood import group_mood


def alert_drifting_groups(now: datetime | None = None) -> list[int]:
    from hearth.safety.alerts import on_duty_crisis_staff
    from hearth.safety.groups import hosts_of

    now = now or timezone.now()
    recent = TriageRecord.objects.filter(created_at__gte=now - timedelta(days=3), group_id__isnull=False)
    recent_groups: set[int] = {g for g in recent.values_list("group_id", flat=True) if g is not None}
    already: set[int] = set(
        MoodAlert.objects.filter(created_at__gte=now - timedelta(days=1)).values_list("group_id", flat=True)
    )
    alerted = []
    for group_id in sorted(recent_groups - already):
        mood = group_mood(group_id, now=now)
        if not mood.drifting:
            continue
        with transaction.atomic():
            alert = MoodAlert.objects.create(
                group_id=group_id,
                heavy_posts=mood.heavy_posts,
                supportive_replies=mood.supportive_replies,
                created_at=now,
            )
            people = {*hosts_of(group_id), *on_duty_crisis_staff()}
            notifications.notify(
                people,
                "safety.mood_alert",
                "A group has had a run of heavy posts with few supportive replies lately. It may need a kind word.",
                reverse("community:group", args=[group_id]),
                about=alert,
                now=now,
            )
        alerted.append(group_id)
    return alerted
