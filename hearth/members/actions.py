"""Every change to members, roles, invitations and consent goes through here.

``check_*`` functions validate and authorise; ``do_*`` functions change state
atomically and write the audit entry. Views, commands and (later) the API call
these and nothing else.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.core import audit, throttle
from hearth.core.deliveries import send_email
from hearth.core.errors import ActionError
from hearth.core.events import recheck_sockets_on_commit
from hearth.core.models import OrganisationSettings
from hearth.core.screening import Screening, screen
from hearth.members import consent, policy
from hearth.members.models import Consent, Invitation, Member, Role, RoleGrant, normalise_email
from hearth.members.policy import Perm

audit.register(
    {
        "members.account.created": "{subject} joined ({via})",
        "members.list.viewed": "{actor} looked at the list of people",
        "members.account.deleted": "A member deleted their account (former id {member_id})",
        "members.email.confirmed": "{subject} confirmed their email address",
        "members.invitation.created": "{actor} created an invitation link",
        "members.invitation.revoked": "{actor} withdrew an invitation link",
        "members.role.granted": "{actor} gave {subject} the {role} role",
        "members.role.revoked": "{actor} removed the {role} role from {subject}",
        "members.contact.viewed": "{actor} viewed the contact details of {subject}",
        "members.data.exported": "{subject} downloaded their data",
        "members.consent.changed": "{subject} now shares {kind} with: {audience}",
        "members.two_factor.enabled": "{subject} turned on two-factor sign-in",
        "members.two_factor.disabled": "{subject} turned off two-factor sign-in",
        # Kept under core's name: the log's entries already say it.
        "core.settings.changed": "{actor} changed the organisation settings: {changes}",
    }
)

MAX_OPEN_INVITATIONS = 20
CONFIRMATION_MAX_AGE = timedelta(days=3)
_CONFIRM_SALT = "hearth.members.confirm-email"


# --- The organisation's settings -------------------------------------------------


def do_update_organisation_settings(
    actor: Member, *, open_signup: bool, require_staff_two_factor: bool, member_messages: bool | None = None
) -> None:
    """Save the coordinator's choices; ``member_messages`` left as ``None`` keeps the current value."""
    policy.require(actor, Perm.MANAGE_ORGANISATION)
    with transaction.atomic():
        org = OrganisationSettings.load()
        changes = []
        if org.open_signup != open_signup:
            changes.append(f"open sign-up {'on' if open_signup else 'off'}")
        if org.require_staff_two_factor != require_staff_two_factor:
            changes.append(f"two-factor for staff {'required' if require_staff_two_factor else 'optional'}")
        if member_messages is not None and org.member_messages != member_messages:
            changes.append(f"messages between members {'on' if member_messages else 'off'}")
            org.member_messages = member_messages
        if not changes:
            return
        if require_staff_two_factor and not org.require_staff_two_factor:
            # Staff sockets opened with a password alone close, as their pages now ask for a code.
            recheck_sockets_on_commit(
                Member.objects.filter(role_grants__role__in=policy.STAFF).values_list("pk", flat=True).distinct()
            )
        org.open_signup = open_signup
        org.require_staff_two_factor = require_staff_two_factor
        org.save()
        audit.log_action("core.settings.changed", actor=actor, obj=org, data={"changes": ", ".join(changes)})


# --- Joining -------------------------------------------------------------------


def check_email_free(email: str) -> None:
    if Member.objects.filter(email=normalise_email(email)).exists():
        raise ActionError("An account already uses this email address. If it's yours, sign in instead.")


def check_display_name_free(display_name: str, *, exclude: Member | None = None) -> None:
    qs = Member.objects.annotate(lname=Lower("display_name")).filter(lname=display_name.strip().lower())
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ActionError("Someone here already uses that display name. Please choose another.")


def do_create_invitation(actor: Member, note: str = "") -> Invitation:
    policy.require(actor, Perm.INVITE)
    now = timezone.now()
    open_count = Invitation.objects.filter(
        created_by=actor, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).count()
    if open_count >= MAX_OPEN_INVITATIONS:
        raise ActionError(f"You have {open_count} unused invitation links. Withdraw some before making more.")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            token=secrets.token_urlsafe(24),
            created_by=actor,
            note=note.strip(),
            created_at=now,
            expires_at=now + timedelta(days=settings.HEARTH_INVITATION_DAYS),
        )
        if invitation.note:
            invitation.screening = screen(
                author=actor, text=invitation.note, path="members.invitation", object_id=invitation.pk
            )
        audit.log_action("members.invitation.created", actor=actor, obj=invitation)
    return invitation


def do_revoke_invitation(actor: Member, invitation: Invitation) -> None:
    if invitation.created_by_id != actor.pk:
        raise ActionError("Only the person who made an invitation link can withdraw it.")
    if invitation.state() != "open":
        raise ActionError("That link can no longer be used, so there's nothing to withdraw.")
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.log_action("members.invitation.revoked", actor=actor, obj=invitation)


def check_invitation_usable(invitation: Invitation | None) -> Invitation:
    messages = {
        "used": "This invitation link has already been used. Ask the person who sent it for a new one.",
        "revoked": "This invitation link was withdrawn. Ask the person who sent it for a new one.",
        "expired": "This invitation link has expired. Ask the person who sent it for a new one.",
    }
    if invitation is None:
        raise ActionError("We don't recognise this invitation link. Check it was copied in full.")
    state = invitation.state()
    if state != "open":
        raise ActionError(messages[state])
    return invitation


def do_sign_up_with_invitation(token: str, *, email: str, display_name: str, password: str) -> Member:
    """Create an account from an invitation; the link is used up in the same transaction."""
    email = normalise_email(email)
    with transaction.atomic():
        # IMMEDIATE transactions (SQLite) and FOR UPDATE (PostgreSQL) make the
        # state check and the "used" write one step: a link works once.
        invitation = check_invitation_usable(Invitation.objects.select_for_update().filter(token=token).first())
        check_email_free(email)
        check_display_name_free(display_name)
        try:
            member = Member.objects.create_user(
                email,
                password,
                display_name=display_name.strip(),
                invited_by=invitation.created_by,
                email_confirmed_at=None,
            )
        except IntegrityError:
            raise ActionError("That email address or display name was just taken. Please try again.") from None
        invitation.used_at = timezone.now()
        invitation.used_by = member
        invitation.save(update_fields=["used_at", "used_by"])
        screen(author=member, text=member.display_name, path="members.profile", object_id=member.pk)
        audit.log_action("members.account.created", actor=member, subject=member, data={"via": "invitation"})
    return member


def do_open_sign_up(*, email: str, display_name: str, password: str) -> Member | None:
    """Start an open sign-up; the account works once the emailed link is followed.

    For someone else's address we say the same thing on screen and email the
    owner instead, so the form never reveals who is a member here.
    Returns the new (inactive) member, or None when the address was taken.
    """
    if not OrganisationSettings.load().open_signup:
        raise ActionError("Joining is by invitation here. Ask a member or the team for an invitation link.")
    email = normalise_email(email)
    with transaction.atomic():
        existing = Member.objects.filter(email=email).first()
        if existing is not None:
            send_email(existing, "members/email/already_member", {}, kind="members.already_member")
            return None
        check_display_name_free(display_name)
        member = Member.objects.create_user(email, password, display_name=display_name.strip(), is_active=False)
        screen(author=member, text=member.display_name, path="members.profile", object_id=member.pk)
        token = signing.dumps({"id": member.pk, "email": email}, salt=_CONFIRM_SALT)
        send_email(member, "members/email/confirm", {"token": token, "member": member}, kind="members.confirm")
        audit.log_action("members.account.created", actor=member, subject=member, data={"via": "open sign-up"})
    return member


def do_confirm_email(token: str) -> Member:
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ActionError("This confirmation link has expired. Please sign up again.") from None
    except signing.BadSignature:
        raise ActionError("We don't recognise this confirmation link. Check it was copied in full.") from None
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=payload["id"], email=payload["email"]).first()
        if member is None:
            raise ActionError("This confirmation link is for an account that no longer exists.")
        if member.email_confirmed_at is None:
            member.email_confirmed_at = timezone.now()
            member.is_active = True
            member.save(update_fields=["email_confirmed_at", "is_active"])
            audit.log_action("members.email.confirmed", actor=member, subject=member)
    return member


# --- Profile and consent ---------------------------------------------------------

PROFILE_FIELDS = ("display_name", "pronouns", "age_band", "gender", "phone", "contact_notes")
PREFERENCE_FIELDS = ("text_size", "email_notifications")


# The profile's own words (screened); the rest are choices and contact details.
PROFILE_WORDS = ("display_name", "pronouns", "gender", "contact_notes")


def do_update_profile(member: Member, changes: dict[str, Any]) -> Screening | None:
    """Change profile and preferences; new words in the profile go through the one screening path."""
    unknown = set(changes) - set(PROFILE_FIELDS) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if "display_name" in changes:
        changes["display_name"] = changes["display_name"].strip()
        check_display_name_free(changes["display_name"], exclude=member)
    with transaction.atomic():
        for field, value in changes.items():
            setattr(member, field, value)
        member.save(update_fields=list(changes))
        words = [str(changes[f]) for f in PROFILE_WORDS if changes.get(f)]
        if not words:
            return None
        return screen(author=member, text=" ".join(words), path="members.profile", object_id=member.pk)


def do_set_consent(member: Member, kind_key: str, audience_key: str) -> None:
    kind = consent.get_kind(kind_key)
    audience = kind.audience(audience_key) if kind is not None else None
    if kind is None or audience is None:
        raise ActionError("That sharing choice isn't available. Please pick one of the options shown.")
    with transaction.atomic():
        Consent.objects.update_or_create(member=member, kind=kind_key, defaults={"audience": audience_key})
        if kind.on_change is not None:
            kind.on_change(member, audience)
        audit.log_action(
            "members.consent.changed",
            actor=member,
            subject=member,
            data={"kind": kind.title.lower(), "audience": audience.label},
        )


# --- Roles and contact details -------------------------------------------------------


# Checks a higher app adds before a role is given (the team app: "roles that require named training").
# Each takes (member, role) and raises ActionError, in words for the coordinator, when the role can't be given yet.
GRANT_CHECKS: list[Callable[[Member, str], None]] = []


def register_grant_check(check: Callable[[Member, str], None]) -> None:
    if check not in GRANT_CHECKS:
        GRANT_CHECKS.append(check)


def do_grant_role(actor: Member, member: Member, role: str) -> None:
    policy.require(actor, Perm.MANAGE_ROLES)
    if role == Role.MEMBER or role not in Role.values:
        raise ActionError("Choose a role to give: volunteer, peer worker, counsellor or coordinator.")
    if role not in member.roles:
        for check in GRANT_CHECKS:
            check(member, role)
    with transaction.atomic():
        _, created = RoleGrant.objects.get_or_create(member=member, role=role, defaults={"granted_by": actor})
        if created:
            audit.log_action(
                "members.role.granted", actor=actor, subject=member, data={"role": Role(role).label.lower()}
            )
            recheck_sockets_on_commit([member.pk])  # a new staff role may need the second factor now
    member.__dict__.pop("roles", None)


def do_revoke_role(actor: Member, member: Member, role: str) -> None:
    policy.require(actor, Perm.MANAGE_ROLES)
    with transaction.atomic():
        if role == Role.COORDINATOR:
            coordinators = RoleGrant.objects.select_for_update().filter(role=Role.COORDINATOR, member__is_active=True)
            if coordinators.count() <= 1 and coordinators.filter(member=member).exists():
                raise ActionError(
                    "Every organisation needs at least one coordinator. Give someone else the role first."
                )
        deleted, _ = RoleGrant.objects.filter(member=member, role=role).delete()
        if deleted:
            audit.log_action(
                "members.role.revoked", actor=actor, subject=member, data={"role": Role(role).label.lower()}
            )
            recheck_sockets_on_commit([member.pk])  # the moderation or duty sockets the role opened close
    member.__dict__.pop("roles", None)


def do_set_account_active(member: Member, *, active: bool) -> None:
    """Turn an account off (it can't sign in, its sessions stop working and its open pages stop hearing anything)
    or back on. Called by the app whose decision it is (safety's suspensions and bans), which audits why."""
    member.is_active = active
    member.save(update_fields=["is_active"])
    if not active:
        recheck_sockets_on_commit([member.pk])


def record_member_list_read(actor: Member) -> None:
    """``actor`` looked at the list of everyone (names, roles, when they joined): an audited read."""
    audit.log_read("members.list.viewed", actor=actor)


def do_view_contact_details(actor: Member, member: Member) -> dict[str, str]:
    """Contact details for staff with a need; the read itself is audited."""
    policy.require(actor, Perm.VIEW_CONTACT_DETAILS)
    audit.log_action("members.contact.viewed", actor=actor, subject=member)
    return {"email": member.email, "phone": member.phone, "contact_notes": member.contact_notes}


# --- Two-factor sign-in -------------------------------------------------------------


def confirmed_totp_device(member: Member) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=member, confirmed=True).first()


def do_start_totp(member: Member) -> TOTPDevice:
    """A fresh unconfirmed device; any earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=member, confirmed=False).delete()
    return TOTPDevice.objects.create(user=member, name="Authenticator app", confirmed=False)


def do_confirm_totp(member: Member, code: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=member, confirmed=False).first()
    if device is None:
        raise ActionError("Start again: the set-up code has expired.")
    if not device.verify_token(code.replace(" ", "")):
        raise ActionError("That code didn't match. Check the time on your phone is right and try the newest code.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=member, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.log_action("members.two_factor.enabled", actor=member, subject=member)
    return device


def do_disable_totp(member: Member) -> None:
    if policy.is_staff(member) and OrganisationSettings.load().require_staff_two_factor:
        raise ActionError("Your organisation requires two-factor sign-in for staff, so it can't be turned off.")
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=member).delete()
        if deleted:
            audit.log_action("members.two_factor.disabled", actor=member, subject=member)


# --- Sign-in throttling ------------------------------------------------------------------

# Wrong passwords in 15 minutes. Per account *from one address*, so someone guessing from one place can't
# lock the owner out from theirs; per address, across accounts; and per account from everywhere, far higher,
# against guessing spread over many addresses. Counts live in the shared throttle store (core/throttle.py).
SIGN_IN_FAILURES_PER_ACCOUNT = 10
SIGN_IN_FAILURES_PER_ADDRESS = 50
SIGN_IN_FAILURES_PER_ACCOUNT_EVERYWHERE = 200
SIGN_IN_WINDOW = 15 * 60  # seconds

# Password reset emails: per account and per address, an hour.
RESETS_PER_ACCOUNT = throttle.Limit(3, 3600)
RESETS_PER_ADDRESS = throttle.Limit(20, 3600)


def _sign_in_limits(email: str, address: str) -> list[tuple[str, str, throttle.Limit]]:
    email = normalise_email(email)
    return [
        ("signin:account-address", f"{email}|{address}", throttle.Limit(SIGN_IN_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW)),
        ("signin:address", address, throttle.Limit(SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW)),
        ("signin:account", email, throttle.Limit(SIGN_IN_FAILURES_PER_ACCOUNT_EVERYWHERE, SIGN_IN_WINDOW)),
    ]


def sign_in_wait(email: str, address: str) -> int:
    """Seconds until this email may be tried again from this address (0: now). ``address`` "" is unknown."""
    return max(throttle.check(scope, who, limit) for scope, who, limit in _sign_in_limits(email, address))


def note_failed_sign_in(email: str, address: str) -> None:
    for scope, who, limit in _sign_in_limits(email, address):
        throttle.hit(scope, who, limit)


def password_reset_wait(email: str, address: str) -> int:
    """Seconds until another reset email may be asked for (0: now, and this one is counted)."""
    wait = max(
        throttle.check("reset:account", normalise_email(email), RESETS_PER_ACCOUNT),
        throttle.check("reset:address", address, RESETS_PER_ADDRESS),
    )
    if not wait:
        throttle.hit("reset:account", normalise_email(email), RESETS_PER_ACCOUNT)
        throttle.hit("reset:address", address, RESETS_PER_ADDRESS)
    return wait
