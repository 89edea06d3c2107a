"""Each delivery channel on its own: what it sends, and that it fails loudly so the pipeline can retry."""

from __future__ import annotations

import pytest
from django.core import mail
from pytest_django import Settings

from hearth.core import deliveries
from hearth.core.events import capture_events, member_group
from hearth.core.models import Delivery
from hearth.core.transports import EmailTransport, LiveTransport
from hearth.members.models import Member
from hearth.testing import FakeSMTPServer


def live_delivery(member: Member) -> Delivery:
    return deliveries.send_live(member, {"kind": "safety.alert", "alert": 7})


def email_delivery(to: Member | str) -> Delivery:
    delivery = deliveries.send_email(to, "members/email/already_member", {})
    assert delivery is not None  # there is an address to send to
    return delivery


def test_live_sends_the_event_with_its_delivery_id_to_the_persons_pages(member: Member) -> None:
    delivery = live_delivery(member)
    with capture_events() as events:
        sent = LiveTransport().send(delivery)
    assert sent.state == Delivery.State.SENT  # a screen's receipt makes it delivered
    assert events.sent == [((member_group(member.pk),), {"kind": "safety.alert", "alert": 7, "delivery": delivery.pk})]


def test_live_fails_loudly_when_the_channel_layer_is_down(member: Member, settings: Settings) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{FakeSMTPServer.refusing()}/0"]},
        }
    }
    with pytest.raises(Exception, match="Connect call failed"):  # redis-py's own ConnectionError
        LiveTransport().send(live_delivery(member))


def test_email_goes_to_the_members_current_address_through_the_mail_server(
    member: Member, smtp: FakeSMTPServer
) -> None:
    delivery = email_delivery(member)
    member.email = "robin.new@example.org"
    member.save()
    delivery.refresh_from_db()
    sent = EmailTransport().send(delivery)
    assert sent.state == Delivery.State.DELIVERED
    ((to, data),) = smtp.messages
    assert to == ["robin.new@example.org"] and "Subject:" in data


def test_email_to_an_address_that_is_not_a_member(db: None) -> None:
    EmailTransport().send(email_delivery("oncall@example.org"))
    assert [m.to for m in mail.outbox] == [["oncall@example.org"]]


def test_email_fails_loudly_when_the_mail_server_refuses(member: Member, smtp_down: None) -> None:
    with pytest.raises(ConnectionRefusedError) as failure:
        EmailTransport().send(email_delivery(member))
    assert deliveries.describe_error(failure.value) == "connection refused"


def test_every_channel_is_registered_with_a_lane() -> None:
    assert {"live", "email"} <= set(deliveries.channels())
    assert deliveries.transport_for("live").lane == "live"
    assert deliveries.transport_for("email").lane == "deliveries"
