"""Changes to a person's notification choices (organisation-wide settings: ``hearth/members/actions.py``)."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from hearth.core import notifications
from hearth.core.errors import ActionError
from hearth.core.models import Notification, NotificationChoice, NotificationSettings

if TYPE_CHECKING:
    from hearth.core.people import Member


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
