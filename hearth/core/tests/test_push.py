"""Web push: devices a person turned push on for hear about things with Hearth closed.

Every push goes to a local fake push service (:class:`FakePushService`), which
decrypts what it receives with the device's own keys, as a phone would.
The cast: Robin (a member with a phone), Sam (a volunteer), Priya (a peer
worker on duty, who gets crisis alerts).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from hearth.community.models import CommunityProfile, Energy
from hearth.core import deliveries, notifications, push
from hearth.core.actions import do_save_notification_choices
from hearth.core.errors import ActionError
from hearth.core.models import Delivery, DeliveryAttempt, PushSubscription
from hearth.members.models import Member
from hearth.testing import ClientFor, FakePushService, run_deliveries, visible_text

KEY = push.new_key_pair()[0]


@pytest.fixture
def push_service(settings: Settings) -> Iterator[FakePushService]:
    settings.HEARTH_VAPID_PRIVATE_KEY = KEY
    settings.HEARTH_VAPID_SUBJECT = "mailto:coordinator@example.org"
    settings.HEARTH_PUSH_SERVICES = ["127.0.0.1"]
    with FakePushService() as service:
        yield service


def _phone(member: Member, service: FakePushService, name: str = "phone") -> PushSubscription:
    sub = service.device(name)
    return push.do_add_device(
        member,
        endpoint=sub["endpoint"],
        p256dh=sub["keys"]["p256dh"],
        auth=sub["keys"]["auth"],
        user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0",
    )


def test_a_notification_reaches_the_phone_encrypted_and_signed(member: Member, push_service: FakePushService) -> None:
    phone = _phone(member, push_service)
    assert phone.label == "Chrome on Android"
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert push_service.messages() == [
        {
            "title": "Hearth Community",
            "body": "Reminder: Games starts at 19:00.",
            "url": "/chat/gatherings/1/",
            "tag": "chat.reminder",
            "urgent": True,
        }
    ]
    headers = {k.title(): v for k, v in push_service.received[0]["headers"].items()}
    assert headers["Authorization"].startswith("vapid t=") and f"k={push.public_key()}" in headers["Authorization"]
    assert headers["Content-Encoding"] == "aes128gcm" and headers["Urgency"] == "high"
    delivery = Delivery.objects.get(channel="push")
    assert delivery.state == "delivered" and delivery.payload == {}  # nothing lingers once it's sent


def test_each_device_is_its_own_delivery(member: Member, push_service: FakePushService) -> None:
    _phone(member, push_service, "phone")
    _phone(member, push_service, "laptop")
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    assert Delivery.objects.filter(channel="push").count() == 2
    run_deliveries()
    assert sorted(r["path"].split("-")[0] for r in push_service.received) == ["/push/laptop", "/push/phone"]


def test_a_device_the_service_says_is_gone_is_forgotten(member: Member, push_service: FakePushService) -> None:
    _phone(member, push_service)
    push_service.status = 410
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert not PushSubscription.objects.exists()
    assert Delivery.objects.get(channel="push").state == "cancelled"


def test_a_failing_push_service_is_retried_and_never_holds_up_email(
    member: Member, push_service: FakePushService, mailoutbox: list[EmailMessage]
) -> None:
    _phone(member, push_service)
    push_service.status = 503
    now = timezone.now()
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert len(mailoutbox) == 1  # the email went whatever push did
    delivery = Delivery.objects.get(channel="push")
    assert delivery.state == "pending" and delivery.last_error == "the push service answered 503"
    push_service.status = 201
    with time_machine.travel(now + timedelta(seconds=30)):
        run_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["failed", "delivered"]


def test_a_push_service_that_is_down_is_a_recorded_failure(member: Member, push_service: FakePushService) -> None:
    _phone(member, push_service)
    PushSubscription.objects.update(endpoint=f"http://127.0.0.1:{_closed_port()}/push/x")
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    attempt = DeliveryAttempt.objects.get(delivery__channel="push")
    assert attempt.outcome == "failed" and attempt.error == "couldn't reach the push service"


def _closed_port() -> int:
    from hearth.testing import FakeSMTPServer

    return FakeSMTPServer.refusing()


def test_quiet_mode_pushes_only_what_is_urgent(
    member: Member, volunteer: Member, push_service: FakePushService
) -> None:
    _phone(member, push_service)
    CommunityProfile.objects.create(member=member, energy=Energy.LOW)
    notifications.notify([member], "community.reply", "Sam replied to your post", "/posts/1/", actor=volunteer)
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert [m["body"] for m in push_service.messages()] == ["Reminder: Games starts at 19:00."]


def test_quiet_hours_hold_push_and_turning_push_off_for_a_kind_holds_it_for_good(
    member: Member, volunteer: Member, push_service: FakePushService
) -> None:
    _phone(member, push_service)
    day = timezone.localdate() + timedelta(days=20)
    with time_machine.travel(timezone.make_aware(datetime.combine(day, time(23, 0))), tick=False) as clock:
        do_save_notification_choices(
            member,
            {("community.reply", "push"): False},
            quiet_from=time(22, 0),
            quiet_until=time(7, 0),
            digest_at=time(18, 0),
        )
        notifications.notify([member], "community.reply", "Sam replied to your post", "/posts/1/", actor=volunteer)
        notifications.notify([member], "chat.reminder", "Reminder: Games starts at 10:00.", "/chat/gatherings/1/")
        run_deliveries()
        assert push_service.received == []
        clock.move_to(timezone.make_aware(datetime.combine(day + timedelta(days=1), time(7, 1))))
        run_deliveries()
    assert [m["body"] for m in push_service.messages()] == ["Reminder: Games starts at 10:00."]


def test_a_crisis_alert_reaches_on_duty_staff_phones_with_no_details(
    member: Member, peer_worker: Member, push_service: FakePushService
) -> None:
    from hearth.availability import actions as availability
    from hearth.safety.actions import raise_crisis_alert

    availability.do_check_in(peer_worker)
    _phone(peer_worker, push_service)
    alert = raise_crisis_alert(member, origin="post", summary="Post in Tuesday Makers")
    run_deliveries()
    [message] = push_service.messages()
    assert message["title"] == "Crisis alert" and message["urgent"] is True
    assert message["url"] == reverse("safety:alert", args=[alert.pk]) and message["tag"] == f"alert-{alert.pk}"
    assert "Robin" not in json.dumps(message) and "Tuesday" not in json.dumps(message)  # the lock screen isn't private
    assert "web push delivered to 1" in [s.sentence() for s in deliveries.summary(alert)]


def test_only_known_push_services_and_complete_keys_are_accepted(
    member: Member, push_service: FakePushService, settings: Settings
) -> None:
    sub = push_service.device()
    with pytest.raises(ActionError, match="push service this service doesn't send to"):
        push.do_add_device(member, endpoint="https://internal.example/", p256dh=sub["keys"]["p256dh"], auth="x" * 22)
    with pytest.raises(ActionError, match="isn't one we can use"):
        push.do_add_device(member, endpoint="http://10.0.0.5/push", p256dh=sub["keys"]["p256dh"], auth="x" * 22)
    with pytest.raises(ActionError, match="keys aren't complete"):
        push.do_add_device(member, endpoint=sub["endpoint"], p256dh="bm90IGEga2V5", auth=sub["keys"]["auth"])
    settings.HEARTH_VAPID_PRIVATE_KEY = ""
    with pytest.raises(ActionError, match="isn't set up"):
        push.do_add_device(member, endpoint=sub["endpoint"], **sub["keys"])


def test_turning_push_on_and_off_from_the_page(
    client_for: ClientFor, member: Member, outsider: Member, push_service: FakePushService
) -> None:
    robin = client_for(member)
    sub = push_service.device()
    url = reverse("core:push_device_add")
    response = robin.post(url, json.dumps(sub), content_type="application/json", HTTP_USER_AGENT="Firefox/133 Android")
    assert response.status_code == 201 and response.json()["label"] == "Firefox on Android"
    page = visible_text(robin.get(reverse("core:notification_settings")))
    assert "Firefox on Android" in page and "Send a test to my devices" in page
    assert robin.post(url, "not json", content_type="application/json").status_code == 400
    assert robin.post(url, json.dumps({"endpoint": "x"}), content_type="application/json").json() == {
        "error": "This browser's push details are incomplete. Try turning push on again."
    }
    # Someone else can't remove Robin's device.
    device = PushSubscription.objects.get()
    client_for(outsider).post(reverse("core:push_device_remove"), {"device": device.pk})
    assert PushSubscription.objects.filter(pk=device.pk).exists()
    robin.post(reverse("core:push_test"))
    run_deliveries()
    assert push_service.messages()[0]["body"].startswith("Push is working on this device.")
    response = robin.post(reverse("core:push_device_remove"), {"device": device.pk})
    assert response.status_code == 302 and not PushSubscription.objects.exists()
    assert robin.get(url).status_code == 405


def test_push_pages_refuse_the_signed_out(client: Client) -> None:
    for name in ("core:push_device_add", "core:push_device_remove", "core:push_test"):
        assert client.post(reverse(name))["Location"].startswith(reverse("members:signin"))


def test_push_keys_command_prints_a_key_that_works(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("push_keys")
    out = capsys.readouterr().out
    private = next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith("HEARTH_VAPID_PRIVATE_KEY="))
    assert push.public_key_for(private) in out


def test_the_app_can_be_installed(client: Client, member: Member, client_for: ClientFor, settings: Settings) -> None:
    manifest = client.get(reverse("core:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)) is not None
    worker = client.get(reverse("core:service_worker"))
    assert worker["Content-Type"] == "application/javascript" and worker["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("push"' in worker.content
    home = client_for(member).get("/")
    assert home["Hearth-Offline"] == "keep"  # the member's own pages are kept for reading offline
    assert 'rel="manifest"' in home.content.decode()
    assert "Hearth-Offline" not in client_for(member).get(reverse("members:profile"))
