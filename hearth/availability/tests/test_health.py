"""Metrics count the members waiting to talk now, and the messages left while nobody was on."""

from __future__ import annotations

from django.test import Client
from pytest_django import Settings

from hearth.availability import actions
from hearth.members.models import Member

TOKEN = "metrics-token-for-tests-0123456789"


def test_talk_now_waiting_and_messages_left_are_counted(
    client: Client, member: Member, outsider: Member, peer_worker: Member, settings: Settings
) -> None:
    settings.HEARTH_METRICS_TOKEN = TOKEN
    actions.do_request_talk(outsider)  # nobody on duty: a message
    actions.do_check_in(peer_worker)
    actions.do_request_talk(member)  # waiting for Priya to accept
    metrics = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "hearth_talk_now_waiting 1\n" in metrics and "hearth_talk_now_messages_waiting 1\n" in metrics
