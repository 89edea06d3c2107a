"""The resources directory and referrals to it.

Reads go through :mod:`hearth.signposting.access`; every write through
:mod:`hearth.signposting.actions`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Topic(models.TextChoices):
    """What a resource helps with. Triage's quiet signposts use ``substance`` and ``practical``."""

    CRISIS = "crisis", "Crisis and urgent mental health"
    MENTAL_HEALTH = "mental_health", "Mental health care"
    COUNSELLING = "counselling", "Counselling and talking therapies"
    PEER_SUPPORT = "peer_support", "Peer support"
    SUBSTANCE = "substance", "Drink and drugs"
    PRACTICAL = "practical", "Money, housing, benefits and forms"
    MONEY = "money", "Money, debt and benefits"
    HOUSING = "housing", "Housing"
    WORK = "work", "Work and study"


class Resource(models.Model):
    """A place that can help: one of ours (internal) or another service (external).

    ``topics`` is a list of :class:`Topic` values. ``referral_needed`` means a
    member of staff makes the referral; ``self_referral`` means a member can
    contact them directly and note it here (a self-referral) for follow-up.
    """

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Here, from our team"
        EXTERNAL = "external", "Another service"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXTERNAL)
    description = models.TextField("what they help with", max_length=600)
    topics: models.JSONField[list[str]] = models.JSONField(default=list, blank=True)
    eligibility = models.CharField("who can use it", max_length=300, blank=True)
    contact = models.CharField(
        "how to contact them", max_length=200, blank=True, help_text="A phone number, email address or where to go."
    )
    phone = models.CharField(max_length=30, blank=True, help_text="For a one-tap call link, if there is one.")
    website = models.URLField(max_length=300, blank=True)
    hours = models.CharField("opening hours", max_length=200, blank=True)
    referral_needed = models.BooleanField("needs a referral from our staff", default=False)
    self_referral = models.BooleanField("people can contact them directly", default=True)
    active = models.BooleanField("shown in the directory", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [labels.get(t, t) for t in self.topics]

    def tel(self) -> str:
        """A ``tel:`` link target for ``phone`` (empty when there's no number)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


class Referral(models.Model):
    """A member pointed to a resource, with a date to follow up.

    Open referrals (suggested, made, accepted) with ``follow_up_on`` on or
    before today are due (:func:`hearth.signposting.actions.referrals_due`; the
    care queue shows them). ``note`` is for staff and the member, never others.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        MADE = "made", "Referral made"
        ACCEPTED = "accepted", "Accepted by the service"
        DECLINED = "declined", "Not taken up"
        CLOSED = "closed", "Closed"

    OPEN = (Status.SUGGESTED, Status.MADE, Status.ACCEPTED)

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    follow_up_on = models.DateField("follow up on", db_index=True)
    note = models.CharField(max_length=500, blank=True)
    self_referred = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["follow_up_on", "id"]
        indexes = [models.Index(fields=["status", "follow_up_on"])]

    screening: Any = None  # set by do_create_referral and do_update_referral for a member's own note

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.resource_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_due(self, today: date | None = None) -> bool:
        return self.is_open and self.follow_up_on <= (today or timezone.localdate())

    def as_export(self) -> dict[str, Any]:
        return {
            "resource": self.resource.name,
            "status": self.get_status_display(),
            "follow_up_on": self.follow_up_on.isoformat(),
            "note": self.note,
            "self_referred": self.self_referred,
            "created_at": self.created_at.isoformat(),
        }
