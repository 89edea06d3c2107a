"""Health, readiness and metrics: what an operator's monitoring sees, on a controlled clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.core import health
from hearth.core.management.commands.worker import scheduler_tick
from hearth.core.models import WorkerHeartbeat

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    return time_machine


@pytest.fixture
def token(settings: Settings) -> dict[str, str]:
    settings.HEARTH_METRICS_TOKEN = TOKEN
    return {"authorization": f"Bearer {TOKEN}"}


def test_healthz_says_the_process_is_up_without_touching_the_database(client: Client) -> None:
    response = client.get("/healthz")  # no `db` fixture: any query would fail the test
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_a_worker_is_beating_and_nothing_waits(client: Client, clock: TimeMachineFixture, db: None) -> None:
    scheduler_tick("worker-a")
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert set(response.json()["checks"]) >= {
        "database",
        "channel_layer",
        "worker",
        "scheduler",
        "tasks",
        "crisis_alerts",
    }


def test_readyz_turns_unhealthy_within_a_minute_of_the_worker_stopping(
    client: Client, clock: TimeMachineFixture, token: dict[str, str], db: None
) -> None:
    scheduler_tick("worker-a")  # the worker's scheduler thread, on its last tick before it stops
    assert WorkerHeartbeat.objects.get(worker_id="worker-a").beat_at is not None
    clock.shift(timedelta(seconds=20))
    assert client.get("/readyz").status_code == 200
    clock.shift(timedelta(seconds=25))  # 45 s without a heartbeat
    response = client.get("/readyz", headers=token)
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False and "no worker heartbeat for 45 s" in worker["detail"]
    assert "crisis alerts won't escalate" in worker["detail"]


def test_a_worker_that_never_started_is_not_ready(client: Client, clock: TimeMachineFixture, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["worker"] == {"ok": False}


def test_a_scheduler_that_fell_behind_is_not_ready(
    client: Client, clock: TimeMachineFixture, token: dict[str, str], db: None
) -> None:
    scheduler_tick("worker-a")
    clock.shift(timedelta(days=2))  # every job overdue
    health.beat("worker-a")  # the worker's thread beats but its scheduling is stuck
    checks = client.get("/readyz", headers=token).json()["checks"]
    assert checks["worker"]["ok"] and not checks["scheduler"]["ok"]
    assert "has been due for" in checks["scheduler"]["detail"]


def test_details_only_with_the_token(
    client: Client, clock: TimeMachineFixture, token: dict[str, str], db: None
) -> None:
    scheduler_tick("worker-a")
    public = client.get("/readyz").json()
    assert all(set(check) == {"ok"} for check in public["checks"].values())
    detailed = client.get("/readyz", headers=token).json()
    assert detailed["checks"]["worker"]["detail"] == "last worker heartbeat 0 s ago" and "version" in detailed


def test_a_channel_layer_that_loses_messages_is_not_ready_and_never_a_500(
    client: Client, clock: TimeMachineFixture, token: dict[str, str], db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Deaf:
        async def new_channel(self, prefix: str = "specific.") -> str:
            return "specific.deaf"

        async def send(self, channel: str, message: dict[str, Any]) -> None:
            return None

        async def receive(self, channel: str) -> dict[str, Any]:
            import asyncio

            await asyncio.sleep(10)
            return {}

    monkeypatch.setattr(health, "get_channel_layer", lambda: Deaf())
    scheduler_tick("worker-a")
    response = client.get("/readyz", headers=token)
    assert response.status_code == 503
    assert "did not come back" in response.json()["checks"]["channel_layer"]["detail"]


def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(
    client: Client, settings: Settings, db: None
) -> None:
    assert client.get("/metrics").status_code == 404
    settings.HEARTH_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 401


def test_metrics_show_the_figures_an_operator_watches(
    client: Client, clock: TimeMachineFixture, token: dict[str, str], db: None
) -> None:
    scheduler_tick("worker-a")
    clock.shift(timedelta(seconds=40))
    response = client.get("/metrics", headers=token)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    lines = response.content.decode().splitlines()
    values = {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1] for line in lines if not line.startswith("#")}
    assert values["hearth_worker_heartbeat_age_seconds"] == "40"
    assert values['hearth_ready{check="worker"}'] == "0"
    assert values["hearth_task_lag_seconds"] == "40"  # the jobs that tick enqueued are still waiting
    assert int(values["hearth_task_queue_depth"]) >= 1
    for name in ("hearth_crisis_alerts_open", "hearth_talk_now_waiting", "hearth_websocket_connections"):
        assert values[name] == "0"
    assert "# TYPE hearth_crisis_alert_oldest_age_seconds gauge" in lines
