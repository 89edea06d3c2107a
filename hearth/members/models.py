"""People, their roles, invitations and what they have agreed to share."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from hearth.core import crypto


class Role(models.TextChoices):
    """What a person does here. Everyone is a member; the others are granted on top."""

    MEMBER = "member", "Member"
    VOLUNTEER = "volunteer", "Volunteer"
    PEER_WORKER = "peer_worker", "Peer worker"
    COUNSELLOR = "counsellor", "Counsellor"
    COORDINATOR = "coordinator", "Coordinator"


class AgeBand(models.TextChoices):
    UNSAID = "", "Prefer not to say"
    AGE_18_24 = "18-24", "18 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_49 = "35-49", "35 to 49"
    AGE_50_64 = "50-64", "50 to 64"
    AGE_65_UP = "65+", "65 and over"


class TextSize(models.TextChoices):
    NORMAL = "normal", "Normal"
    LARGE = "large", "Large"
    LARGER = "larger", "Larger"


class MemberManager(BaseUserManager["Member"]):
    def create_user(self, email: str, password: str | None = None, **fields: object) -> Member:
        member = self.model(email=normalise_email(email), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> Member:
        fields.setdefault("display_name", "Administrator")
        member = self.create_user(email, password, is_staff=True, is_superuser=True, **fields)
        RoleGrant.objects.create(member=member, role=Role.COORDINATOR)
        return member

    def get_by_natural_key(self, username: str | None) -> Member:
        return self.get(email=normalise_email(username or ""))


def normalise_email(email: str) -> str:
    """Email addresses are compared case-insensitively everywhere in Hearth."""
    return email.strip().lower()


class Member(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Other members only ever see ``display_name``.

    ``pronouns``, ``age_band`` and ``gender`` are used for matching preferences
    and shown to nobody unless the member says so in the consent centre.
    ``phone`` and ``contact_notes`` are contact details: only staff with a need
    see them, and every such view is audited.
    """

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        "display name",
        max_length=40,
        help_text="The name other members see. It doesn't need to be your real name.",
    )
    pronouns = models.CharField(max_length=30, blank=True)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=40, blank=True, help_text="In your own words, if you want to say.")
    phone = crypto.EncryptedTextField("phone number", max_length=30, blank=True)
    contact_notes = crypto.EncryptedTextField("best way or time to reach you", max_length=200, blank=True)
    text_size = models.CharField(max_length=10, choices=TextSize.choices, default=TextSize.NORMAL)
    email_notifications = models.BooleanField("email me about replies and reminders", default=True)
    invited_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitees")
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "can use the technical admin site", default=False, help_text="For the operator, not for peer workers."
    )

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="unique_display_name_ci",
                violation_error_message="Someone here already uses that display name. Please choose another.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    @cached_property
    def roles(self) -> frozenset[str]:
        """Every role this person holds, always including ``member``.

        One query per instance; list views prefetch ``role_grants`` instead.
        """
        return frozenset({Role.MEMBER.value, *(grant.role for grant in self.role_grants.all())})

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]


class RoleGrant(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.member} is a {self.get_role_display()}"


class Invitation(models.Model):
    """A single-use link to join, shared by a member or staff ("snowballing").

    ``state`` says whether it can still be used; the sign-up action checks it
    again inside its transaction so two people can't use one link.
    """

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="invitations")
    note = models.CharField("who is it for? (only you see this)", max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    screening: Any = None  # set by do_create_invitation

    def __str__(self) -> str:
        return f"Invitation from {self.created_by or 'a former member'}"

    def state(self, now: datetime | None = None) -> str:
        """``used``, ``revoked``, ``expired`` or ``open``."""
        now = now or timezone.now()
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "open"


class Consent(models.Model):
    """Who a member has chosen to share one thing with (see :mod:`hearth.members.consent`).

    No row means the default audience of the kind, which is always "nobody"
    or the narrowest one.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=60)
    audience = models.CharField(max_length=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_consent_per_kind")]

    def __str__(self) -> str:
        return f"{self.member}: {self.kind} -> {self.audience}"
