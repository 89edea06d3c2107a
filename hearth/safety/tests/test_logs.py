"""Logs keep a crisis traceable without keeping the person's words or contact details.

A whole crisis runs with every Hearth logger turned up to DEBUG and both formatters (text and
JSON) capturing: Robin writes a crisis post with nobody on duty, the alert is raised and emailed,
nobody acknowledges it so the worker escalates it, and Jo acknowledges it. The lines say all of
that happened; none of them holds Robin's words, name, email address or phone number.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from hearth.community.models import Membership
from hearth.community.tests.conftest import make_group
from hearth.core import scheduler
from hearth.core.logs import JsonFormatter, TextFormatter
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, run_queued_tasks

CRISIS = "I've written the letters and I'm going to take all my tablets tonight after everyone's asleep"


@pytest.fixture
def captured_logs() -> Iterator[dict[str, io.StringIO]]:
    streams = {"text": io.StringIO(), "json": io.StringIO()}
    handlers = []
    for name, formatter in (("text", TextFormatter()), ("json", JsonFormatter())):
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(formatter)
        handler.setLevel(logging.DEBUG)
        handlers.append(handler)
    root = logging.getLogger()
    loggers = [root, *(logging.getLogger(n) for n in ("hearth", "hearth.task", "django", "django_tasks_db"))]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield streams
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def test_a_crisis_leaves_a_trail_in_the_logs_but_never_the_members_words_or_contact_details(
    member: Member,
    volunteer: Member,
    coordinator: Member,
    client_for: ClientFor,
    settings: Settings,
    time_machine: TimeMachineFixture,
    captured_logs: dict[str, io.StringIO],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    settings.HEARTH_ON_CALL_EMAIL = "oncall@example.org"
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": CRISIS}, follow=True
        )
    assert response.status_code == 200
    alert = CrisisAlert.objects.get(member=member)
    run_queued_tasks()  # the worker sends the alert's deliveries (live and email)

    time_machine.shift(timedelta(minutes=3, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick()
        assert run_queued_tasks("hearth.safety.tasks.escalate_crisis_alerts") == 1
        run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(reverse("safety:alerts"), {"alert": alert.pk})
    alert.refresh_from_db()
    assert alert.escalation_level == 1 and alert.acknowledged_by == coordinator
    assert mail.outbox, "the crisis emails were sent (so their log lines were written)"

    text_log, json_log = captured_logs["text"].getvalue(), captured_logs["json"].getvalue()
    events = [json.loads(line) for line in json_log.splitlines() if line.startswith("{")]
    kinds = {e.get("event") for e in events}
    assert {"request", "alert.raised", "alert.escalated", "alert.acknowledged", "task.run", "delivery.attempt"} <= kinds
    raised = next(e for e in events if e.get("event") == "alert.raised")
    assert raised["alert"] == alert.pk and raised["member"] == member.pk and raised["nobody_on_duty"] is True
    assert f"alert.acknowledged alert={alert.pk} by={coordinator.pk}" in text_log

    private = [
        *(word for word in CRISIS.split() if len(word) > 5),  # her words ("letters", "tablets", "tonight", ...)
        member.display_name,
        member.email,
        member.email.split("@")[0],
        member.phone,
        member.phone.replace(" ", ""),
        coordinator.email,
        "oncall@example.org",
    ]
    for log in (text_log, json_log):
        for secret in private:
            assert secret.lower() not in log.lower(), f"{secret!r} is in the logs"
