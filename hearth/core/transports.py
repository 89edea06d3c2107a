"""The channels Hearth delivers by: live screens and email. Web push registers its own.

Each transport is small and has its own tests (``core/tests/test_transports.py``).
They run in the task worker (see :mod:`hearth.core.deliveries`), raise on
failure and return :class:`~hearth.core.deliveries.Sent` on success.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import EmailMessage

from hearth.core.deliveries import Sent, Transport, decode
from hearth.core.events import member_group, send_event_now
from hearth.core.mail import render_email
from hearth.core.models import Delivery


class LiveTransport(Transport):
    """Payload ``{"event": {...}}``: sent to every page the recipient has open (``member.<id>``).

    The event gains ``"delivery": <id>`` so the page can say it showed it (a
    receipt, :func:`hearth.core.deliveries.record_screen`). Handing it to the
    channel layer is "sent"; a screen's receipt makes it "delivered". It is
    retried quickly when the channel layer itself fails (Redis down).
    """

    channel = "live"
    label = "live"
    lane = "live"
    backoff = (timedelta(seconds=2), timedelta(seconds=10), timedelta(seconds=30), timedelta(minutes=2))

    def send(self, delivery: Delivery) -> Sent:
        if delivery.recipient_id is None:
            raise ValueError("a live delivery needs a member to send to")
        event = {**delivery.payload["event"], "delivery": delivery.pk}
        send_event_now((member_group(delivery.recipient_id),), event, raise_errors=True)
        return Sent(state=Delivery.State.SENT, detail="to the pages they have open")


class EmailTransport(Transport):
    """Payload ``{"template": "app/email/name", "context": {...}}``, rendered now (not when it was queued).

    Goes to the member's current address (or ``delivery.address`` for an
    address that isn't a member's) through Django's configured email backend,
    never silently: a refused connection or a refused address is an error
    that is recorded and retried.
    """

    channel = "email"
    label = "email"

    def send(self, delivery: Delivery) -> Sent:
        to = delivery.recipient.email if delivery.recipient is not None else delivery.address
        if not to:
            raise ValueError("no email address to send to")
        subject, body = render_email(delivery.payload["template"], decode(delivery.payload.get("context", {})))
        EmailMessage(subject, body, None, [to]).send(fail_silently=False)
        return Sent(state=Delivery.State.DELIVERED, detail="accepted by the mail server")
