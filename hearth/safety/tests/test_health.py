"""Readiness fails while a crisis alert waits unacknowledged past its escalation time; metrics show it."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.core.management.commands.worker import scheduler_tick
from hearth.members.models import Member
from hearth.safety import actions as safety_actions
from hearth.safety.models import CrisisAlert
from hearth.testing import run_queued_tasks

TOKEN = "metrics-token-for-tests-0123456789"


def test_an_alert_nobody_acknowledged_in_time_makes_the_service_unready(
    client: Client, member: Member, peer_worker: Member, settings: Settings, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    settings.HEARTH_METRICS_TOKEN = TOKEN
    auth = {"authorization": f"Bearer {TOKEN}"}
    alert = safety_actions.raise_crisis_alert(member, origin=CrisisAlert.Origin.MESSAGE, summary="Triage: post")
    run_queued_tasks()  # the alert's deliveries go out at once, as the live lane and worker send them

    time_machine.shift(timedelta(minutes=2, seconds=59))
    scheduler_tick("worker-a")
    assert client.get("/readyz").status_code == 200
    metrics = client.get("/metrics", headers=auth).content.decode()
    assert "hearth_crisis_alerts_open 1\n" in metrics and "hearth_crisis_alert_oldest_age_seconds 179\n" in metrics

    time_machine.shift(timedelta(seconds=2))  # past HEARTH_ALERT_ESCALATE_MINUTES (3)
    scheduler_tick("worker-a")
    response = client.get("/readyz", headers=auth)
    assert response.status_code == 503
    check = response.json()["checks"]["crisis_alerts"]
    assert check == {
        "ok": False,
        "detail": "1 crisis alert has waited more than 3 minutes without anyone acknowledging it",
    }
    assert member.display_name not in response.content.decode()

    safety_actions.do_acknowledge_alert(peer_worker, alert.pk)
    assert client.get("/readyz").status_code == 200
    assert "hearth_crisis_alerts_open 0\n" in client.get("/metrics", headers=auth).content.decode()
