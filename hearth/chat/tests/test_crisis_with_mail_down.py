"""A mail server that is down never silences a crisis in chat (issue 13's acceptance): the message is stored and
broadcast to the room, the alert reaches the peer worker on duty live, and the email is retried and recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.availability import actions as availability
from hearth.chat import actions
from hearth.chat.access import room_channel
from hearth.chat.models import Room
from hearth.core import deliveries
from hearth.core.events import capture_events, member_group
from hearth.core.models import Delivery
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert
from hearth.testing import run_deliveries

CRISIS = "I can't do this anymore. I've got the tablets counted out and I'm taking them all tonight."


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    return time_machine


def test_a_crisis_chat_message_with_the_mail_server_down_is_broadcast_and_alerts_a_screen_live(
    member: Member,
    peer_worker: Member,
    room: Room,
    smtp_down: None,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    availability.do_check_in(peer_worker)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        message, created = actions.do_send_message(member, room, CRISIS, "c-1")
    assert created and message.pk  # stored
    assert events.recipients_of("chat.message") == {room_channel(room.pk)}  # and broadcast, email or not
    alert = CrisisAlert.objects.get(member=member)

    with capture_events() as events:
        run_deliveries()
    assert member_group(peer_worker.pk) in events.recipients_of("safety.alert")  # live to the Duty desk's page
    email = Delivery.objects.get(about_type="safety.crisisalert", about_id=str(alert.pk), channel="email")
    assert email.state == Delivery.State.PENDING and email.attempts == 1 and email.last_error == "connection refused"

    clock.shift(timedelta(minutes=5))  # past the backoff: the worker tries again, and says so
    run_deliveries()
    email.refresh_from_db()
    assert email.attempts == 2 and [a.outcome for a in email.attempt_log.all()] == ["failed", "failed"]
    summary = {s.channel: s for s in deliveries.summary(alert)}
    assert summary["email"].failures == 2
