"""Changes to organisation-wide settings and to a person's notification choices (see :mod:`hearth.members.actions`)."""

from __future__ import annotations

from datetime import time

from django.db import transaction
from django.utils import timezone

from hearth.core import audit, notifications
from hearth.core.errors import ActionError
from hearth.core.events import recheck_sockets_on_commit
from hearth.core.models import Notification, NotificationChoice, NotificationSettings, OrganisationSettings
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

audit.register({"core.settings.changed": "{actor} changed the organisation settings: {changes}"})


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


def do_save_notification_choices(
    member: Member,
    choices: dict[tuple[str, str], bool],
    *,
    quiet_from: time | None,
    quiet_until: time | None,
    digest_at: time,
) -> None:
    """A person's own choices: which kinds reach them on which channel, quiet hours, the daily email's time.

    Only choices that differ from a kind's default are stored, so a changed
    default reaches everyone who never chose. Notifications already waiting for
    the daily email move to the new time.
    """
    if (quiet_from is None) != (quiet_until is None):
        raise ActionError("Give both times for quiet hours, or neither.")
    with transaction.atomic():
        NotificationChoice.objects.filter(member=member).delete()
        rows = []
        for (key, channel), on in choices.items():
            kind = notifications.kind_for(key)
            if channel not in kind.offered() or channel in kind.required:
                raise ActionError("That choice isn't one you can make here. Reload the page and try again.")
            if on != (channel in kind.defaults):
                rows.append(NotificationChoice(member=member, kind=key, channel=channel, on=on))
        NotificationChoice.objects.bulk_create(rows)
        row, _ = NotificationSettings.objects.update_or_create(
            member=member, defaults={"quiet_from": quiet_from, "quiet_until": quiet_until, "digest_at": digest_at}
        )
        Notification.objects.filter(member=member, email_due_at__isnull=False, emailed_at__isnull=True).update(
            email_due_at=notifications.next_digest(row, timezone.now())
        )
