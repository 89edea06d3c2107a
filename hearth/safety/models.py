"""Triage results, crisis alerts, reports, the moderation queue and moderation actions.

Content lives in other apps (posts, comments, chat messages). Safety refers to
it by a ``content_key`` ("community.post") and id, and reaches it only through
the functions that app registered in :mod:`hearth.safety.content`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hearth.core import crypto


class Risk(models.TextChoices):
    CRISIS = "crisis", "Crisis"
    CONCERN = "concern", "Concern"
    NONE = "none", "None"


RISK_ORDER = {Risk.CRISIS: 0, Risk.CONCERN: 1, Risk.NONE: 2}


class TriageRecord(models.Model):
    """The triage of one piece of writing, kept for staff with the reasons ("why is this here")."""

    content_key = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    group_id = models.BigIntegerField(null=True, blank=True, help_text="The community group it was written in, if any.")
    risk = models.CharField(max_length=10, choices=Risk.choices)
    flags = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    heavy = models.BooleanField(default=False, help_text="The writer marked it heavy, or triage found risk.")
    supportive = models.BooleanField(default=False, help_text="A reply with supportive words (for group mood).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["content_key", "object_id"]), models.Index(fields=["group_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.content_key}:{self.object_id} {self.risk}"


class ModerationItem(models.Model):
    """One thing in the moderation queue: a triage result, reports about content or a member, or a contact warning."""

    class Source(models.TextChoices):
        TRIAGE = "triage", "Triage"
        REPORT = "report", "Reported by members"
        CONTACT = "contact", "Sharing contact details in a one-to-one"

    class State(models.TextChoices):
        OPEN = "open", "Waiting for review"
        ACTIONED = "actioned", "Action taken"
        DISMISSED = "dismissed", "Looked at, left up"

    source = models.CharField(max_length=10, choices=Source.choices)
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.NONE)
    flags = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    content_key = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The writer, or the member reported.",
    )
    group_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_items"
    )
    heavy = models.BooleanField(default=False, help_text="Distressing to read: counted in moderator wellbeing.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            # One open item per piece of content: new reports and results join it.
            models.UniqueConstraint(
                fields=["content_key", "object_id"],
                condition=Q(state="open") & Q(object_id__isnull=False),
                name="one_open_item_per_content",
            )
        ]

    def __str__(self) -> str:
        return f"Moderation item {self.pk} ({self.risk}, {self.source})"


class CrisisAlert(models.Model):
    """A live alert that someone may be at risk now. Never waits unseen: it escalates until acknowledged."""

    class Origin(models.TextChoices):
        MESSAGE = "message", "A message they wrote"
        INTAKE = "intake", "Their self-assessment"
        PEER = "peer", "Someone who knows them is worried"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="crisis_alerts"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    item = models.ForeignKey(ModerationItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    summary = crypto.EncryptedTextField(
        max_length=300, help_text="For staff: why this alert was raised (it may quote a few of their words)."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True)
    nobody_on_duty = models.BooleanField(default=False)
    drill = models.BooleanField(
        default=False,
        help_text="Raised by `hearth drill` about a synthetic member: a practice run, said so everywhere.",
    )

    def __str__(self) -> str:
        return f"Crisis alert {self.pk}"

    def headline(self) -> str:
        """The banner's words: who, and why, never what they wrote."""
        who = self.member.display_name if self.member else "a former member"
        why = "their self-assessment" if self.origin == self.Origin.INTAKE else "something they wrote"
        prefix = "Drill — " if self.drill else ""
        escalated = " Escalated to the coordinators." if self.escalation_level else ""
        return f"{prefix}Crisis alert: {who} may be at risk now ({why}).{escalated}"


class Report(models.Model):
    """A member reporting content or another member. Reports never vanish: the reporter hears the outcome."""

    class State(models.TextChoices):
        OPEN = "open", "Being looked at"
        ACTIONED = "actioned", "We took action"
        LEFT_UP = "left_up", "We looked and left it up"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    item = models.ForeignKey(ModerationItem, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(max_length=500, blank=True, help_text="What the reporter is told.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    screening: Any = None  # set by do_report: the reporter's own words are screened

    def __str__(self) -> str:
        return f"Report {self.pk}"


class Sanction(models.Model):
    """A warning, mute, suspension or ban on a member, decided by a person (never automatically)."""

    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        MUTE = "mute", "Muted"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=500, help_text="Shown to the member.")
    message = models.TextField(blank=True, max_length=2000, help_text="A kind message to the member.")
    until = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    # Set for the member's own page by views._sanctions_with_appeals (not columns).
    latest_appeal: Appeal | None
    appeal_token: str

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.member})"

    def active(self, now: datetime | None = None) -> bool:
        """In force now: not lifted, and not past ``until`` (a ban has no end)."""
        return self.lifted_at is None and (self.until is None or self.until > (now or timezone.now()))


class Appeal(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Waiting for a coordinator"
        UPHELD = "upheld", "Decision stands"
        OVERTURNED = "overturned", "Decision changed"

    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(max_length=2000)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    response = models.CharField(max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    screening: Any = None  # set by do_appeal

    def __str__(self) -> str:
        return f"Appeal {self.pk}"


class ModeratorNote(models.Model):
    item = models.ForeignKey(ModerationItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Note on item {self.item_id}"


class ModeratorAway(models.Model):
    """A moderator stepped away: their items were shared out and they get no new ones until they return."""

    moderator = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.moderator} stepped away"


class MoodAlert(models.Model):
    """A group drifted into a run of distress with few supportive replies; hosts and staff were told."""

    group_id = models.BigIntegerField(db_index=True)
    heavy_posts = models.PositiveIntegerField()
    supportive_replies = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Mood alert for group {self.group_id}"


class TriageLabel(models.Model):
    """A moderator's judgement of a triaged or reported message ("a crisis", "needed care", "fine"), kept as a
    label so triage can learn this organisation's voices (issue 20).

    The words are encrypted at rest (``core.crypto``), never leave the server (``hearth triage_labels export``
    writes a local file, audited; ``hearth triage_retrain`` reads them in place), and are deleted when the writer
    leaves. One label per item; a second judgement replaces the first.
    """

    item = models.OneToOneField(ModerationItem, null=True, on_delete=models.SET_NULL, related_name="label")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    text_encrypted = models.TextField()
    risk = models.CharField(max_length=10, choices=Risk.choices, help_text="What the moderator judged it to be.")
    predicted_risk = models.CharField(max_length=10, choices=Risk.choices, help_text="What triage said.")
    predicted_review = models.BooleanField(default=False, help_text="Triage put it in the review band.")
    flags = models.JSONField(default=list)
    labelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Triage label {self.pk}: {self.risk}"

    def set_text(self, text: str) -> None:
        from hearth.core import crypto

        self.text_encrypted = crypto.encrypt_json(text)

    @property
    def text(self) -> str:
        from hearth.core import crypto

        return str(crypto.decrypt_json(self.text_encrypted))
