"""Web push: reaching a person's devices with Hearth closed (notifications and staff crisis alerts).

A person turns push on per device from their notification choices (the page's
script subscribes through the browser and posts the subscription here). Each
thing to push is one :class:`~hearth.core.models.Delivery` per device (channel
``push``), made in the action's transaction and sent by the worker through
:class:`PushTransport` with retries — one device or service failing never holds
up another device, email or the live page.

Keys: ``hearth push_keys`` makes a VAPID key pair; only the private half is
configured (``HEARTH_VAPID_PRIVATE_KEY``), the public half (which browsers need
to subscribe) is worked out from it. ``pywebpush`` (with ``py-vapid`` and
``http-ece``, the reference implementation of RFC 8291/8292) signs and encrypts,
so the push service carries only ciphertext.

What is pushed is a sentence Hearth wrote ("A new message from Priya", "A
crisis alert is waiting for someone") and a link, never a member's words.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from hearth.core import deliveries
from hearth.core.deliveries import DeliveryFailed, Gone, Sent, Transport
from hearth.core.errors import ActionError
from hearth.core.models import Delivery, PushSubscription

if TYPE_CHECKING:
    from hearth.core.people import Member

CHANNEL = "push"
TTL_SECONDS = 24 * 60 * 60  # a push service keeps an undelivered push this long (a phone switched off)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_pair() -> tuple[str, str]:
    """(private, public), URL-safe base64: the raw P-256 private number and the uncompressed public point."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64(private), public_key_for(_b64(private))


def public_key_for(private: str) -> str:
    """The public half browsers pass to ``pushManager.subscribe`` (``applicationServerKey``)."""
    key = ec.derive_private_key(int.from_bytes(_unb64(private), "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64(point)


@lru_cache(maxsize=4)
def _public_key_cached(private: str) -> str:
    return public_key_for(private)


def enabled() -> bool:
    return bool(settings.HEARTH_VAPID_PRIVATE_KEY)


def reachable(member: Member) -> bool:
    """Whether a push to ``member`` would reach a device: push is set up and they turned it on somewhere."""
    return enabled() and CHANNEL in deliveries.channels() and PushSubscription.objects.filter(member=member).exists()


def public_key() -> str:
    """The configured public key, or "" when push isn't set up."""
    return _public_key_cached(settings.HEARTH_VAPID_PRIVATE_KEY) if enabled() else ""


def subject() -> str:
    if settings.HEARTH_VAPID_SUBJECT:
        return str(settings.HEARTH_VAPID_SUBJECT)
    sender = str(settings.DEFAULT_FROM_EMAIL)
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}"


# --- Devices ----------------------------------------------------------------------------------------------


def check_endpoint(endpoint: str) -> str:
    """A push service's https address from the allowed list (``HEARTH_PUSH_SERVICES``), or a clear refusal."""
    endpoint = (endpoint or "").strip()
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = [h.lower().lstrip(".") for h in settings.HEARTH_PUSH_SERVICES]
    loopback = host in ("127.0.0.1", "localhost", "::1")
    secure = parts.scheme == "https" or (parts.scheme == "http" and loopback)
    if not endpoint or len(endpoint) > 1000 or not secure or not host:
        raise ActionError("This browser's push address isn't one we can use. Try again, or use another browser.")
    if not any(host == h or host.endswith("." + h) for h in allowed):
        raise ActionError("This browser uses a push service this service doesn't send to. Ask your coordinator.")
    return endpoint


def check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    try:
        point, secret = _unb64(p256dh or ""), _unb64(auth or "")
    except (ValueError, TypeError):
        point, secret = b"", b""
    if len(point) != 65 or point[0] != 4 or len(secret) < 16:
        raise ActionError("This browser's push keys aren't complete. Try turning push on again.")
    return p256dh, auth


def device_label(user_agent: str) -> str:
    """A plain name for the device ("Firefox on Android") from its browser's description; never stored raw."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for key, name in (("Edg/", "Edge"), ("Firefox", "Firefox"), ("Chrome", "Chrome"), ("Safari", "Safari"))
            if key in ua
        ),
        "A browser",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "a Mac"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    return f"{browser} on {system}" if system else browser


def do_add_device(member: Member, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Turn push on for one of ``member``'s devices (the same device again just refreshes its keys)."""
    if not enabled():
        raise ActionError("Push isn't set up on this service yet.")
    endpoint = check_endpoint(endpoint)
    p256dh, auth = check_keys(p256dh, auth)
    with transaction.atomic():
        device, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"member": member, "p256dh": p256dh, "auth": auth, "label": device_label(user_agent)},
        )
    return device


def do_remove_device(member: Member, *, endpoint: str = "", device_id: int | None = None) -> int:
    """Stop pushing to one device of ``member``'s (by its address, or its id from the choices page)."""
    with transaction.atomic():
        rows = PushSubscription.objects.filter(member=member)
        rows = rows.filter(pk=device_id) if device_id is not None else rows.filter(endpoint=endpoint)
        deleted, _ = rows.delete()
    return deleted


def devices_of(member: Member) -> list[PushSubscription]:
    return list(PushSubscription.objects.filter(member=member).order_by("created_at", "pk"))


# --- Sending ----------------------------------------------------------------------------------------------


def send_push(
    member: Member,
    *,
    kind: str,
    body: str,
    url: str = "",
    tag: str = "",
    title: str = "",
    urgent: bool = False,
    about: models.Model | None = None,
    not_before: datetime | None = None,
) -> int:
    """One push delivery per device ``member`` turned push on for (inside the caller's transaction)."""
    if CHANNEL not in deliveries.channels() or not enabled():
        return 0
    made = 0
    for device in PushSubscription.objects.filter(member=member).values_list("pk", flat=True):
        deliveries.deliver(
            channel=CHANNEL,
            kind=kind,
            recipient=member,
            about=about,
            not_before=not_before,
            payload={
                "subscription": device,
                "title": title or str(settings.HEARTH_ORG_NAME),
                "body": body[:300],
                "url": url,
                "tag": tag,
                "urgent": urgent,
            },
        )
        made += 1
    return made


class PushTransport(Transport):
    """Payload ``{"subscription": id, "title", "body", "url", "tag", "urgent"}``: one device, encrypted to it.

    A push service that says the device is gone (404, 410) deletes the
    subscription and the delivery gives up quietly; anything else (a refused
    connection, a 5xx, a 429) is recorded and retried with the backoff below.
    """

    channel = CHANNEL
    label = "web push"
    lane = "deliveries"
    backoff = (
        timedelta(seconds=10),
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    )

    def available(self) -> bool:
        return enabled()

    def send(self, delivery: Delivery) -> Sent:
        import requests
        from pywebpush import WebPushException, webpush

        payload = delivery.payload
        device = PushSubscription.objects.filter(pk=payload.get("subscription")).first()
        if device is None:
            raise Gone("the device no longer has push turned on")
        if not enabled():
            raise DeliveryFailed("push isn't set up (no HEARTH_VAPID_PRIVATE_KEY)")
        message: dict[str, Any] = {k: payload.get(k, "") for k in ("title", "body", "url", "tag")}
        message["urgent"] = bool(payload.get("urgent"))
        try:
            response = webpush(
                subscription_info={"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}},
                data=json.dumps(message),
                vapid_private_key=settings.HEARTH_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": subject()},
                ttl=TTL_SECONDS,
                headers={"Urgency": "high" if message["urgent"] else "normal"},
                timeout=10,
            )
        except requests.RequestException:
            raise DeliveryFailed("couldn't reach the push service") from None
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                device.delete()
                raise Gone("the push service says this device is gone (it was removed)") from None
            raise DeliveryFailed(
                f"the push service answered {status}" if status else "the push service failed"
            ) from None
        status = getattr(response, "status_code", 201)
        PushSubscription.objects.filter(pk=device.pk).update(last_sent_at=timezone.now())
        return Sent(state=Delivery.State.DELIVERED, detail=f"accepted by the push service ({status})")


def do_send_test(member: Member) -> int:
    """ "Send me a test": one push to each of the person's devices, so they can see it works."""
    with transaction.atomic():
        return send_push(
            member,
            kind="notify.test",
            body="Push is working on this device. You can change what comes here on your notifications page.",
            url="/me/notifications/choices/",
            tag="test",
        )
