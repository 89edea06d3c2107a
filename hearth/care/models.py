"""The care queue: who might need someone to reach out, and why.

This is the start of the care app (issue 8 adds cues with consent, check-in
rounds and ranking). For now items come from triage ("concern") and from
facilitators' hand-offs, and staff claim and close them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CareItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Needs someone"
        CLAIMED = "claimed", "Someone is reaching out"
        DONE = "done", "Checked in"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_items")
    source = models.CharField(max_length=30, help_text="triage, hand-off, referral…")
    reason = models.CharField(max_length=300, help_text="In plain words, for staff.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One open item per member and source: new reasons are added to it.
            models.UniqueConstraint(
                fields=["member", "source"], condition=~Q(state="done"), name="one_open_care_item_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"Care item for {self.member}: {self.reason}"
