"""The registry behind "download my data" and "delete my account", and core's own section in it.

Each app registers a :class:`Section` (from its ``AppConfig.ready``): what it exports about a member, how it
erases them, and the sentence the deletion page shows before they confirm. The members app walks them
(``hearth/members/data_rights.py``: ``export_member``, ``erase_member``) and shows them on the deletion page.

Core's section: a person's own notifications, choices, quiet hours and devices go with their
account (the rows cascade). Notifications they caused for others name them, so
those are deleted too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from hearth.core.models import Notification, NotificationChoice, NotificationSettings

if TYPE_CHECKING:
    from hearth.core.people import Member


@dataclass(frozen=True)
class Section:
    key: str
    export: Callable[[Member], Any]
    erase: Callable[[Member], None]
    on_delete: str  # shown on the deletion page: what happens to this data


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return list(_SECTIONS.values())


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


register(
    Section(
        "notifications",
        export_notifications,
        erase_notifications,
        "Your notifications, your choices about them and the devices you turned notifications on for are "
        "deleted, and so are notifications you caused for other people (they name you).",
    )
)
