"""A mail server that is down never causes an error page or holds anything up: the email waits and retries."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.availability.models import TalkRequest
from hearth.core.models import Delivery
from hearth.members.models import Member
from hearth.testing import ClientFor, FakeSMTPServer, run_deliveries


def test_leaving_a_talk_now_message_with_the_mail_server_down_works(
    client_for: ClientFor, member: Member, coordinator: Member, smtp_down: None
) -> None:
    response = client_for(member).post(
        reverse("availability:talk"), {"mode": "text", "message": "Rough night, would like to talk tomorrow"}
    )
    assert response.status_code == 302
    assert TalkRequest.objects.get(member=member).state == TalkRequest.State.MESSAGE
    email = Delivery.objects.get(channel="email", recipient=coordinator)
    run_deliveries()
    email.refresh_from_db()
    assert email.state == Delivery.State.PENDING and email.last_error == "connection refused"  # tried again soon


def test_password_reset_with_the_mail_server_down_works_and_is_sent_when_it_is_back(
    client: Client, member: Member, settings: Settings, smtp_down: None, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    response = client.post(reverse("members:password_reset"), {"email": member.email})
    assert response.status_code == 302
    run_deliveries()
    assert Delivery.objects.get(kind="members.password_reset").last_error == "connection refused"
    with FakeSMTPServer() as server:
        settings.EMAIL_PORT = server.port  # the mail server is back
        time_machine.shift(timedelta(seconds=16))
        run_deliveries()
    ((to, data),) = server.messages
    assert to == [member.email] and "/password/reset/" in data.replace("=\n", "")
