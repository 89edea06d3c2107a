"""Safety's part of ``/readyz`` and ``/metrics``: no crisis alert waits unseen past its escalation time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min

from hearth.core.health import CheckResult, gauge, readiness_check
from hearth.safety.alerts import escalate_after
from hearth.safety.models import CrisisAlert


@readiness_check("crisis_alerts")
def _crisis_alerts(now: datetime) -> CheckResult:
    """Failing means a person may be at risk and nobody has said "I've got this": page someone."""
    overdue = CrisisAlert.objects.filter(acknowledged_at__isnull=True, created_at__lte=now - escalate_after()).count()
    if overdue:
        minutes = escalate_after().total_seconds() / 60
        return CheckResult(
            False,
            f"{overdue} crisis alert{'s have' if overdue > 1 else ' has'} waited more than {minutes:.0f} "
            "minutes without anyone acknowledging it",
        )
    return CheckResult(True, "no crisis alert is waiting past its escalation time")


@gauge("hearth_crisis_alerts_open", "Crisis alerts nobody has acknowledged yet.")
def _alerts_open(now: datetime) -> int:
    return CrisisAlert.objects.filter(acknowledged_at__isnull=True).count()


@gauge(
    "hearth_crisis_alert_oldest_age_seconds", "Seconds the oldest unacknowledged crisis alert has waited (0 if none)."
)
def _oldest_alert_age(now: datetime) -> float:
    oldest = CrisisAlert.objects.filter(acknowledged_at__isnull=True).aggregate(at=Min("created_at"))["at"]
    return 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
