"""Deliveries: getting something to a person by live screen, email or web push, reliably.

Storing what someone wrote, acknowledging it and broadcasting it never waits on
an outside service. An action that wants a person told makes a
:class:`~hearth.core.models.Delivery` per (thing, recipient, channel) *inside its
own transaction* with :func:`deliver` (or :func:`send_email` / :func:`send_live`),
which also enqueues the ``send_delivery`` task in that transaction. The task
worker (``hearth worker``, lanes below) claims it with a conditional UPDATE,
hands it to the channel's :class:`Transport`, and records a
:class:`~hearth.core.models.DeliveryAttempt`. A failure is retried with backoff
(the transport's ``backoff``), then the delivery gives up as ``failed``. One
channel failing never touches another: each delivery is its own row and task.

Lanes (task queues) keep a slow channel from holding up a fast one: ``live``
(polled every 0.2 s, in the web process: :mod:`hearth.core.lanes`),
``deliveries`` (email, push) and ``default`` (periodic jobs), both in ``hearth
worker``. ``resume_deliveries`` (every minute) picks up anything a crashed
worker left behind, so delivery is at least once.

Live deliveries carry their id; the page that shows one answers
``{"kind": "received", "delivery": id}`` on ``/ws/me/`` and :func:`record_screen`
counts the screen ("live to 2 screens").

Payloads hold ids and template names, never copies of personal data: model
instances in an email's context are stored as references and fetched again when
the email is rendered (if the thing is gone, the delivery is cancelled), and the
payload is emptied once the delivery is finished.

To add a channel: subclass :class:`Transport` (``channel``, ``label``, ``lane``,
``backoff``, ``send``), and call :func:`register` from your app's
``AppConfig.ready``. See docs/architecture.md ("Deliveries").
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from smtplib import SMTPAuthenticationError, SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from hearth.core.logs import FieldValue, log_event
from hearth.core.models import Delivery, DeliveryAttempt

if TYPE_CHECKING:
    from hearth.core.people import Member

LANES = ("live", "deliveries")  # task queues for deliveries; periodic jobs use "default"
STUCK_AFTER = timedelta(minutes=5)  # a delivery "sending" this long lost its worker: try again
OVERDUE_AFTER = timedelta(seconds=30)  # a due delivery nobody picked up this long: the sweeper sends it


# --- Transports ------------------------------------------------------------------------------------


class Gone(Exception):
    """What the delivery was about no longer exists (erased, deleted): nothing to send."""


class DeliveryFailed(Exception):
    """A transport's try failed; ``str()`` is shown to staff, so no personal data in it."""


@dataclass(frozen=True)
class Sent:
    """What a transport reports back: ``delivered`` (the other end has it) or ``sent`` (handed over)."""

    state: str = Delivery.State.DELIVERED
    detail: str = ""


class Transport:
    """One way of reaching people. Subclasses set the class attributes and implement :meth:`send`.

    ``send`` raises on failure (any exception: it is described for staff by
    :func:`describe_error`) and returns :class:`Sent` on success. It runs in the
    task worker, outside any transaction, and may take its time (the lane keeps
    it from holding up other channels).
    """

    channel: ClassVar[str]
    label: ClassVar[str]  # "live", "email", "web push": how staff read it on an alert
    lane: ClassVar[str] = "deliveries"
    # Wait before each retry; one attempt more than there are entries, then "failed".
    backoff: ClassVar[tuple[timedelta, ...]] = (
        timedelta(seconds=15),
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=3),
    )

    def available(self) -> bool:
        """Whether this channel is set up at all on this deployment (push needs keys, for example)."""
        return True

    def send(self, delivery: Delivery) -> Sent:
        raise NotImplementedError


_TRANSPORTS: dict[str, Transport] = {}


def register(transport: Transport) -> None:
    """Add a channel (call from ``AppConfig.ready``). A second registration of a channel replaces the first."""
    if transport.lane not in LANES:
        raise ValueError(f"transport lane must be one of {LANES} (got {transport.lane!r})")
    _TRANSPORTS[transport.channel] = transport


def transport_for(channel: str) -> Transport:
    try:
        return _TRANSPORTS[channel]
    except KeyError:
        raise ValueError(f"no transport registered for channel {channel!r}") from None


def channels() -> list[str]:
    return sorted(_TRANSPORTS)


def describe_error(exc: BaseException) -> str:
    """A failure in plain words for the alert page ("connection refused"), never a traceback."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return "mail server name not found"
    if isinstance(exc, SMTPAuthenticationError):
        return "the mail server refused our sign-in"
    if isinstance(exc, SMTPRecipientsRefused):
        return "the mail server refused the address"
    if isinstance(exc, SMTPServerDisconnected):
        return "the mail server hung up"
    if isinstance(exc, ssl.SSLError):
        return "secure connection failed"
    if isinstance(exc, (SMTPException, DeliveryFailed, OSError)):
        return (str(exc) or type(exc).__name__)[:200]
    return type(exc).__name__


# --- Context: references, not copies ------------------------------------------------------------------


def encode(value: Any) -> Any:
    """JSON for a payload: model instances become references; anything else not JSON fails here, early."""
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"can't put a {type(value).__name__} in a delivery: pass a model instance or plain data")


def decode(value: Any) -> Any:
    """The reverse of :func:`encode`; raises :class:`Gone` when a referenced row no longer exists."""
    if isinstance(value, dict):
        if set(value) == {"$model", "pk"}:
            model = apps.get_model(value["$model"])
            obj = model._default_manager.filter(pk=value["pk"]).first()
            if obj is None:
                raise Gone(f"the {model._meta.verbose_name} it was about no longer exists")
            return obj
        if set(value) == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


# --- Making deliveries (inside the caller's transaction) ----------------------------------------------


def _about(obj: models.Model | None) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")


def deliver(
    *,
    channel: str,
    kind: str,
    payload: dict[str, Any],
    recipient: Member | None = None,
    address: str = "",
    about: models.Model | None = None,
    now: datetime | None = None,
    not_before: datetime | None = None,
) -> Delivery:
    """Record one delivery and enqueue its first attempt, in the current transaction.

    ``payload`` is for the channel's transport (see each transport's docstring);
    model instances in it are stored as references (:func:`encode`).
    ``not_before`` holds the first attempt back (quiet hours, "only if still unread
    in ten minutes"); :func:`cancel` stops it meanwhile.
    """
    if recipient is None and not address:
        raise ValueError("a delivery needs a recipient or an address")
    transport = transport_for(channel)
    now = now or timezone.now()
    due = not_before if not_before is not None and not_before > now else now
    about_type, about_id = _about(about)
    delivery = Delivery.objects.create(
        kind=kind,
        channel=channel,
        recipient=recipient,
        address=address,
        about_type=about_type,
        about_id=about_id,
        payload=encode(payload),
        due_at=due,
        created_at=now,
    )
    _enqueue(delivery, transport, run_after=due if due > now else None)
    return delivery


def send_email(
    to: Member | str,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    kind: str = "",
    about: models.Model | None = None,
    now: datetime | None = None,
    not_before: datetime | None = None,
) -> Delivery | None:
    """Email ``<template>_subject.txt`` and ``<template>.txt``, rendered when sent.

    ``to`` is a member (their address is read when the email goes, so a change
    of address is respected) or, for addresses that aren't a member's, a string.
    Returns None when there is no address to send to.
    """
    recipient, address = (None, to) if isinstance(to, str) else (to, "")
    if recipient is not None and not recipient.email:
        return None
    if recipient is None and not address:
        return None
    return deliver(
        channel="email",
        kind=kind or template.replace("/email/", ".").replace("/", "."),
        payload={"template": template, "context": context or {}},
        recipient=recipient,
        address=address,
        about=about,
        now=now,
        not_before=not_before,
    )


def send_live(
    to: Member, event: dict[str, Any], *, kind: str = "", about: models.Model | None = None, now: datetime | None = None
) -> Delivery:
    """A live event to every page ``to`` has open (``member.<id>``), recorded and retried like any delivery.

    For things a person must not miss (crisis alerts). Page refreshes and
    other best-effort updates keep using :func:`hearth.core.events.send_event_on_commit`.
    """
    if "kind" not in event:
        raise ValueError("every live event needs a 'kind'")
    return deliver(
        channel="live", kind=kind or event["kind"], payload={"event": event}, recipient=to, about=about, now=now
    )


def cancel(
    about: models.Model,
    *,
    kinds: Iterable[str] | None = None,
    recipient: Member | None = None,
    now: datetime | None = None,
) -> int:
    """Stop deliveries about ``about`` that haven't gone yet (e.g. an alert someone acknowledged).

    ``recipient`` narrows it to one person's (they read the message the email was going to tell them about).
    """
    now = now or timezone.now()
    about_type, about_id = _about(about)
    pending = Delivery.objects.filter(about_type=about_type, about_id=about_id, state=Delivery.State.PENDING)
    if kinds is not None:
        pending = pending.filter(kind__in=list(kinds))
    if recipient is not None:
        pending = pending.filter(recipient=recipient)
    ids = list(pending.values_list("pk", flat=True))
    done = Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING).update(
        state=Delivery.State.CANCELLED, finished_at=now, due_at=None, payload={}
    )
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(delivery_id=pk, at=now, outcome=DeliveryAttempt.Outcome.CANCELLED, detail="no longer needed")
        for pk in ids
    )
    return done


def _enqueue(delivery: Delivery, transport: Transport, run_after: datetime | None) -> None:
    from hearth.core.tasks import send_delivery

    task = send_delivery.using(queue_name=transport.lane, run_after=run_after)
    task.enqueue(delivery.pk)


# --- Sending (the worker) ------------------------------------------------------------------------------


def attempt(delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Claim one due delivery and try it once; None when it isn't due or another worker has it."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING, due_at__lte=now).update(
        state=Delivery.State.SENDING, claimed_at=now
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    transport = transport_for(delivery.channel)
    started = time.monotonic()
    fields: dict[str, FieldValue] = {"delivery": delivery.pk, "channel": delivery.channel, "kind": delivery.kind}
    try:
        sent = transport.send(delivery)
    except Gone as exc:
        _finish(delivery, Delivery.State.CANCELLED, DeliveryAttempt.Outcome.CANCELLED, now, detail=str(exc))
        outcome, level, error = "cancelled", logging.INFO, ""
    except Exception as exc:  # any failure of the outside service is recorded and retried, never raised
        error = describe_error(exc)
        _failed(delivery, transport, error, now)
        outcome, level = "failed", logging.WARNING
    else:
        outcome = DeliveryAttempt.Outcome.DELIVERED if sent.state == Delivery.State.DELIVERED else "sent"
        _finish(delivery, sent.state, outcome, now, detail=sent.detail)
        level, error = logging.INFO, ""
    # One line per attempt: ids, channel and outcome; never the address or the words.
    log_event(
        "delivery.attempt",
        level=level,
        **fields,
        outcome=outcome,
        attempt=delivery.attempts + 1,
        error=error or None,
        ms=round((time.monotonic() - started) * 1000),
    )
    delivery.refresh_from_db()
    return delivery


def _finish(delivery: Delivery, state: str, outcome: str, now: datetime, *, detail: str = "") -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
            state=state,
            attempts=delivery.attempts + (0 if state == Delivery.State.CANCELLED else 1),
            finished_at=now,
            due_at=None,
            payload={} if state != Delivery.State.SENT else delivery.payload,
        )
        DeliveryAttempt.objects.create(delivery=delivery, at=now, outcome=outcome, detail=detail[:200])


def _failed(delivery: Delivery, transport: Transport, error: str, now: datetime) -> None:
    tries = delivery.attempts + 1
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=now, outcome=DeliveryAttempt.Outcome.FAILED, error=error)
        if tries > len(transport.backoff):
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.FAILED, attempts=tries, finished_at=now, due_at=None, last_error=error, payload={}
            )
            return
        due = now + transport.backoff[tries - 1]
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.PENDING, attempts=tries, due_at=due, last_error=error
        )
        _enqueue(delivery, transport, run_after=due)


def run_due(now: datetime | None = None, *, channels: Iterable[str] | None = None, limit: int = 500) -> int:
    """Try every delivery that is due now (oldest first); returns how many were tried.

    The periodic sweeper, tests and ``hearth drill`` call this; the worker's
    lanes normally get there first through the ``send_delivery`` task.
    """
    now = now or timezone.now()
    due = Delivery.objects.filter(state=Delivery.State.PENDING, due_at__lte=now)
    if channels is not None:
        due = due.filter(channel__in=list(channels))
    tried = 0
    for pk in list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:limit]):
        if attempt(pk, now) is not None:
            tried += 1
    return tried


def resume(now: datetime | None = None) -> int:
    """Pick up what a worker left: stuck "sending" rows go back to pending; overdue ones are tried now.

    Overdue live deliveries are enqueued on the live lane again rather than tried here, because this
    runs in ``hearth worker``, which can't reach the web process's sockets without Redis.
    """
    now = now or timezone.now()
    stuck = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - STUCK_AFTER)
    stuck.update(state=Delivery.State.PENDING, due_at=now - OVERDUE_AFTER)
    overdue = Delivery.objects.filter(state=Delivery.State.PENDING, due_at__lte=now - OVERDUE_AFTER)
    tried = 0
    for delivery in list(overdue.order_by("due_at", "pk")[:500]):
        transport = transport_for(delivery.channel)
        if transport.lane == "live":
            # Only the live lane can reach the pages (the web process, without Redis): hand it back there.
            _enqueue(delivery, transport, run_after=None)
        elif attempt(delivery.pk, now) is not None:
            tried += 1
    return tried


def record_screen(delivery_id: int, member: Member, screen: str, now: datetime | None = None) -> bool:
    """A page of ``member``'s showed live delivery ``delivery_id``; False if it isn't theirs.

    ``screen`` identifies the page (its socket), so one page counts once.
    """
    now = now or timezone.now()
    delivery = Delivery.objects.filter(pk=delivery_id, recipient=member, channel="live").first()
    if delivery is None:
        return False
    with transaction.atomic():
        if not DeliveryAttempt.objects.filter(
            delivery=delivery, outcome=DeliveryAttempt.Outcome.SCREEN, detail=screen[:200]
        ).exists():
            DeliveryAttempt.objects.create(
                delivery=delivery, at=now, outcome=DeliveryAttempt.Outcome.SCREEN, detail=screen[:200]
            )
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENT).update(
            state=Delivery.State.DELIVERED, payload={}
        )
    return True


# --- Reading -------------------------------------------------------------------------------------------


def deliveries_about(about: models.Model) -> list[Delivery]:
    about_type, about_id = _about(about)
    return list(
        Delivery.objects.filter(about_type=about_type, about_id=about_id)
        .select_related("recipient")
        .prefetch_related("attempt_log")
        .order_by("created_at", "pk")
    )


@dataclass
class ChannelSummary:
    """One line of "what reached whom" for staff: a channel and what happened on it."""

    channel: str
    label: str
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def screens(self) -> list[tuple[str, datetime]]:
        """(who, when) for every screen that showed it (live only)."""
        return [
            (d.recipient.display_name if d.recipient else "a former member", a.at)
            for d in self.deliveries
            for a in d.attempt_log.all()
            if a.outcome == DeliveryAttempt.Outcome.SCREEN
        ]

    @property
    def failures(self) -> int:
        return sum(
            1 for d in self.deliveries for a in d.attempt_log.all() if a.outcome == DeliveryAttempt.Outcome.FAILED
        )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.deliveries:
            out[d.state] = out.get(d.state, 0) + 1
        return out

    def sentence(self) -> str:
        """Plain words: "live to 2 screens, seen by Priya 00:12" / "email failed 3 times: connection refused"."""
        counts = self.counts()
        parts = []
        if self.channel == "live":
            screens = self.screens
            if screens:
                first = min(screens, key=lambda s: s[1])
                parts.append(
                    f"{self.label} to {len(screens)} screen{'s' if len(screens) != 1 else ''}, "
                    f"first seen by {first[0]} {timezone.localtime(first[1]):%H:%M:%S}"
                )
            elif counts.get(Delivery.State.SENT):
                parts.append(f"{self.label}: sent to {counts[Delivery.State.SENT]}, no screen open yet")
        else:
            if counts.get(Delivery.State.DELIVERED):
                parts.append(f"{self.label} delivered to {counts[Delivery.State.DELIVERED]}")
        waiting = counts.get(Delivery.State.PENDING, 0) + counts.get(Delivery.State.SENDING, 0)
        if waiting:
            parts.append(f"{waiting} waiting to be sent")
        if self.failures:
            last = next(
                (d.last_error for d in reversed(self.deliveries) if d.last_error),
                "",
            )
            gave_up = counts.get(Delivery.State.FAILED, 0)
            parts.append(
                f"{self.label} failed {self.failures} time{'s' if self.failures != 1 else ''}"
                + (f": {last}" if last else "")
                + (f" (gave up on {gave_up})" if gave_up else "")
            )
        if counts.get(Delivery.State.CANCELLED):
            parts.append(f"{counts[Delivery.State.CANCELLED]} not sent (no longer needed)")
        return "; ".join(parts) or f"{self.label}: nothing yet"


def summary(about: models.Model) -> list[ChannelSummary]:
    """Per channel, what happened to the deliveries about ``about`` (for the alert page)."""
    by_channel: dict[str, ChannelSummary] = {}
    for delivery in deliveries_about(about):
        label = _TRANSPORTS[delivery.channel].label if delivery.channel in _TRANSPORTS else delivery.channel
        by_channel.setdefault(delivery.channel, ChannelSummary(delivery.channel, label)).deliveries.append(delivery)
    return [by_channel[c] for c in sorted(by_channel, key=lambda c: (c != "live", c))]
