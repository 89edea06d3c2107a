"""The service's scope, the self-assessment (questions and routing rules as versioned data), and group requirements.

Reads go through :mod:`hearth.intake.access`; every write through
:mod:`hearth.intake.actions`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.core.crypto import decrypt_json


class Path(models.TextChoices):
    """Where a self-assessment points. Several can apply at once; none is a rejection."""

    URGENT = "urgent", "Support right now"
    ONE_TO_ONE = "one_to_one", "A one-to-one first"
    GROUPS = "groups", "Ready for groups"
    OUTSIDE_SCOPE = "outside_scope", "Other services that can help"


# The order paths are shown in: what matters most first.
PATH_ORDER = [Path.URGENT, Path.ONE_TO_ONE, Path.OUTSIDE_SCOPE, Path.GROUPS]


class Scope(models.Model):
    """The one row (pk=1) where coordinators describe who the service is for, in plain words.

    Use :meth:`load`. The defaults describe a typical UK community peer-support service.
    """

    who_for = models.TextField(
        "who we're for",
        max_length=1500,
        default=(
            "Adults (18 and over) who live with their mental health, or who care for someone who does, and would "
            "like to meet people who understand. You don't need a diagnosis or a referral, and you can come "
            "as you are."
        ),
    )
    what_we_offer = models.TextField(
        "what we offer",
        max_length=1500,
        default=(
            "Peer support from people with lived experience: groups to hang out in, one-to-one chats with a "
            "trained peer worker, drop-ins and activities. Take part as much or as little as you like."
        ),
    )
    not_covered = models.TextField(
        "what we don't cover, and where to go instead",
        max_length=1500,
        default=(
            "We're not a crisis or emergency service: if you're in danger now, call 999 or Samaritans on 116 123. "
            "We're not a treatment service for drug or alcohol use (your GP or local drug and alcohol service can "
            "help), and we can't give advice on money, benefits or housing ourselves, but we can point you to "
            "people who do and help you get in touch."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "The service's scope"

    @classmethod
    def load(cls) -> Scope:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class QuestionnaireVersion(models.Model):
    """One published version of the self-assessment: its questions and routing rules.

    Never edited once published: an edit publishes a new version, and every
    assessment points at the version it answered, so old answers keep their
    meaning. The current version is the highest ``number``. ``definition``
    follows the schema checked by :func:`hearth.intake.questionnaire.check_definition`.
    """

    number = models.PositiveIntegerField(unique=True)
    definition: models.JSONField[dict[str, Any]] = models.JSONField()
    note = models.CharField("what changed", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Self-assessment version {self.number}"


class Assessment(models.Model):
    """One completed self-assessment.

    ``answers_encrypted`` holds the answers (question id -> option ids or text)
    encrypted with ``HEARTH_FIELD_KEY``; read them only through
    :func:`hearth.intake.actions.do_read_answers` (staff, audited) or, for the
    member's own, :meth:`answers`. ``paths`` is the routing result as
    comma-joined :class:`Path` values: it says where to go next, not what was
    said, and is shown only to the member and staff who may read answers.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments")
    answers_encrypted = models.TextField()
    paths = models.CharField(max_length=100)
    talk_request_id = models.BigIntegerField(null=True, blank=True, help_text="The one-to-one it asked for, if any.")
    crisis_alert_id = models.BigIntegerField(null=True, blank=True, help_text="The alert it raised, if any.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "-created_at"])]

    def __str__(self) -> str:
        return f"Self-assessment {self.pk}"

    def answers(self) -> dict[str, Any]:
        return dict(decrypt_json(self.answers_encrypted))

    def path_list(self) -> list[str]:
        chosen = set(self.paths.split(","))
        return [p.value for p in PATH_ORDER if p.value in chosen]


class GroupRequirement(models.Model):
    """What a group asks of people before they join (no row: nothing).

    Hosts and staff see *whether* a person meets it, never their answers.
    """

    group = models.OneToOneField("community.Group", on_delete=models.CASCADE, related_name="intake_requirement")
    needs_intake = models.BooleanField(
        "people complete the self-assessment before joining",
        default=False,
        help_text="So we can suggest this group to people it suits, and other support to people it doesn't.",
    )
    needs_one_to_one = models.BooleanField(
        "people have a one-to-one with a peer worker before joining",
        default=False,
        help_text="For groups about heavier experiences, where a first chat helps people settle in.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Requirements of group {self.group_id}"

    @property
    def any(self) -> bool:
        return self.needs_intake or self.needs_one_to_one
