"""Notifications in "download my data" and "delete my account" (registered from ``CoreConfig.ready``).

A person's own notifications, choices, quiet hours and devices go with their
account (the rows cascade). Notifications they caused for others name them, so
those are deleted too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hearth.core.models import Notification, NotificationChoice, NotificationSettings
from hearth.members import data_rights
from hearth.members.models import Member


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_notifications(member: Member) -> dict[str, Any]:
    row = NotificationSettings.objects.filter(member=member).first()
    return {
        "notifications": [
            {"kind": n.kind, "text": n.text, "url": n.url, "at": _iso(n.created_at), "read_at": _iso(n.read_at)}
            for n in Notification.objects.filter(member=member)
        ],
        "choices": [
            {"kind": c.kind, "channel": c.channel, "on": c.on} for c in NotificationChoice.objects.filter(member=member)
        ],
        "quiet_hours": (
            {"from": str(row.quiet_from), "until": str(row.quiet_until)} if row and row.quiet_from else None
        ),
        "daily_email_at": str(row.digest_at) if row else None,
    }


def erase_notifications(member: Member) -> None:
    with transaction.atomic():
        Notification.objects.filter(actor=member).delete()
        Notification.objects.filter(member=member).delete()
        NotificationChoice.objects.filter(member=member).delete()
        NotificationSettings.objects.filter(member=member).delete()


data_rights.register(
    data_rights.Section(
        "notifications",
        export_notifications,
        erase_notifications,
        "Your notifications, your choices about them and the devices you turned notifications on for are "
        "deleted, and so are notifications you caused for other people (they name you).",
    )
)
