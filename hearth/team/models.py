"""The people behind the service: the volunteer pathway (applications, checks, training), leaving well, and
supervision of the people who support others.

Checks keep dates and outcomes only, never documents. Supervision notes are encrypted at rest
(:mod:`hearth.core.crypto`) and every read by someone other than the supporter is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hearth.core import crypto
from hearth.members.models import Role

# Roles a member can apply for from their own pages (coordinator and counsellor are appointments).
APPLICABLE_ROLES = [(Role.VOLUNTEER.value, "Volunteer"), (Role.PEER_WORKER.value, "Peer worker")]


class TrainingModule(models.Model):
    """Training the organisation defines (safeguarding, listening, crisis response, …).

    ``required_for`` lists the roles that need it: a role grant is refused until the person has a current
    record of every module their new role requires. ``renew_every_months`` (None: never) sets when a record
    expires.
    """

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    required_for = models.JSONField(default=list, blank=True, help_text="Role values.")
    renew_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def required_for_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.required_for]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when that day doesn't exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


class TrainingRecord(models.Model):
    """Someone completed a module on a date; it counts until ``expires_on`` (None: it doesn't expire)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    warned_at = models.DateTimeField(null=True, blank=True, help_text="When the renewal warning went.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} completed {self.module} on {self.completed_on}"

    def current(self, today: date) -> bool:
        return self.expires_on is None or today < self.expires_on


class Check(models.Model):
    """A reference or background check: dates and outcome only, never the document or what it said."""

    class Kind(models.TextChoices):
        REFERENCE = "reference", "Reference"
        BACKGROUND = "background", "Background check (e.g. DBS)"
        IDENTITY = "identity", "Identity check"
        INTERVIEW = "interview", "Interview"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for it"
        SATISFACTORY = "satisfactory", "Satisfactory"
        CONCERNS = "concerns", "Not satisfactory"
        WITHDRAWN = "withdrawn", "Withdrawn"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    requested_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    warned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.member}: {self.get_outcome_display()}"


class Application(models.Model):
    """A member who feels well enough asks to volunteer (or to become a peer worker)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Sent"
        IN_PROGRESS = "in_progress", "In progress"
        ACCEPTED = "accepted", "Welcomed"
        DECLINED = "declined", "Not this time"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATES = (State.SUBMITTED, State.IN_PROGRESS)

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    role = models.CharField(max_length=20, choices=APPLICABLE_ROLES, default=Role.VOLUNTEER)
    why = models.TextField("what draws you to it", max_length=2000)
    availability = models.CharField("when you could help", max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField("a word to them", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    screening: Any = None  # set by do_apply: what the applicant wrote is screened

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state__in=["submitted", "in_progress"]), name="one_open_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} applied to be a {self.get_role_display().lower()}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Departure(models.Model):
    """Someone stepped back from their role: what was handed to whom, so nothing and nobody was dropped."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="departures"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roles = models.JSONField(default=list, help_text="The role values they stepped back from.")
    handed_over = models.JSONField(
        default=list, help_text='What went where, as ids: [{"what": "group", "id": 3, "to": 12}, …].'
    )
    left_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    screening: Any = None  # set by do_apply: what the applicant wrote is screened

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member or 'A former member'} stepped back on {self.left_on}"


class SupervisionSession(models.Model):
    """Supervision (or a debrief) recorded for a supporter. Notes are encrypted; reads by others are audited."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one supervision"
        GROUP = "group", "Group supervision"
        DEBRIEF = "debrief", "Debrief after a heavy shift"

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervised"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    held_on = models.DateField(db_index=True)
    notes_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.supporter} on {self.held_on}"

    def set_notes(self, notes: str) -> None:
        self.notes_encrypted = crypto.encrypt_json(notes) if notes else ""

    def notes(self) -> str:
        """The notes in clear: only through ``actions.read_supervision`` (access checked, read audited)."""
        value: Any = crypto.decrypt_json(self.notes_encrypted) if self.notes_encrypted else ""
        return str(value)


class DebriefRequest(models.Model):
    """A supporter asks to talk a heavy shift through; a supervisor arranges it (a :class:`SupervisionSession`)."""

    class State(models.TextChoices):
        OPEN = "open", "Asked"
        ARRANGED = "arranged", "Arranged"
        DONE = "done", "Done"

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debriefs")
    shift_on = models.DateField(default=timezone.localdate)
    note_encrypted = models.TextField(blank=True, help_text="What they'd like to talk about, if they said.")
    urgency = models.CharField(
        max_length=10,
        choices=[("soon", "In the next day or two"), ("today", "Today, if possible")],
        default="soon",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        SupervisionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="debrief_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    screening: Any = None  # set by do_apply: what the applicant wrote is screened

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Debrief asked by {self.supporter} after {self.shift_on}"

    def set_note(self, note: str) -> None:
        self.note_encrypted = crypto.encrypt_json(note) if note else ""

    def note(self) -> str:
        return str(crypto.decrypt_json(self.note_encrypted)) if self.note_encrypted else ""
