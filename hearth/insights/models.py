"""Outcome measures (questionnaires members answer with consent) and the organisation's insights settings.

Answers are stored as small integers only (the option each item was answered
with): no free text is ever collected by a questionnaire, so outcome data can
go into the de-identified research export without a text review.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Measure(models.TextChoices):
    PHQ9 = "phq9", "PHQ-9 (low mood)"
    GAD7 = "gad7", "GAD-7 (worry and anxiety)"
    UCLA3 = "ucla3", "UCLA 3-item (loneliness)"


class InsightsSettings(models.Model):
    """The organisation's choices for insights: one row (``pk=1``), made on first use by :meth:`load`.

    ``research_key`` is the secret behind research pseudonyms and date shifts.
    It is made once, at random, and never shown; a stable key keeps a person's
    pseudonym the same across exports (so outcomes over time line up).
    """

    phq9_on = models.BooleanField("offer the PHQ-9 (low mood)", default=False)
    gad7_on = models.BooleanField("offer the GAD-7 (worry and anxiety)", default=False)
    ucla3_on = models.BooleanField("offer the UCLA 3-item loneliness scale", default=False)
    interval_days = models.PositiveSmallIntegerField(
        "offer them again every (days)", default=28, help_text="After the first time, which is when someone says yes."
    )
    talk_target_minutes = models.PositiveSmallIntegerField(
        "talk-now target (minutes)", default=10, help_text="Requests answered within this count as on time."
    )
    alert_target_minutes = models.PositiveSmallIntegerField(
        "crisis alert target (minutes)", default=5, help_text="Alerts acknowledged within this count as on time."
    )
    research_key = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "insights settings"

    def __str__(self) -> str:
        return "Insights settings"

    @classmethod
    def load(cls) -> InsightsSettings:
        row, _ = cls.objects.get_or_create(pk=1, defaults={"research_key": secrets.token_hex(32)})
        return row

    def measures_on(self) -> list[str]:
        """The measures the organisation offers, in a fixed order."""
        return [
            m
            for m, on in ((Measure.PHQ9, self.phq9_on), (Measure.GAD7, self.gad7_on), (Measure.UCLA3, self.ucla3_on))
            if on
        ]


class OutcomeInvitation(models.Model):
    """A questionnaire offered to one member: open until answered or set aside ("not now").

    Made when a member agrees to take part (the baseline) and then every
    ``interval_days`` by the ``offer_due_questionnaires`` periodic job.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=10, choices=Measure.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    set_aside_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "measure"],
                condition=Q(answered_at__isnull=True, set_aside_at__isnull=True),
                name="one_open_outcome_invitation",
            )
        ]
        indexes = [models.Index(fields=["member", "measure", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.measure} for {self.member_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.set_aside_at is None


class OutcomeResponse(models.Model):
    """One completed questionnaire: item answers (integers), total score and severity band."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=10, choices=Measure.choices)
    answers = models.JSONField(help_text="The option chosen for each item, in order (integers only).")
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=20)
    invitation = models.ForeignKey(OutcomeInvitation, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["member", "measure", "created_at"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.score} ({self.band}) for {self.member_id}"


# --- Rollups (issue 21): the dashboard reads these, not every post, reaction and visit --------------------------


class Rollup(models.Model):
    """One figure of ``specs.py`` (``key``) for one day, or for one week on its Monday, as the worker last counted it.

    ``count`` is the figure; ``values`` holds what a figure keeps beside it: minutes (for medians), group ids,
    or counts per group. Never a person's id or words. A figure that came to nothing has no row.
    """

    day = models.DateField()
    key = models.CharField(max_length=40)
    count = models.IntegerField(default=0)
    values = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="one_rollup_per_day_and_figure")]

    def __str__(self) -> str:
        return f"{self.key} on {self.day}: {self.count}"


class ActivityWeeks(models.Model):
    """A member's way of taking part, week by week: one character a week for ``rollup.BLOCK`` weeks from ``first_week``.

    The character is the most visible style that week (``specs.RANK_CHARS``), ``specs.NOT_SEEN`` when they
    did nothing the dashboard counts. The participation metrics read these rows (at most two a member for a
    year) instead of every post, reaction and visit. Deleted with the account.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_week = models.DateField()
    weeks = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first_week", "member"], name="one_activity_row_per_member_and_block")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} from {self.first_week}"


class RolledUpDay(models.Model):
    """A day whose figures are in :class:`Rollup` (and its week in :class:`ActivityWeeks`), and when they were counted."""

    day = models.DateField(unique=True)
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} counted at {self.counted_at}"


class RollupCursor(models.Model):
    """The highest id the rollup job has seen in one table: rows above it arrived since, so their days are counted again."""

    table = models.CharField(max_length=60, unique=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.table} up to {self.last_id}"


class CountedAnswer(models.Model):
    """A questionnaire answer as the outcome figures count it (issue 21), kept by the rollup job.

    Beside the answer's questionnaire, band, score and time: when the same person answered the same questionnaire
    just before (``previous_at``) and just after (``next_at``), null when they didn't. So an answer is someone's
    latest in a span when their next is after the span, and their first when their previous is before it: the
    dashboard reads a span's answers in one pass, with no grouping per person. No person is named here; the row
    goes with its answer (a withdrawal, an erased account).
    """

    response = models.OneToOneField(OutcomeResponse, primary_key=True, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=10, choices=Measure.choices)
    band = models.CharField(max_length=20)
    score = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()
    previous_at = models.DateTimeField(null=True, blank=True)
    next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Everything the outcome figures read, in time order: a span's answers come from the index alone.
        indexes = [
            models.Index(
                fields=["answered_at", "measure", "band", "score", "previous_at", "next_at"],
                name="counted_answers_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} answer {self.response_id} counted"
