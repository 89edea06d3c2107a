"""The delivery pipeline: recorded in the writer's transaction, sent by the worker, retried, never blocking.

The mail server is the outside edge: a real SMTP server on loopback
(:class:`FakeSMTPServer`), or a loopback port where nothing listens.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.core import deliveries
from hearth.core.events import capture_events, member_group
from hearth.core.management.commands import worker as worker_command
from hearth.core.models import Delivery, DeliveryAttempt
from hearth.members.models import Invitation, Member
from hearth.testing import FakeSMTPServer, run_deliveries


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    return time_machine


def invitation_email(to: Member | str, about: models.Model | None = None) -> Delivery:
    delivery = deliveries.send_email(to, "members/email/already_member", {}, kind="members.already_member", about=about)
    assert delivery is not None  # there is an address to send to
    return delivery


def test_a_delivery_exists_exactly_when_the_change_does(member: Member, clock: TimeMachineFixture) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        invitation_email(member)
        raise RuntimeError("the action failed after asking for the email")
    assert not Delivery.objects.exists() and not DBTaskResult.objects.exists()
    delivery = invitation_email(member)
    task = DBTaskResult.objects.get()
    assert task.queue_name == "deliveries" and task.args_kwargs["args"] == [delivery.pk]
    assert mail.outbox == []  # nothing is sent in the request


def test_live_deliveries_go_on_their_own_fast_lane_with_their_id(member: Member, clock: TimeMachineFixture) -> None:
    delivery = deliveries.send_live(member, {"kind": "safety.alert", "alert": 1})
    assert DBTaskResult.objects.get().queue_name == "live"
    with capture_events() as events:
        run_deliveries()
    assert events.events_for(member_group(member.pk)) == [{"kind": "safety.alert", "alert": 1, "delivery": delivery.pk}]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT  # handed over; a screen hasn't said so yet


def test_email_reaches_a_real_smtp_server_and_is_recorded(
    member: Member, smtp: FakeSMTPServer, clock: TimeMachineFixture
) -> None:
    delivery = invitation_email(member)
    assert run_deliveries() == 1
    assert [to for to, _ in smtp.messages] == [[member.email]]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and delivery.attempts == 1
    assert delivery.payload == {}  # nothing kept once it's gone
    assert [a.outcome for a in delivery.attempt_log.all()] == ["delivered"]


def test_a_refusing_mail_server_is_retried_with_backoff_then_given_up(
    member: Member, smtp_down: None, clock: TimeMachineFixture
) -> None:
    delivery = invitation_email(member)
    run_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING and delivery.last_error == "connection refused"
    assert delivery.due_at == timezone.now() + timedelta(seconds=15)
    assert run_deliveries() == 0  # not due again yet
    for wait in deliveries.transport_for("email").backoff:
        clock.shift(wait + timedelta(seconds=1))
        run_deliveries()
    delivery.refresh_from_db()
    tries = len(deliveries.transport_for("email").backoff) + 1
    assert delivery.state == Delivery.State.FAILED and delivery.attempts == tries
    assert [a.error for a in delivery.attempt_log.all()] == ["connection refused"] * tries
    # Each retry was also enqueued for the worker, for when it falls due.
    assert DBTaskResult.objects.filter(queue_name="deliveries").count() == tries


def test_the_mail_server_coming_back_delivers_on_the_next_try(
    member: Member, settings: Settings, clock: TimeMachineFixture
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", False, 5
    with FakeSMTPServer() as server:
        settings.EMAIL_PORT = FakeSMTPServer.refusing()
        delivery = invitation_email(member)
        run_deliveries()
        settings.EMAIL_PORT = server.port  # back up
        clock.shift(timedelta(seconds=16))
        run_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and len(server.messages) == 1
    assert [a.outcome for a in delivery.attempt_log.all()] == ["failed", "delivered"]


def test_one_failing_channel_never_holds_up_another(member: Member, smtp_down: None, clock: TimeMachineFixture) -> None:
    email = invitation_email(member)
    live = deliveries.send_live(member, {"kind": "safety.alert", "alert": 1})
    run_deliveries()
    email.refresh_from_db()
    live.refresh_from_db()
    assert email.state == Delivery.State.PENDING and live.state == Delivery.State.SENT


def test_emails_are_rendered_when_sent_from_references_not_copies(
    member: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    invitation = Invitation.objects.create(
        token="t", created_by=coordinator, note="for Dana", expires_at=timezone.now() + timedelta(days=1)
    )
    delivery = deliveries.send_email(
        member, "members/email/already_member", {"invitation": invitation}, about=invitation
    )
    assert delivery is not None
    assert delivery.payload["context"] == {"invitation": {"$model": "members.invitation", "pk": invitation.pk}}
    invitation.delete()  # e.g. its author erased their account before the email went
    run_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.CANCELLED and mail.outbox == []
    with pytest.raises(TypeError):
        deliveries.send_email(member, "members/email/already_member", {"thing": object()})


def test_cancel_stops_what_has_not_gone(member: Member, coordinator: Member, clock: TimeMachineFixture) -> None:
    invitation = Invitation.objects.create(token="t", created_by=coordinator, expires_at=timezone.now())
    invitation_email(member, about=invitation)
    assert deliveries.cancel(invitation) == 1
    assert run_deliveries() == 0 and mail.outbox == []
    assert DeliveryAttempt.objects.get().outcome == "cancelled"


def test_screens_say_they_showed_a_live_delivery_and_only_the_recipients_count(
    member: Member, outsider: Member, clock: TimeMachineFixture
) -> None:
    delivery = deliveries.send_live(member, {"kind": "safety.alert", "alert": 1}, about=member)
    run_deliveries()
    assert not deliveries.record_screen(delivery.pk, outsider, "screen-x")
    assert deliveries.record_screen(delivery.pk, member, "screen-1")
    assert deliveries.record_screen(delivery.pk, member, "screen-1")  # the same page twice counts once
    assert deliveries.record_screen(delivery.pk, member, "screen-2")
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED
    (live,) = deliveries.summary(member)
    assert live.sentence() == "live to 2 screens, first seen by Robin 20:00:00"


def test_the_summary_says_what_failed_and_why(member: Member, smtp_down: None, clock: TimeMachineFixture) -> None:
    invitation_email(member, about=member)
    run_deliveries()
    clock.shift(timedelta(seconds=16))
    run_deliveries()
    (email,) = deliveries.summary(member)
    assert email.sentence() == "1 waiting to be sent; email failed 2 times: connection refused"


def test_the_sweeper_picks_up_what_a_crashed_worker_left(member: Member, clock: TimeMachineFixture) -> None:
    delivery = invitation_email(member)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=timezone.now())
    assert deliveries.resume() == 0  # still being sent, as far as anyone knows
    clock.shift(deliveries.STUCK_AFTER + timedelta(seconds=1))
    assert deliveries.resume() == 1
    assert len(mail.outbox) == 1


# The real worker command commits as a worker does (its heartbeat thread has its own connection) and checks its
# connection between tasks, which closes one left inside a test's transaction (PostgreSQL): so this test commits
# for real, and its rows are flushed afterwards rather than rolled back.
@pytest.mark.django_db(transaction=True)
def test_the_worker_works_one_lane_without_waiting_on_another(
    member: Member, smtp_down: None, clock: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The heartbeat thread's write can meet a lane's exclusive transaction, and the tests' in-memory SQLite refuses
    # the second at once ("database table is locked") instead of queueing it: this test is about the lanes, so the
    # heartbeat stays quiet.
    monkeypatch.setattr(worker_command, "scheduler_tick", lambda *args, **kwargs: None)
    email = invitation_email(member)
    live = deliveries.send_live(member, {"kind": "safety.alert", "alert": 1})
    call_command("worker", "--batch", "--lanes", "live", "--no-scheduler", verbosity=0)
    email.refresh_from_db()
    live.refresh_from_db()
    assert live.state == Delivery.State.SENT and email.attempts == 0
    call_command("worker", "--batch", "--lanes", "deliveries", "--no-scheduler", verbosity=0)
    email.refresh_from_db()
    assert email.attempts == 1 and email.last_error == "connection refused"
