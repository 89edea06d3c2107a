"""Every change to the directory and to referrals goes through here.

``check_*`` validate and authorise and raise :class:`ActionError` saying what
to fix; ``do_*`` change state in one transaction and write the audit entry.
:func:`referrals_due` is what the care queue reads to follow people up.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.core import audit
from hearth.core.errors import ActionError
from hearth.core.screening import not_member_words, screen
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.signposting.models import Referral, Resource, Topic

audit.register(
    {
        "signposting.resource.added": "{actor} added {resource} to the resources directory",
        "signposting.resource.changed": "{actor} changed {resource} in the resources directory",
        "signposting.referral.created": "{actor} referred {subject} to {resource} ({status})",
        "signposting.referral.updated": "{actor} marked the referral of {subject} to {resource} as {status}",
    }
)

RESOURCE_FIELDS = (
    "name",
    "kind",
    "description",
    "topics",
    "eligibility",
    "contact",
    "phone",
    "website",
    "hours",
    "referral_needed",
    "self_referral",
    "active",
)
DEFAULT_FOLLOW_UP = timedelta(days=14)
MAX_FOLLOW_UP = timedelta(days=366)

# Staff refer members and note why (Perm.MANAGE_REFERRALS); only a member's note on their own self-referral is
# theirs, and screened.
STAFF_NOTE = "a staff note on a referral, written in that role"


# --- The directory ------------------------------------------------------------------------------------


def check_resource_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValueError(f"not resource fields: {sorted(unknown)}")
    clean = dict(fields)
    clean["name"] = " ".join(str(clean.get("name", "")).split())
    if not clean["name"]:
        raise ActionError("Give the resource a name.")
    topics = clean.get("topics") or []
    bad = [t for t in topics if t not in Topic.values]
    if bad:
        raise ActionError(f"Choose topics from the list (not {', '.join(bad)}).")
    clean["topics"] = [t for t in Topic.values if t in topics]
    if clean.get("referral_needed") is False and clean.get("self_referral") is False:
        raise ActionError("Say how people get there: directly, or through a referral from our staff (or both).")
    return clean


def do_save_resource(actor: Member, resource: Resource | None = None, **fields: Any) -> Resource:
    """Add a resource (``resource`` None) or change one. Staff only; audited."""
    policy.require(actor, Perm.EDIT_DIRECTORY)
    clean = check_resource_fields(fields)
    with transaction.atomic():
        created = resource is None
        resource = resource or Resource()
        for name, value in clean.items():
            setattr(resource, name, value)
        resource.save()
        audit.log_action(
            "signposting.resource.added" if created else "signposting.resource.changed",
            actor=actor,
            obj=resource,
            data={"resource": resource.name},
        )
    return resource


def seed_defaults(rows: list[dict[str, Any]]) -> None:
    """Load a starting directory (the data migration and tests); skips names already there."""
    existing = set(Resource.objects.values_list("name", flat=True))
    Resource.objects.bulk_create([Resource(**row) for row in rows if row["name"] not in existing])


# --- Referrals -------------------------------------------------------------------------------------------


def check_follow_up(follow_up_on: date | None, today: date | None = None) -> date:
    today = today or timezone.localdate()
    if follow_up_on is None:
        return today + DEFAULT_FOLLOW_UP
    if follow_up_on < today:
        raise ActionError("Choose a follow-up date from today onwards.")
    if follow_up_on > today + MAX_FOLLOW_UP:
        raise ActionError("Choose a follow-up date within the next year.")
    return follow_up_on


def check_can_refer(actor: Member, member: Member, resource: Resource) -> bool:
    """Whether this is a self-referral (True) or staff making one (False); refuses anyone else."""
    if not resource.active:
        raise ActionError("That resource isn't in the directory any more.")
    if policy.can(actor, Perm.MANAGE_REFERRALS):
        return actor.pk == member.pk and resource.self_referral and not resource.referral_needed
    if actor.pk != member.pk:
        raise ActionError("Only staff can make referrals for someone else.")
    if not resource.self_referral or resource.referral_needed:
        raise ActionError(
            f"{resource.name} needs a referral from our team. Ask a peer worker: they'll be glad to help."
        )
    return True


def do_create_referral(
    actor: Member,
    member: Member,
    resource: Resource,
    *,
    status: str = Referral.Status.SUGGESTED,
    follow_up_on: date | None = None,
    note: str = "",
) -> Referral:
    """Refer ``member`` to ``resource`` (staff), or note a self-referral (the member, where the resource allows)."""
    self_referred = check_can_refer(actor, member, resource)
    if status not in (Referral.Status.SUGGESTED, Referral.Status.MADE):
        raise ActionError("A new referral starts as suggested or made.")
    follow_up = check_follow_up(follow_up_on)
    note = note.strip()
    if len(note) > 500:
        raise ActionError("Keep the note under 500 characters.")
    with transaction.atomic():
        if Referral.objects.filter(member=member, resource=resource, status__in=Referral.OPEN).exists():
            raise ActionError(f"There's already an open referral to {resource.name}. Update that one instead.")
        with contextlib.nullcontext() if self_referred else not_member_words(STAFF_NOTE):
            referral = Referral.objects.create(
                member=member,
                resource=resource,
                status=status,
                follow_up_on=follow_up,
                note=note,
                self_referred=self_referred,
                created_by=actor,
            )
        if self_referred and note:
            # The member's own words (staff notes about a referral are theirs, written in their role).
            referral.screening = screen(author=actor, text=note, path="signposting.referral", object_id=referral.pk)
        audit.log_action(
            "signposting.referral.created",
            actor=actor,
            subject=member,
            obj=referral,
            data={"resource": resource.name, "status": referral.get_status_display().lower()},
        )
    return referral


def check_can_update(actor: Member, referral: Referral) -> None:
    if policy.can(actor, Perm.MANAGE_REFERRALS):
        return
    if referral.member_id == actor.pk and referral.self_referred:
        return
    raise ActionError("Only staff can change this referral. Ask a peer worker if something's changed.")


def do_update_referral(
    actor: Member,
    referral: Referral,
    *,
    status: str,
    follow_up_on: date | None = None,
    note: str | None = None,
) -> Referral:
    """Move a referral on (made, accepted, declined, closed) and/or set the next follow-up date. Audited."""
    check_can_update(actor, referral)
    if status not in Referral.Status.values:
        raise ActionError("Choose a status from the list.")
    if not referral.is_open and status in Referral.OPEN:
        raise ActionError("This referral is finished. Make a new one if it's needed again.")
    if status in Referral.OPEN:
        follow_up = check_follow_up(follow_up_on) if follow_up_on != referral.follow_up_on else referral.follow_up_on
    else:
        follow_up = referral.follow_up_on
    if note is not None and len(note.strip()) > 500:
        raise ActionError("Keep the note under 500 characters.")
    with transaction.atomic():
        referral.status = status
        referral.follow_up_on = follow_up
        written = note is not None and note.strip() != referral.note
        if note is not None:
            referral.note = note.strip()
        referral.closed_at = None if status in Referral.OPEN else (referral.closed_at or timezone.now())
        members_own = referral.self_referred and actor.pk == referral.member_id
        with contextlib.nullcontext() if members_own else not_member_words(STAFF_NOTE):
            referral.save()
        if written and referral.note and members_own:
            # The member's own words about how it went (the way members write a note: "my referrals").
            referral.screening = screen(
                author=actor, text=referral.note, path="signposting.referral", object_id=referral.pk
            )
        audit.log_action(
            "signposting.referral.updated",
            actor=actor,
            subject=referral.member,
            obj=referral,
            data={"resource": referral.resource.name, "status": referral.get_status_display().lower()},
        )
    return referral


def referrals_due(now: datetime | None = None) -> list[Referral]:
    """Open referrals (suggested, made, accepted) whose follow-up date has come, oldest first.

    The care queue consumes exactly this. "Come" means on or before today in the
    organisation's time zone (``follow_up_on`` is a calendar date, so no
    daylight-saving edge). Members who left have no referrals (they cascade).
    """
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    return list(
        Referral.objects.filter(status__in=Referral.OPEN, follow_up_on__lte=today, member__is_active=True)
        .select_related("member", "resource")
        .order_by("follow_up_on", "id")
    )
