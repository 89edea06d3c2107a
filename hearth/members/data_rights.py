"""Download my data and delete my account, across every app.

Each app registers a :class:`~hearth.core.data_rights.Section` in core's
registry: what it exports about a member, how it erases them, and the sentence
the deletion page shows before they confirm. :func:`export_member` and
:func:`erase_member` walk every section, so a new app's data is covered by
adding one ``register`` call.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.core import audit
from hearth.core.data_rights import Section, register, sections
from hearth.core.logs import log_event
from hearth.core.models import AuditEntry
from hearth.members import consent
from hearth.members.models import Invitation, Member


def export_member(member: Member) -> dict[str, Any]:
    """Everything Hearth holds about ``member``, as JSON-ready data. Audited."""
    with transaction.atomic():
        data = {
            "exported_at": timezone.now().isoformat(),
            "format": "hearth-member-export/1",
            **{section.key: section.export(member) for section in sections()},
        }
        audit.log_action("members.data.exported", actor=member, subject=member)
    return data


def erase_member(member: Member) -> None:
    """Erase ``member``: each section erases or anonymises its part, then the account row goes.

    The audit entry keeps only the former id, so the log still shows that an
    erasure happened without keeping who it was.
    """
    member_id = member.pk
    with transaction.atomic():
        for section in sections():
            section.erase(member)
        # The admin site's history keeps a text copy of the object; drop it.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Member), object_id=str(member_id)
        ).delete()
        member.delete()
        audit.log_action("members.account.deleted", actor=None, data={"member_id": member_id})
        transaction.on_commit(checkpoint)


def checkpoint() -> None:
    """After an erasure: SQLite copies the write-ahead log into the database and empties it.

    With ``secure_delete`` on (settings), the erased rows are overwritten in the database file; until a
    checkpoint the ``-wal`` file can still hold them. Best effort: a reader holding the log open (or an outer
    transaction still open, as in a test) delays it to SQLite's next checkpoint, with a warning in the log.
    Nothing to do for PostgreSQL.
    """
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        log_event("members.erasure_checkpoint_deferred", level=logging.WARNING)


# --- The members app's own sections ----------------------------------------------


def _export_profile(member: Member) -> dict[str, Any]:
    return {
        "email": member.email,
        "display_name": member.display_name,
        "pronouns": member.pronouns,
        "age_band": member.age_band,
        "gender": member.gender,
        "phone": member.phone,
        "contact_notes": member.contact_notes,
        "text_size": member.text_size,
        "email_notifications": member.email_notifications,
        "joined_at": member.date_joined.isoformat(),
        "email_confirmed_at": member.email_confirmed_at.isoformat() if member.email_confirmed_at else None,
        "invited_by": member.invited_by.display_name if member.invited_by else None,
        "roles": sorted(member.roles),
        "two_factor_sign_in": TOTPDevice.objects.filter(user=member, confirmed=True).exists(),
    }


def _export_sharing(member: Member) -> list[dict[str, str]]:
    chosen = consent.choices_for(member)
    return [{"what": kind.title, "shared_with": chosen[kind.key].label} for kind in consent.kinds()]


def _export_invitations(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "note": inv.note,
            "created_at": inv.created_at.isoformat(),
            "state": inv.state(),
        }
        for inv in Invitation.objects.filter(created_by=member)
    ]


def _export_audit(member: Member) -> list[dict[str, str]]:
    entries = AuditEntry.objects.filter(subject=member).select_related("actor", "subject")
    return [{"at": e.created_at.isoformat(), "what": audit.describe(e)} for e in entries]


def _erase_invitations(member: Member) -> None:
    Invitation.objects.filter(created_by=member).delete()


def _nothing_to_erase(member: Member) -> None:
    """Rows that cascade with the account or hold only ids are removed with it."""


register(
    Section(
        "profile",
        _export_profile,
        _nothing_to_erase,
        "Your email, display name, profile, contact details and preferences are deleted.",
    )
)
register(Section("sharing_choices", _export_sharing, _nothing_to_erase, "Your sharing choices are deleted."))
register(
    Section(
        "invitations",
        _export_invitations,
        _erase_invitations,
        "Invitation links you made are deleted; people who joined with them keep their accounts.",
    )
)
register(
    Section(
        "records_about_you",
        _export_audit,
        _nothing_to_erase,
        "The organisation's log of sensitive actions keeps that an action happened, but no longer says it was you.",
    )
)
