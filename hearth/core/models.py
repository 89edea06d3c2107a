"""Organisation-wide records: settings, the audit log and scheduled jobs."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class OrganisationSettings(models.Model):
    """The one row of settings a coordinator edits in the app (not the environment).

    Use :meth:`load`; there is never more than one row (pk=1).
    """

    open_signup = models.BooleanField(
        default=False,
        help_text="Anyone can create an account with a confirmed email address. Off: invitation links only.",
    )
    # On in a new organisation: staff read crisis details and whole one-to-ones (issue 13). An organisation
    # that existed before keeps the choice it had.
    require_staff_two_factor = models.BooleanField(
        default=True,
        help_text="Peer workers, counsellors and coordinators must set up two-factor sign-in before using Hearth.",
    )
    member_messages = models.BooleanField(
        default=False,
        help_text="Members may write to each other one-to-one, when both have chosen to (screened like every message).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "organisation settings"

    def __str__(self) -> str:
        return "Organisation settings"

    @classmethod
    def load(cls) -> OrganisationSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class AuditEntry(models.Model):
    """One sensitive read or action: who did what to whom, and when.

    Entries hold ids and plain facts, never copies of personal data, so erasing
    a member leaves the entry meaningful ("a former member") without keeping
    their name. Rendered for people by :func:`hearth.core.audit.describe`.
    """

    action = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person the entry is about, when there is one.",
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"


class PeriodicJob(models.Model):
    """When each registered periodic job is next due.

    The worker claims a due job with a conditional UPDATE on ``due_at`` (see
    :mod:`hearth.core.scheduler`), so two workers never run the same slot.
    """

    name = models.CharField(max_length=100, unique=True)
    due_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """The last time each ``hearth worker`` process said it was alive (its scheduler thread, every tick).

    ``/readyz`` is unhealthy when the freshest beat is older than ``HEARTH_WORKER_STALE_SECONDS``:
    with no worker, crisis alerts don't escalate and nothing queued is sent.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname}"


class Delivery(models.Model):
    """One thing to get to one person (or address) by one channel: live screens, email, web push.

    Made inside the transaction of the action that wants it (so it exists
    exactly when the change does) and sent by the task worker, never inside
    ``on_commit``: see :mod:`hearth.core.deliveries`. ``payload`` holds ids and
    template names, not copies of personal data, and is emptied once the
    delivery is finished. Each try is a :class:`DeliveryAttempt`.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"  # handed over (live: to the open pages; nobody's screen has said so yet)
        DELIVERED = "delivered", "Delivered"  # email: the mail server took it; live: a screen showed it
        FAILED = "failed", "Gave up"
        CANCELLED = "cancelled", "No longer needed"

    kind = models.CharField(max_length=60, help_text="What it is, dotted: safety.alert, members.confirm, …")
    channel = models.CharField(max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    address = models.CharField(
        max_length=254, blank=True, help_text="Only for an address that isn't a member's (the on-call address)."
    )
    about_type = models.CharField(max_length=60, blank=True)
    about_id = models.CharField(max_length=40, blank=True)
    payload: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the next attempt is due (pending only).")
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["about_type", "about_id"]),
            models.Index(fields=["state", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} ({self.state})"


class DeliveryAttempt(models.Model):
    """One try at a delivery, or one screen that showed a live delivery."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        SCREEN = "screen", "Shown on a screen"
        CANCELLED = "cancelled", "Not sent"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error = models.CharField(max_length=300, blank=True, help_text="Why it failed, in plain words (no personal data).")
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.at:%H:%M:%S}"


class Notification(models.Model):
    """Something a person is told about in the app: a reply, a decision, a gathering, a check-in.

    Made by :func:`hearth.core.notifications.notify` inside the action that
    caused it. ``text`` is written for the recipient and never quotes what
    someone wrote (so a notification can't carry a group's words out of it).
    Notifications made during a break are kept and shown when the break ends.
    ``email_due_at`` is when it goes out in the person's digest email (non-urgent
    kinds, when they chose email); ``emailed_at`` marks it sent (claimed once).
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Who caused it: their notifications to others go when they erase their account (the text names them).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=60, blank=True, help_text="A registered kind: community.reply, chat.reminder, …")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    about_type = models.CharField(max_length=60, blank=True)
    about_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"]),
            models.Index(fields=["email_due_at"], name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationChoice(models.Model):
    """One person's choice for one kind of notification on one channel. No row: the kind's default."""

    class Channel(models.TextChoices):
        APP = "app", "In the app"
        EMAIL = "email", "Email"
        PUSH = "push", "Push"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    on = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind", "channel"], name="one_notification_choice")]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel}: {'on' if self.on else 'off'}"


class NotificationSettings(models.Model):
    """When a person may be reached: quiet hours and the time of the daily digest. No row: the defaults.

    Times are wall-clock in the organisation's zone. Quiet hours may cross
    midnight (22:00 to 07:00); email and push made in them wait until they end.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiet_from = models.TimeField("quiet from", null=True, blank=True)
    quiet_until = models.TimeField("quiet until", null=True, blank=True)
    digest_at = models.TimeField("daily email at", default=time(18, 0))

    def __str__(self) -> str:
        return f"Notification settings of {self.member_id}"


class PushSubscription(models.Model):
    """One device a person turned push on for (a browser's push subscription).

    ``endpoint`` is the push service's address for this device; ``p256dh`` and
    ``auth`` are the browser's keys that encrypt what we send, so the push service
    can't read it. A service answering "gone" (404/410) deletes the row.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    label = models.CharField(max_length=80, blank=True, help_text="Which device, as the person sees it.")
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push to {self.label or 'a device'} of {self.member_id}"
